# style: a from-scratch AdaMax that takes the running maximum without decaying it
# diagnosis: no-beta2-decay
import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * v + (1 - beta1) * dw
    u = np.maximum(u, np.abs(dw))
    w = w - (lr / (1 - beta1 ** t)) * m / (u + eps)
    return w, m, u
