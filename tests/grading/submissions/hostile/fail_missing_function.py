# expect: does not define momentum_update
import numpy as np


def momentum(w, dw, v, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * dw
    return w - lr * v_new, v_new
