# diagnosis: old-cache
import numpy as np


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    new = cache + dw ** 2
    return w - lr * dw / (np.sqrt(cache) + eps), new
