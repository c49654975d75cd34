import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    c = cache + dw ** 2
    return w - lr * dw / (np.sqrt(c) + eps), c
