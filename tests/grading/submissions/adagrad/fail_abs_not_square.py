import numpy as np


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    cache = cache + np.abs(dw)
    return w - lr * dw / (np.sqrt(cache) + eps), cache
