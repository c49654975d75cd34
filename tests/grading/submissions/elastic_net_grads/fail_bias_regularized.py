# diagnosis: biases-regularized
import numpy as np


def elastic_net_grads(grads, params, lambd1, lambd2, m):
    return {k: g + (lambd1 / m) * np.sign(params[k[1:]]) + (lambd2 / m) * params[k[1:]] for k, g in grads.items()}
