import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    perm = rng.permutation(m)
    X[:] = X[perm]
    Y[:] = Y[perm]
    return [(X[i:i + batch_size].copy(), Y[i:i + batch_size].copy()) for i in range(0, m, batch_size)]
