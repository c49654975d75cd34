# diagnosis: no-shuffle
import numpy as np


def kfold_indices(m, k, rng):
    folds = np.array_split(np.arange(m), k)
    return [(np.concatenate([f for j, f in enumerate(folds) if j != i]), folds[i]) for i in range(k)]
