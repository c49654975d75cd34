import numpy as np


def l1_grads(grads, params, lambd, m):
    out = {}
    for key, g in grads.items():
        if key.startswith("dW"):
            W = params[key[1:]]
            s = np.where(W > 0, 1.0, np.where(W < 0, -1.0, 0.0))
            out[key] = g + lambd * s / m
        else:
            out[key] = g
    return out
