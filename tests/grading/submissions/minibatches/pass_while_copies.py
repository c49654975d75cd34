import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    perm = rng.permutation(X.shape[0])
    Xs = X[perm].copy()
    Ys = Y[perm].copy()
    batches = []
    start = 0
    while start < len(Xs):
        end = min(start + batch_size, len(Xs))
        batches.append((Xs[start:end].copy(), Ys[start:end].copy()))
        start = end
    return batches
