# style: ML-From-Scratch l2_regularization (alpha * 0.5 * w.T.dot(w)), alpha = lambd
# diagnosis: no-one-over-m
import numpy as np


class l2_regularization:
    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, w):
        return self.alpha * 0.5 * np.sum(w * w)


def l2_cost(params, lambd, m):
    reg = l2_regularization(alpha=lambd)
    return float(sum(reg(W) for k, W in params.items() if k.startswith("W")))
