# style: the TensorFlow/Keras documentation's AdaMax (lr_t = lr / (1 - beta1^t); v_t = max(beta2 * v, |g|))
import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    lr_t = lr / (1 - np.power(beta1, t))
    m_t = beta1 * v + (1 - beta1) * dw
    v_t = np.maximum(beta2 * u, np.abs(dw))
    variable = w - lr_t * m_t / (v_t + eps)
    return variable, m_t, v_t
