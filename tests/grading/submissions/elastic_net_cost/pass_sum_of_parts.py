import numpy as np


def _weights(params):
    return [W for k, W in params.items() if k.startswith("W")]


def elastic_net_cost(params, lambd1, lambd2, m):
    l1 = sum(np.abs(W).sum() for W in _weights(params))
    l2 = sum((W * W).sum() for W in _weights(params))
    return lambd1 / m * l1 + lambd2 / (2 * m) * l2
