import numpy as np


def elastic_net_cost(params, lambd1, lambd2, m):
    total = 0.0
    for k in params:
        if k.startswith("W"):
            W = params[k]
            total += (lambd1 * np.sum(np.abs(W)) + 0.5 * lambd2 * np.sum(np.power(W, 2))) / m
    return total
