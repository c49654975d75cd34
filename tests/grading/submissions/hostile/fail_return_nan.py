# expect: NaN
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    return np.full_like(w, np.nan), np.full_like(v, np.nan)
