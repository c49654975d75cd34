import numpy as np


def dropout_forward(A, keep_prob, rng):
    keep = rng.random(size=A.shape) < keep_prob
    mask = np.where(keep, 1.0 / keep_prob, 0.0)
    out = np.where(keep, A / keep_prob, 0.0)
    return [out, mask]
