import math
import numpy as np


def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    c_next = 1.0 - math.pow(beta1, t + 1)
    c_now = 1.0 - math.pow(beta1, t)
    v_new = v.copy(); v_new *= beta1; v_new += (1.0 - beta1) * dw
    s_new = np.multiply(s, beta2); s_new += (1.0 - beta2) * np.square(dw)
    denom = np.sqrt(s_new / (1.0 - beta2 ** t)) + eps
    v_bar = (beta1 / c_next) * v_new + ((1.0 - beta1) / c_now) * dw
    out = w.copy()
    out -= lr * v_bar / denom
    return [out, v_new, s_new]
