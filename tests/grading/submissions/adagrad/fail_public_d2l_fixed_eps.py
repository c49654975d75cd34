# style: d2l.ai "Adagrad" chapter as printed (eps = 1e-6 fixed, inside the square root)
# diagnosis: fixed-eps-inside-sqrt
import numpy as np


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    eps = 1e-6
    s = cache + np.square(dw)
    return w - lr * dw / np.sqrt(s + eps), s
