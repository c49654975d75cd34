import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    f = np.float32
    w, dw, v, s = (a.astype(f) for a in (w, dw, v, s))
    v = f(beta1) * v + f(1 - beta1) * dw
    s = f(beta2) * s + f(1 - beta2) * dw ** 2
    w = w - f(lr) * (v / f(1 - beta1 ** t)) / (np.sqrt(s / f(1 - beta2 ** t)) + f(eps))
    return w.astype(float), v.astype(float), s.astype(float)
