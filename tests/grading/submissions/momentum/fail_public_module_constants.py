# style: a notebook with module-level hyper-parameters used inside the function
# diagnosis: hard-coded-beta
import numpy as np

MOMENTUM = 0.9


def momentum_update(w, dw, v, lr, beta=0.9):
    v = MOMENTUM * v + (1 - MOMENTUM) * dw
    return w - lr * v, v
