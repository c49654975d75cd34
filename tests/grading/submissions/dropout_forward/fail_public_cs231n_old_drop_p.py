# style: an older CS231n dropout_forward where p is the drop probability (rand >= p, / (1 - p))
# diagnosis: complement-comparison
import numpy as np


def dropout_forward(A, keep_prob, rng):
    p = 1 - keep_prob
    mask = (rng.random(A.shape) >= p) / (1 - p)
    out = A * mask
    return out, mask
