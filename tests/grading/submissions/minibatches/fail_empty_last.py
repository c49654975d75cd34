import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    perm = rng.permutation(m)
    Xs, Ys = X[perm], Y[perm]
    n = m // batch_size + 1
    return [(Xs[k * batch_size:(k + 1) * batch_size], Ys[k * batch_size:(k + 1) * batch_size]) for k in range(n)]
