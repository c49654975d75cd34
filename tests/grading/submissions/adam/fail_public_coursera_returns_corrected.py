# style: Coursera-style dicts, returning the corrected moments as the state
# diagnosis: corrected-state
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    v_corrected = v / (1 - np.power(beta1, t))
    s = beta2 * s + (1 - beta2) * np.power(dw, 2)
    s_corrected = s / (1 - np.power(beta2, t))
    w = w - lr * v_corrected / (np.sqrt(s_corrected) + eps)
    return w, v_corrected, s_corrected
