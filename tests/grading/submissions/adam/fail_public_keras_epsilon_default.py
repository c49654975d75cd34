# style: a port of Keras's Adam with its default epsilon (1e-7) written in, in the documented lr_t form
# diagnosis: keras-epsilon
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    epsilon = 1e-7
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    m = beta1 * v + (1 - beta1) * dw
    vv = beta2 * s + (1 - beta2) * np.square(dw)
    return w - lr_t * m / (np.sqrt(vv) + epsilon), m, vv
