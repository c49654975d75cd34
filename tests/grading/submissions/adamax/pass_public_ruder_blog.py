# style: the AdaMax of optimizer overview blog posts (u_t = max(beta2*u, |g|); step lr/(1-beta1^t))
import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    m_t = beta1 * v + (1.0 - beta1) * dw
    u_t = np.maximum(beta2 * u, np.abs(dw))
    step_size = lr / (1.0 - beta1 ** t)
    return w - step_size * m_t / (u_t + eps), m_t, u_t
