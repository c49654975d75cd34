import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    c = beta * cache + (1 - beta) * dw ** 2
    return c, w - lr * dw / (np.sqrt(c) + eps)
