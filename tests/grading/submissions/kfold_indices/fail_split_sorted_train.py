# diagnosis: train-sorted
import numpy as np


def kfold_indices(m, k, rng):
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    return [(np.setdiff1d(perm, folds[i]), folds[i]) for i in range(k)]
