# style: Hinton's lecture 6e slide (MeanSquare = 0.9 * MeanSquare + 0.1 * g^2) with the eps argument
# diagnosis: hard-coded-beta
import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    mean_square = 0.9 * cache + 0.1 * dw ** 2
    return w - lr * dw / (np.sqrt(mean_square) + eps), mean_square
