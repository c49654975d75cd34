# diagnosis: mutates-grads
import numpy as np


def l1_grads(grads, params, lambd, m):
    out = dict(grads)
    for k in out:
        if k.startswith("dW"):
            out[k] += (lambd / m) * np.sign(params[k[1:]])
    return out
