import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * dw
    return (w - lr * v_new).astype(">f8"), np.asfortranarray(v_new)
