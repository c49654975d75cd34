# style: the TensorFlow/Keras documentation's Adam (lr_t folded, epsilon on the uncorrected root)
# diagnosis: eps-hat
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    m_t = beta1 * v + (1 - beta1) * dw
    v_t = beta2 * s + (1 - beta2) * dw * dw
    variable = w - lr_t * m_t / (np.sqrt(v_t) + eps)
    return variable, m_t, v_t
