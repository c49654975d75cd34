import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    # scalar max over the whole array: a common slip
    v = beta1 * v + (1 - beta1) * dw
    u = np.full_like(u, max(np.max(beta2 * u), np.max(np.abs(dw))))
    return w - (lr / (1 - beta1 ** t)) * v / (u + eps), v, u
