import numpy as np


def dropout_backward(dA, mask):
    out = np.empty_like(dA, dtype=float)
    np.multiply(dA, mask, out=out)
    return out
