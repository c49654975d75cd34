import numpy as np


def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    s_hat = s / (1 - beta2 ** t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1 ** (t + 1))
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v, s
