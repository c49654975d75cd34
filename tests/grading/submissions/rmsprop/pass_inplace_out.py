import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    c = np.multiply(cache, beta)
    c += (1 - beta) * np.square(dw)
    out = np.empty_like(w)
    np.subtract(w, lr * dw / (np.sqrt(c) + eps), out=out)
    return out, c
