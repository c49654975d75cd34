import numpy as np


def kfold_indices(m, k, rng):
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    return [(np.concatenate([f for j, f in enumerate(folds) if j != i]), folds[i]) for i in range(k)]
