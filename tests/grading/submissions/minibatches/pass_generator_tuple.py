import math
import numpy as np

BATCH_DEBUG = True


def _take(a, idx):
    return np.take(a, idx, axis=0)


def make_minibatches(X: np.ndarray, Y: np.ndarray, batch_size: int, rng: np.random.Generator) -> list:
    m = X.shape[0]
    perm = rng.permutation(m)
    n_batches = math.ceil(m / batch_size)
    if BATCH_DEBUG:
        print("batches:", n_batches)
    out = list((_take(X, perm[k * batch_size:(k + 1) * batch_size]), _take(Y, perm[k * batch_size:(k + 1) * batch_size])) for k in range(n_batches))
    return out
