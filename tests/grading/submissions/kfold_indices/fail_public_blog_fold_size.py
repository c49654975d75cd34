# style: a from-scratch k-fold of tutorial posts (fold_size = m // k, the last fold takes the rest)
# diagnosis: remainder-in-last-fold
import numpy as np


def kfold_indices(m, k, rng):
    idx = rng.permutation(m)
    fold_size = m // k
    folds = []
    for i in range(k):
        start = i * fold_size
        end = (i + 1) * fold_size if i < k - 1 else m
        val = idx[start:end]
        train = np.concatenate([idx[:start], idx[end:]])
        folds.append((train, val))
    return folds
