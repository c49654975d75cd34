# style: CS231n assignment 2 adam (config['t'] incremented inside), wrapped by passing our t as config['t']
# diagnosis: t-zero-based
import numpy as np


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw ** 2)
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    return next_w, config


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    config = {"learning_rate": lr, "beta1": beta1, "beta2": beta2, "epsilon": eps, "m": v, "v": s, "t": t}
    next_w, config = adam(w, dw, config)
    return next_w, config["m"], config["v"]
