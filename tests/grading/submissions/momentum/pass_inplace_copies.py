import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v = v.copy()
    v *= beta
    v += (1 - beta) * dw
    w = w.copy()
    w -= lr * v
    return w, v
