def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    Y = Y.reshape(m, -1)  # a 1-D Y comes back 2-D
    perm = rng.permutation(m)
    return [(X[perm[i:i + batch_size]], Y[perm[i:i + batch_size]]) for i in range(0, m, batch_size)]
