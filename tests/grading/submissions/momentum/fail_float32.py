import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    w32, dw32, v32 = w.astype(np.float32), dw.astype(np.float32), v.astype(np.float32)
    v_new = np.float32(beta) * v32 + np.float32(1 - beta) * dw32
    return (w32 - np.float32(lr) * v_new).astype(np.float64), v_new.astype(np.float64)
