# diagnosis: drop-remainder
import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    perm = rng.permutation(m)
    Xs, Ys = X[perm], Y[perm]
    return [(Xs[i:i + batch_size], Ys[i:i + batch_size]) for i in range(0, m - batch_size + 1, batch_size)]
