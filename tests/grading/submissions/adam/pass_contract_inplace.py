import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = v.copy(); v *= beta1; v += (1 - beta1) * dw
    s = s.copy(); s *= beta2; s += (1 - beta2) * dw * dw
    v_hat = v / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    w = w.copy()
    w -= lr * v_hat / (np.sqrt(s_hat) + eps)
    return w, v, s
