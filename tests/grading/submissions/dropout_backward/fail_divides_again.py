import numpy as np


def dropout_backward(dA, mask):
    keep_prob = 1.0 / np.max(mask) if np.max(mask) > 0 else 1.0
    return dA * mask / keep_prob
