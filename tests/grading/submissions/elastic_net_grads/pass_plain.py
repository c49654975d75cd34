import numpy as np


def elastic_net_grads(grads, params, lambd1, lambd2, m):
    out = {}
    for k, g in grads.items():
        if k.startswith("dW"):
            W = params[k[1:]]
            out[k] = g + (lambd1 / m) * np.sign(W) + (lambd2 / m) * W
        else:
            out[k] = g
    return out
