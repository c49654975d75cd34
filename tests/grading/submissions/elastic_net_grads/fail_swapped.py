# diagnosis: swapped-lambdas
import numpy as np


def elastic_net_grads(grads, params, lambd1, lambd2, m):
    return {k: (g + (lambd2 / m) * np.sign(params[k[1:]]) + (lambd1 / m) * params[k[1:]]) if k.startswith("dW") else g
            for k, g in grads.items()}
