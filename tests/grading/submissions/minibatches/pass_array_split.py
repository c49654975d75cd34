import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    perm = rng.permutation(m)
    Xs, Ys = X[perm], Y[perm]
    n = -(-m // batch_size)
    # np.array_split with explicit indices gives the same slices
    idx = list(range(batch_size, m, batch_size))
    return list(zip(np.split(Xs, idx), np.split(Ys, idx)))
