import numpy as np


def spatial_dropout_forward(A, keep_prob, rng):
    m, C, H, W = A.shape
    mask = (rng.random((m, C)) < keep_prob).reshape(m, C, 1, 1) / keep_prob  # same draws, same order
    return np.multiply(A, mask), mask
