# style: an elastic net gradient with np.where for the sign
# diagnosis: sign-of-zero
import numpy as np


def elastic_net_grads(grads, params, lambd1, lambd2, m):
    out = dict(grads)
    for k in params:
        if k.startswith("W"):
            W = params[k]
            out["d" + k] = grads["d" + k] + lambd1 / m * np.where(W >= 0, 1.0, -1.0) + lambd2 / m * W
    return out
