import numpy as np


def kfold_indices(m, k, rng):
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    # the other folds starting after fold i (wrapping around): not "in order"
    return [(np.concatenate([folds[(i + j) % k] for j in range(1, k)]), folds[i]) for i in range(k)]
