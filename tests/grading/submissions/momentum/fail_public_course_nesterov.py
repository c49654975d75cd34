# style: Nesterov's look-ahead written in the course's averaged form (lesson 7.4's variant)
# diagnosis: nesterov
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v = beta * v + (1 - beta) * dw
    return w - lr * (beta * v + (1 - beta) * dw), v
