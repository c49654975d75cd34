# style: TensorFlow's dropout with noise_shape (m, C, 1, 1): one coin per example and channel
import numpy as np


def _dropout(x, rate, noise_shape, rng):
    keep_prob = 1 - rate
    random_tensor = rng.random(noise_shape)
    keep_mask = (random_tensor < keep_prob) / keep_prob
    return x * keep_mask, keep_mask


def spatial_dropout_forward(A, keep_prob, rng):
    return _dropout(A, 1 - keep_prob, (A.shape[0], A.shape[1], 1, 1), rng)
