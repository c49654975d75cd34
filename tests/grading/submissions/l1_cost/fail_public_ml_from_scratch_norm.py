# style: ML-From-Scratch l1_regularization (alpha * np.linalg.norm(w)), alpha = lambd / m
# diagnosis: l2-norm
import numpy as np


class l1_regularization:
    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, w):
        return self.alpha * np.linalg.norm(w)


def l1_cost(params, lambd, m):
    reg = l1_regularization(alpha=lambd / m)
    return float(sum(reg(W) for k, W in params.items() if k.startswith("W")))
