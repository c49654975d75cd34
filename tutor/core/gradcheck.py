"""Finite-difference gradient checking (central differences, relative error).

For every entry ``θ_i`` of every parameter array::

    numerical ∂J/∂θ_i ≈ (J(θ + ε·e_i) − J(θ − ε·e_i)) / (2ε)        error O(ε²)

and the analytic gradient ``g`` is compared with the numerical one ``n`` by the relative error::

    rel = ‖g − n‖₂ / max(‖g‖₂ + ‖n‖₂, tiny)

A correct backward pass gives ``rel`` around 1e-9 to 1e-11 in float64 with ``ε = 1e-6``; a wrong
one gives something near 1. ReLU's kink (and L1's at 0) breaks the check when an input lies within
``ε`` of it: use smooth activations, or inputs kept away from the kink.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from . import _check

__all__ = ["numerical_gradients", "relative_error", "GradCheck", "gradcheck", "check_model"]


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``‖a − b‖₂ / max(‖a‖₂ + ‖b‖₂, 1e-300)`` (0 when both are 0)."""
    a = _check.array("a", a)
    b = _check.array("b", b)
    _check.same_shape(a=a, b=b)
    den = float(np.linalg.norm(a) + np.linalg.norm(b))
    if den == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / max(den, 1e-300))


def numerical_gradients(
    f: Callable[[], float], params: Mapping[str, np.ndarray], eps: float = 1e-6
) -> dict[str, np.ndarray]:
    """Central differences of ``f()`` with respect to every entry of every array of ``params``.

    ``f`` takes no argument and reads the arrays of ``params``; each entry is nudged in place by
    ``±eps`` and restored exactly. Returns ``{"d" + name: array}``.
    """
    params = _check.mapping("params", params)
    eps = _check.positive("eps", eps)
    if not callable(f):
        raise ValueError("f must be a callable f() -> loss")
    out: dict[str, np.ndarray] = {}
    for name, arr in params.items():
        if not isinstance(arr, np.ndarray) or arr.dtype != np.float64:
            raise ValueError(f"params[{name!r}] must be a float64 ndarray (it is nudged in place)")
        if not arr.flags.writeable:
            raise ValueError(f"params[{name!r}] must be writeable")
        grad = np.empty_like(arr)
        flat = arr.reshape(-1)
        if not np.shares_memory(flat, arr):
            raise ValueError(f"params[{name!r}] must be contiguous")
        gflat = grad.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            f_plus = float(f())
            flat[i] = old - eps
            f_minus = float(f())
            flat[i] = old
            gflat[i] = (f_plus - f_minus) / (2 * eps)
        out["d" + name] = grad
    return out


@dataclass(frozen=True, eq=False)
class GradCheck:
    """The result of :func:`gradcheck`: the overall relative error and one per gradient key."""

    relative_error: float
    per_key: dict[str, float]
    numerical: dict[str, np.ndarray]

    def passed(self, tol: float = 1e-7) -> bool:
        return self.relative_error < tol


def gradcheck(
    f: Callable[[], float],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    eps: float = 1e-6,
) -> GradCheck:
    """Compare analytic ``grads`` (``{"dW1": …}``) with central differences of ``f`` at ``params``.

    The overall error concatenates every gradient into one vector.
    """
    grads = _check.mapping("grads", grads)
    num = numerical_gradients(f, params, eps)
    per_key: dict[str, float] = {}
    a_all, n_all = [], []
    for key, n in num.items():
        if key not in grads:
            raise ValueError(f"grads must have a key {key!r}; it has {sorted(grads)}")
        a = _check.array(f"grads[{key!r}]", grads[key])
        if a.shape != n.shape:
            raise ValueError(f"grads[{key!r}] must have shape {n.shape}, got {a.shape}")
        per_key[key] = relative_error(a, n)
        a_all.append(a.ravel())
        n_all.append(n.ravel())
    total = relative_error(np.concatenate(a_all), np.concatenate(n_all))
    return GradCheck(total, per_key, num)


def check_model(
    model, X: np.ndarray, Y: np.ndarray, *, eps: float = 1e-6, seed: int | None = None
) -> GradCheck:
    """Grad-check an :class:`~tutor.core.model.MLP` on ``(X, Y)`` (loss with its penalty).

    Without ``seed`` the model runs in evaluation mode (no dropout). With ``seed`` it runs in training
    mode and every evaluation draws its dropout masks from ``numpy.random.default_rng(seed)``, so
    each evaluation uses the same masks and the check covers the dropout backward pass too.
    """

    def rng() -> np.random.Generator | None:
        return None if seed is None else np.random.default_rng(seed)

    training = seed is not None
    _, grads = model.loss_and_grads(X, Y, training=training, rng=rng())
    grads = {k: v.copy() for k, v in grads.items()}

    def f() -> float:
        return model.loss(X, Y, training=training, rng=rng())

    return gradcheck(f, model.params, grads, eps)
