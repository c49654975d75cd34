import math
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    bc1 = 1.0 - math.pow(beta1, t)
    bc2 = 1.0 - math.pow(beta2, t)
    v_new = beta1 * v + (1.0 - beta1) * dw
    s_new = beta2 * s + (1.0 - beta2) * np.power(dw, 2)
    w_new = w - lr * (v_new / bc1) / (np.sqrt(s_new / bc2) + eps)
    return [w_new, v_new, s_new]
