# style: a port of PyTorch's Adamax loop (exp_inf = max(beta2*exp_inf, |g| + eps))
# diagnosis: eps-inside-max
import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    exp_avg = v * beta1 + dw * (1 - beta1)
    norm_buf = np.stack([u * beta2, np.abs(dw) + eps], axis=0)
    exp_inf = np.amax(norm_buf, axis=0)
    bias_correction = 1 - beta1 ** t
    clr = lr / bias_correction
    return w - clr * exp_avg / exp_inf, exp_avg, exp_inf
