# style: d2l.ai "Momentum" chapter (states updated with [:], PyTorch's v = beta*v + g)
# diagnosis: forgot-one-minus-beta
import numpy as np


def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams["momentum"] * v + p.grad
        p[:] -= hyperparams["lr"] * v


class _Param(np.ndarray):
    pass


def momentum_update(w, dw, v, lr, beta=0.9):
    p = np.array(w, dtype=float).view(_Param)
    p.grad = dw
    state = np.array(v, dtype=float)
    sgd_momentum([p], [state], {"momentum": beta, "lr": lr})
    return np.asarray(p), state
