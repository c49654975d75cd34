import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    # PyTorch's arrangement: lr/(1-b1^t) * v / (sqrt(s)/sqrt(1-b2^t) + eps)
    v_new = beta1 * v + (1 - beta1) * dw
    s_new = beta2 * s + (1 - beta2) * dw ** 2
    step_size = lr / (1 - beta1 ** t)
    denom = np.sqrt(s_new) / np.sqrt(1 - beta2 ** t) + eps
    return w - step_size * v_new / denom, v_new, s_new
