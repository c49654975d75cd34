# style: a sign written as a comparison (2 * (W >= 0) - 1)
# diagnosis: sign-of-zero
import numpy as np


def l1_grads(grads, params, lambd, m):
    out = {}
    for k, g in grads.items():
        if k.startswith("dW"):
            W = params[k[1:]]
            out[k] = g + (lambd / m) * (2.0 * (W >= 0) - 1.0)
        else:
            out[k] = g.copy()
    return out
