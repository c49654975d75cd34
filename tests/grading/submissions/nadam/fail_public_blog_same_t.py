# style: the Nadam of tutorial blog posts (both terms corrected with 1 - beta1**t)
# diagnosis: t-in-first-term
import numpy as np


def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * v + (1.0 - beta1) * dw
    n = beta2 * s + (1.0 - beta2) * dw ** 2
    mhat = (beta1 * m / (1.0 - beta1 ** t)) + ((1 - beta1) * dw / (1.0 - beta1 ** t))
    nhat = n / (1.0 - beta2 ** t)
    return w - lr * mhat / (np.sqrt(nhat) + eps), m, n
