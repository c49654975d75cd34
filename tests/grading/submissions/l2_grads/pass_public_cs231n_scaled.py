# style: CS231n two-layer-net gradient, rescaled to the course's convention (reg = lambd / m, loss 0.5 * reg * sum W**2)
import numpy as np


def l2_grads(grads, params, lambd, m):
    reg = lambd / m
    grads_out = {}
    for name, g in grads.items():
        grads_out[name] = g + reg * params[name[1:]] if name.startswith("dW") else g
    return grads_out
