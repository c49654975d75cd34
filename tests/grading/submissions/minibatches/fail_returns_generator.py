def make_minibatches(X, Y, batch_size, rng):
    perm = rng.permutation(X.shape[0])
    for i in range(0, X.shape[0], batch_size):
        yield X[perm[i:i + batch_size]], Y[perm[i:i + batch_size]]
