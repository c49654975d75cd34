# style: a noise_shape that spreads over channels instead of positions ((m, 1, H, W))
# diagnosis: mask-over-positions
import numpy as np


def spatial_dropout_forward(A, keep_prob, rng):
    noise_shape = (A.shape[0], 1, A.shape[2], A.shape[3])
    mask = (rng.random(noise_shape) < keep_prob) / keep_prob
    return A * mask, mask
