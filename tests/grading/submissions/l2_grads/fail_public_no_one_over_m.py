# style: ML-From-Scratch l2_regularization.grad (alpha * w), alpha = lambd
# diagnosis: no-one-over-m
import numpy as np


def l2_grads(grads, params, lambd, m):
    alpha = lambd
    return {k: (g + alpha * params[k[1:]] if k.startswith("dW") else g) for k, g in grads.items()}
