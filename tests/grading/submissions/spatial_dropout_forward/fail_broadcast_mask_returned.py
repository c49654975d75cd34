import numpy as np


def spatial_dropout_forward(A, keep_prob, rng):
    m, C = A.shape[:2]
    mask = (rng.random((m, C, 1, 1)) < keep_prob) / keep_prob
    return A * mask, np.broadcast_to(mask, A.shape).copy()
