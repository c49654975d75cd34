import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    # array_split into ceil(m/bs) parts: sizes are balanced, not bs, bs, ..., remainder
    m = X.shape[0]
    perm = rng.permutation(m)
    k = -(-m // batch_size)
    return list(zip(np.array_split(X[perm], k), np.array_split(Y[perm], k)))
