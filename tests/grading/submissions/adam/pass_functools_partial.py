import functools
import operator

import numpy as np


def _ewa(beta, old, new):
    return beta * old + (1 - beta) * new


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    first = functools.partial(_ewa, beta1)
    second = functools.partial(_ewa, beta2)
    v_new, s_new = first(v, dw), second(s, np.multiply(dw, dw))
    correction = functools.reduce(operator.mul, [beta1] * t, 1.0)  # beta1 ** t by a product
    v_hat = v_new / (1 - correction)
    s_hat = s_new / (1 - beta2 ** t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v_new, s_new
