# style: most tutorials' dropout (np.random.rand, the global generator, instead of the rng argument)
import numpy as np


def dropout_forward(A, keep_prob, rng):
    mask = (np.random.rand(*A.shape) < keep_prob) / keep_prob
    return A * mask, mask
