import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    v2 = beta1 * v + (1 - beta1) * dw
    u2 = np.stack([beta2 * u, np.abs(dw)]).max(axis=0)
    return np.subtract(w, lr * v2 / ((1 - beta1 ** t) * (u2 + eps))), v2, u2
