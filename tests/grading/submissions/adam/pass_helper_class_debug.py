import numpy as np

DEFAULTS = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def _ewa(old, new, beta):
    return beta * old + (1 - beta) * new


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    print(f"adam step t={t}")
    v2 = _ewa(v, dw, beta1)
    s2 = _ewa(s, np.square(dw), beta2)
    upd = (lr * v2 / (1 - beta1 ** t)) / (np.sqrt(s2 / (1 - beta2 ** t)) + eps)
    print("update", upd)
    return (np.subtract(w, upd), v2, s2)
