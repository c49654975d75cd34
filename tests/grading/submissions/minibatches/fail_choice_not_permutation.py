def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    perm = rng.choice(m, size=m, replace=False)
    return [(X[perm[i:i + batch_size]], Y[perm[i:i + batch_size]]) for i in range(0, m, batch_size)]
