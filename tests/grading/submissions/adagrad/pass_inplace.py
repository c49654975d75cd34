import numpy as np


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    cache = cache.copy()
    cache += np.power(dw, 2)
    w = w.copy()
    w -= lr * dw / (np.sqrt(cache) + eps)
    return w, cache
