# style: a subgradient step as in scikit-learn-style tutorials (lambd / m * np.sign(W))
import numpy as np


def l1_grads(grads, params, lambd, m):
    new_grads = dict(grads)
    for name, W in params.items():
        if name.startswith("W"):
            new_grads["d" + name] = grads["d" + name] + lambd / m * np.sign(W)
    return new_grads
