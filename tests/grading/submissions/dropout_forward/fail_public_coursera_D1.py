# style: Coursera Deep Learning course 2 forward_propagation_with_dropout (D1 a 0/1 mask, A1 / keep_prob)
# diagnosis: mask-unscaled
import numpy as np


def dropout_forward(A, keep_prob, rng):
    D1 = rng.random(A.shape)
    D1 = (D1 < keep_prob).astype(int)
    A1 = A * D1
    A1 = A1 / keep_prob
    return A1, D1
