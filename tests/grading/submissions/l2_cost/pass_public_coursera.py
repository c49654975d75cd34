# style: Coursera Deep Learning course 2 compute_cost_with_regularization (1/m * lambd/2 * sums of squares)
import numpy as np


def l2_cost(params, lambd, m):
    L = len([k for k in params if k.startswith("W")])
    total = 0
    for l in range(1, L + 1):
        total += np.sum(np.square(params["W" + str(l)]))
    L2_regularization_cost = (1 / m) * (lambd / 2) * total
    return float(L2_regularization_cost)
