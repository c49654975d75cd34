# style: CS231n notes' Nesterov momentum (v_prev kept; x += -mu * v_prev + (1 + mu) * v)
# diagnosis: nesterov-other-form
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v_prev = v
    v = beta * v - lr * dw
    w = w - beta * v_prev + (1 + beta) * v
    return w, v
