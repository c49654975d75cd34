# style: a DropConnect blog post drawing the weight mask with rng.binomial
# diagnosis: other-random-call
import numpy as np


def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    M = rng.binomial(1, keep_prob, size=W.shape) / keep_prob
    return A_prev.dot(W * M) + b, M
