# style: a port of PyTorch's NAdam (momentum schedule mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * 0.004)))
# diagnosis: torch-momentum-schedule
import numpy as np


def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    momentum_decay = 4e-3
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
    mu_product = 1.0
    for i in range(1, t + 1):
        mu_product *= beta1 * (1.0 - 0.5 * 0.96 ** (i * momentum_decay))
    exp_avg = beta1 * v + (1 - beta1) * dw
    exp_avg_sq = beta2 * s + (1 - beta2) * dw * dw
    denom = np.sqrt(exp_avg_sq / (1 - beta2 ** t)) + eps
    w = w - lr * (1 - mu) / (1 - mu_product) * dw / denom
    w = w - lr * mu_next / (1 - mu_product * mu_next) * exp_avg / denom
    return w, exp_avg, exp_avg_sq
