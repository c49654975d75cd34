# style: d2l.ai "Adam" chapter (bias-corrected v and s, states updated with [:])
import numpy as np


def adam(params, states, hyperparams):
    beta1, beta2, eps = hyperparams["beta1"], hyperparams["beta2"], hyperparams["eps"]
    for p, (v, s), g in zip(params, states, hyperparams["grads"]):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * np.square(g)
        v_bias_corr = v / (1 - beta1 ** hyperparams["t"])
        s_bias_corr = s / (1 - beta2 ** hyperparams["t"])
        p[:] -= hyperparams["lr"] * v_bias_corr / (np.sqrt(s_bias_corr) + eps)


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    p, v, s = np.array(w, dtype=float), np.array(v, dtype=float), np.array(s, dtype=float)
    adam([p], [(v, s)], {"lr": lr, "t": t, "beta1": beta1, "beta2": beta2, "eps": eps, "grads": [dw]})
    return p, v, s
