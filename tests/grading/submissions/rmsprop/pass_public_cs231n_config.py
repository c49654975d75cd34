# style: CS231n assignment 2 optim.py rmsprop (config dict)
import numpy as np


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    config["cache"] = config["decay_rate"] * config["cache"] + (1 - config["decay_rate"]) * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return next_w, config


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    next_w, config = rmsprop(w, dw, {"learning_rate": lr, "decay_rate": beta, "epsilon": eps, "cache": cache})
    return next_w, config["cache"]
