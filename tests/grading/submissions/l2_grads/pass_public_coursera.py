# style: Coursera backward_propagation_with_regularization (dW + lambd/m * W), bias gradients copied
import numpy as np


def l2_grads(grads, params, lambd, m):
    gradients = {}
    for key, value in grads.items():
        if key.startswith("dW"):
            gradients[key] = value + (lambd / m) * params[key[1:]]
        else:
            gradients[key] = value
    return gradients
