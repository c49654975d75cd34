"""Optimizer update rules: the readable reference functions of ``curriculum.md``.

Every function takes the current parameter ``w``, its gradient ``dw`` and the optimizer state, and
returns *new* arrays ``(w', state')`` without touching its inputs. The names follow the lessons:
``v`` is the first moment (momentum), ``s`` the second moment, ``cache`` the sum/average of squared
gradients, ``u`` AdaMax's infinity norm. ``t`` is the 1-based step counter.

The optimizer classes (same module, below the functions) apply the same rules in place to a dict of
parameters; they are tested equal to these functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _check

__all__ = [
    "sgd_update",
    "momentum_update",
    "momentum_bc_update",
    "nesterov_update",
    "adagrad_update",
    "rmsprop_update",
    "adam_update",
    "adamax_update",
    "nadam_update",
    "adamw_update",
]


def _arrays(**named: Any) -> list[np.ndarray]:
    out = {name: _check.array(name, value) for name, value in named.items()}
    _check.same_shape(**out)
    return list(out.values())


def _step(t: Any) -> int:
    return _check.integer("t", t, minimum=1)


def sgd_update(w: np.ndarray, dw: np.ndarray, lr: float) -> np.ndarray:
    """Plain gradient descent: ``w' = w - lr*dw``. Returns ``w'``."""
    w, dw = _arrays(w=w, dw=dw)
    lr = _check.positive("lr", lr)
    return w - lr * dw


def momentum_update(
    w: np.ndarray, dw: np.ndarray, v: np.ndarray, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Momentum as an exponentially weighted average of the gradients.

    ``v' = beta*v + (1-beta)*dw``;  ``w' = w - lr*v'``.  Returns ``(w', v')``.
    """
    w, dw, v = _arrays(w=w, dw=dw, v=v)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * v_new
    return w_new, v_new


def momentum_bc_update(
    w: np.ndarray, dw: np.ndarray, v: np.ndarray, t: int, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Momentum with bias correction of the average.

    ``v' = beta*v + (1-beta)*dw``;  ``w' = w - lr*v'/(1-beta**t)``.  Returns ``(w', v')``,
    the average uncorrected.
    """
    w, dw, v = _arrays(w=w, dw=dw, v=v)
    t = _step(t)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * v_new / (1 - beta**t)
    return w_new, v_new


def nesterov_update(
    w: np.ndarray, dw: np.ndarray, v: np.ndarray, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Nesterov momentum (the look-ahead written on the current gradient).

    ``v' = beta*v + (1-beta)*dw``;  ``w' = w - lr*(beta*v' + (1-beta)*dw)``.  Returns ``(w', v')``.
    (torch: ``SGD(lr=lr*(1-beta), momentum=beta, nesterov=True)``.)
    """
    w, dw, v = _arrays(w=w, dw=dw, v=v)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * (beta * v_new + (1 - beta) * dw)
    return w_new, v_new


def adagrad_update(
    w: np.ndarray, dw: np.ndarray, cache: np.ndarray, lr: float, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """AdaGrad: a per-parameter rate that shrinks with the sum of squared gradients.

    ``cache' = cache + dw**2``;  ``w' = w - lr*dw/(sqrt(cache') + eps)``.  Returns ``(w', cache')``.
    """
    w, dw, cache = _arrays(w=w, dw=dw, cache=cache)
    lr = _check.positive("lr", lr)
    eps = _check.nonnegative("eps", eps)
    cache_new = cache + dw**2
    w_new = w - lr * dw / (np.sqrt(cache_new) + eps)
    return w_new, cache_new


def rmsprop_update(
    w: np.ndarray,
    dw: np.ndarray,
    cache: np.ndarray,
    lr: float,
    beta: float = 0.9,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:
    """RMSProp: AdaGrad with a moving average instead of a sum.

    ``cache' = beta*cache + (1-beta)*dw**2``;  ``w' = w - lr*dw/(sqrt(cache') + eps)``.
    Returns ``(w', cache')``.
    """
    w, dw, cache = _arrays(w=w, dw=dw, cache=cache)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    eps = _check.nonnegative("eps", eps)
    cache_new = beta * cache + (1 - beta) * dw**2
    w_new = w - lr * dw / (np.sqrt(cache_new) + eps)
    return w_new, cache_new


def _adam_args(
    w: Any, dw: Any, v: Any, s: Any, t: Any, lr: Any, beta1: Any, beta2: Any, eps: Any, s_name: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, float, float, float, float]:
    w, dw, v, s = _arrays(w=w, dw=dw, v=v, **{s_name: s})
    return (
        w,
        dw,
        v,
        s,
        _step(t),
        _check.positive("lr", lr),
        _check.beta("beta1", beta1),
        _check.beta("beta2", beta2),
        _check.nonnegative("eps", eps),
    )


def adam_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam: momentum and RMSProp with bias correction.

    ``v' = beta1*v + (1-beta1)*dw``;  ``s' = beta2*s + (1-beta2)*dw**2``;
    ``v_hat = v'/(1-beta1**t)``;  ``s_hat = s'/(1-beta2**t)``;
    ``w' = w - lr*v_hat/(sqrt(s_hat) + eps)``.  Returns ``(w', v', s')``, the moments uncorrected.
    """
    w, dw, v, s, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, s, t, lr, beta1, beta2, eps, "s")
    v_new = beta1 * v + (1 - beta1) * dw
    s_new = beta2 * s + (1 - beta2) * dw**2
    v_hat = v_new / (1 - beta1**t)
    s_hat = s_new / (1 - beta2**t)
    w_new = w - lr * v_hat / (np.sqrt(s_hat) + eps)
    return w_new, v_new, s_new


def adamax_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    u: np.ndarray,
    t: int,
    lr: float = 0.002,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AdaMax: Adam with the infinity norm in place of the second moment.

    ``v' = beta1*v + (1-beta1)*dw``;  ``u' = maximum(beta2*u, abs(dw))``;
    ``w' = w - (lr/(1-beta1**t)) * v'/(u' + eps)``.  Returns ``(w', v', u')``.
    """
    w, dw, v, u, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, u, t, lr, beta1, beta2, eps, "u")
    v_new = beta1 * v + (1 - beta1) * dw
    u_new = np.maximum(beta2 * u, np.abs(dw))
    w_new = w - (lr / (1 - beta1**t)) * v_new / (u_new + eps)
    return w_new, v_new, u_new


def nadam_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    t: int,
    lr: float = 0.002,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nadam (Dozat's form with constant momentum ``beta1``).

    ``v'``, ``s'``, ``s_hat`` as in Adam;
    ``v_bar = beta1*v'/(1-beta1**(t+1)) + (1-beta1)*dw/(1-beta1**t)``;
    ``w' = w - lr*v_bar/(sqrt(s_hat) + eps)``.  Returns ``(w', v', s')``.
    """
    w, dw, v, s, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, s, t, lr, beta1, beta2, eps, "s")
    v_new = beta1 * v + (1 - beta1) * dw
    s_new = beta2 * s + (1 - beta2) * dw**2
    s_hat = s_new / (1 - beta2**t)
    v_bar = beta1 * v_new / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    w_new = w - lr * v_bar / (np.sqrt(s_hat) + eps)
    return w_new, v_new, s_new


def adamw_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    wd: float = 0.01,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AdamW: decoupled weight decay, then an Adam step.

    ``w <- w*(1 - lr*wd)``, then ``adam_update`` on that ``w`` with the same ``dw``.
    Unlike L2 in the loss, the decay is not divided by ``sqrt(s_hat)``. Returns ``(w', v', s')``.
    """
    w, dw, v, s, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, s, t, lr, beta1, beta2, eps, "s")
    wd = _check.nonnegative("wd", wd)
    if lr * wd >= 1:
        raise ValueError(f"lr*wd must be < 1 (the decay factor 1 - lr*wd must stay positive), got {lr * wd}")
    return adam_update(w * (1 - lr * wd), dw, v, s, t, lr, beta1, beta2, eps)
