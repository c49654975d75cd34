# style: a "DropConnect" that masks the layer's output
# diagnosis: masks-outputs
import numpy as np


def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    Z = np.dot(A_prev, W) + b
    M = (rng.random(Z.shape) < keep_prob) / keep_prob
    return Z * M, M
