# style: a Nadam that looks ahead with the moment it was given
# diagnosis: old-v-in-look-ahead
import numpy as np


def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    look_ahead = beta1 * v / (1 - beta1 ** (t + 1))
    v_new = beta1 * v + (1 - beta1) * dw
    s_new = beta2 * s + (1 - beta2) * dw ** 2
    m_bar = look_ahead + (1 - beta1) * dw / (1 - beta1 ** t)
    return w - lr * m_bar / (np.sqrt(s_new / (1 - beta2 ** t)) + eps), v_new, s_new
