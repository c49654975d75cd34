import numpy as np


def kfold_indices(m, k, rng):
    perm = rng.permutation(m)
    sizes = [m // k + (1 if i < m % k else 0) for i in range(k)]
    bounds = np.cumsum([0] + sizes)
    out = []
    for i in range(k):
        lo, hi = bounds[i], bounds[i + 1]
        out.append([np.delete(perm, np.arange(lo, hi)), perm[lo:hi].copy()])
    return tuple(out)
