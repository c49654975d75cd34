import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    w, dw, cache = (a.astype(np.float32) for a in (w, dw, cache))
    c = np.float32(beta) * cache + np.float32(1 - beta) * dw ** 2
    return w - np.float32(lr) * dw / (np.sqrt(c) + np.float32(eps)), c
