# style: AdaMax derived from an Adam implementation, keeping its second bias correction
# diagnosis: u-bias-corrected
import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw))
    m_hat = m / (1 - beta1 ** t)
    u_hat = u / (1 - beta2 ** t)
    return w - lr * m_hat / (u_hat + eps), m, u
