# style: Coursera backward_propagation_with_dropout (dA2 = dA2 * D2; dA2 = dA2 / keep_prob), D2 and keep_prob from the scaled mask
import numpy as np


def dropout_backward(dA, mask):
    keep_prob = 1.0 / mask.max() if mask.max() > 0 else 1.0
    D2 = (mask > 0).astype(int)
    dA2 = dA * D2
    dA2 = dA2 / keep_prob
    return dA2
