import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw)) + eps  # eps folded into the stored state
    return w - (lr / (1 - beta1 ** t)) * v / u, v, u
