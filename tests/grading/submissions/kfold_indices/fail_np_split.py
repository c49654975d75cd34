import numpy as np
# diagnosis: drops-remainder


def kfold_indices(m, k, rng):
    perm = rng.permutation(m)
    folds = np.split(perm[: (m // k) * k], k)
    return [(np.concatenate([f for j, f in enumerate(folds) if j != i]), folds[i]) for i in range(k)]
