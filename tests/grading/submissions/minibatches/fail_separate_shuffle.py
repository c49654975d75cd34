# diagnosis: two-permutations
import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    Xs = X[rng.permutation(m)]
    Ys = Y[rng.permutation(m)]
    return [(Xs[i:i + batch_size], Ys[i:i + batch_size]) for i in range(0, m, batch_size)]
