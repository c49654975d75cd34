# expect: MB
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    return np.zeros(60_000_000), np.zeros(60_000_000)
