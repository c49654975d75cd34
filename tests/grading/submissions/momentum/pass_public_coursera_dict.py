# style: Coursera Deep Learning course 2 (update_parameters_with_momentum), one parameter
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    parameters = {"W1": w}
    grads = {"dW1": dw}
    vel = {"dW1": v}
    L = len(parameters)
    for l in range(L):
        vel["dW" + str(l + 1)] = beta * vel["dW" + str(l + 1)] + (1 - beta) * grads["dW" + str(l + 1)]
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - lr * vel["dW" + str(l + 1)]
    return parameters["W1"], vel["dW1"]
