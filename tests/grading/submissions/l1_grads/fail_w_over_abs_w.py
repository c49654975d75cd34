# diagnosis: sign-by-division
import numpy as np


def l1_grads(grads, params, lambd, m):
    out = {}
    with np.errstate(all="ignore"):
        for k, g in grads.items():
            out[k] = g + (lambd / m) * params[k[1:]] / np.abs(params[k[1:]]) if k.startswith("dW") else g
    return out
