import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * v_new
    out = np.empty(w_new.shape + (2,))
    out[..., 0] = w_new
    wv = out[..., 0]  # a non-contiguous view
    wv.flags.writeable = False
    return wv, v_new.T.T
