# style: Dozat (2016), constant momentum: m_bar from the next step's correction
import numpy as np


def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    g_hat = dw / (1 - beta1 ** t)
    m = beta1 * v + (1 - beta1) * dw
    m_hat = m / (1 - beta1 ** (t + 1))
    n = beta2 * s + (1 - beta2) * dw ** 2
    n_hat = n / (1 - beta2 ** t)
    m_bar = (1 - beta1) * g_hat + beta1 * m_hat
    return w - lr * m_bar / (np.sqrt(n_hat) + eps), m, n
