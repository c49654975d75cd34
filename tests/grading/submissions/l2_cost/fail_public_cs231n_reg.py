# style: CS231n softmax/two-layer-net loss (loss += reg * np.sum(W * W)), reg = lambd
# diagnosis: cs231n-convention
import numpy as np


def l2_cost(params, lambd, m):
    reg = lambd
    loss = 0.0
    for name in params:
        if name.startswith("W"):
            W = params[name]
            loss += reg * np.sum(W * W)
    return loss
