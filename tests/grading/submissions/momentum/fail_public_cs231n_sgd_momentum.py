# style: CS231n assignment 2 optim.py (config dict, velocity holds the step)
# diagnosis: other-form
import numpy as np


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def momentum_update(w, dw, v, lr, beta=0.9):
    next_w, config = sgd_momentum(w, dw, {"learning_rate": lr, "momentum": beta, "velocity": v})
    return next_w, config["velocity"]
