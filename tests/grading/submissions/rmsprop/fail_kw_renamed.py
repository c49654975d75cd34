import numpy as np


def rmsprop_update(w, dw, cache, lr, rho=0.9, eps=1e-8):
    c = rho * cache + (1 - rho) * dw ** 2
    return w - lr * dw / (np.sqrt(c) + eps), c
