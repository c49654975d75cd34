# style: scikit-learn KFold._iter_test_indices (fold_sizes, the first m % k folds one longer), shuffled first
import numpy as np


def kfold_indices(m, k, rng):
    indices = rng.permutation(m)
    fold_sizes = np.full(k, m // k, dtype=int)
    fold_sizes[: m % k] += 1
    current = 0
    out = []
    for fold_size in fold_sizes:
        start, stop = current, current + fold_size
        test_index = indices[start:stop]
        train_index = np.concatenate([indices[:start], indices[stop:]])
        out.append((train_index, test_index))
        current = stop
    return out
