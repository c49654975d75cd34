import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    with np.errstate(all="ignore"):
        c = beta * cache + (1 - beta) * dw
        return w - lr * dw / (np.sqrt(c) + eps), c
