import numpy as np


def dropout_forward(A, keep_prob, rng):
    u = rng.uniform(0.0, 1.0, size=A.shape)  # the same numbers as rng.random for a Generator
    mask = (u < keep_prob).astype(np.float64)
    mask /= keep_prob
    return A * mask, mask
