# style: lecture notes that keep the learning rate in the velocity (v = beta*v + lr*g; w -= v)
# diagnosis: lr-in-velocity
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    velocity = beta * v + lr * dw
    w = w - velocity
    return w, velocity
