# style: d2l.ai "Adagrad" chapter (s[:] += g**2; p[:] -= lr * g / sqrt(s + eps))
# diagnosis: eps-inside-sqrt
import numpy as np


def adagrad(params, states, hyperparams, eps):
    for p, s, g in params:
        s[:] += np.square(g)
        p[:] -= hyperparams["lr"] * g / np.sqrt(s + eps)


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    p = np.array(w, dtype=float)
    s = np.array(cache, dtype=float)
    adagrad([(p, s, dw)], None, {"lr": lr}, eps)
    return p, s
