"""L1, L2 and Elastic Net penalties on the weights (keys starting with ``W``; biases ``b`` never).

``params`` is ``{"W1": ..., "b1": ..., ...}``, ``grads`` is ``{"dW1": ..., "db1": ...}``, ``m`` the
number of examples the data term averages over. Costs are Python floats; the ``*_grads``
functions return a new dict of new arrays: every ``dW`` plus the penalty's gradient, every other
entry copied unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import _check

__all__ = [
    "l2_cost",
    "l2_grads",
    "l1_cost",
    "l1_grads",
    "elastic_net_cost",
    "elastic_net_grads",
    "penalty_cost",
    "penalty_grads",
    "PENALTIES",
]

PENALTIES = ("none", "l1", "l2", "elastic_net")


def _weights(params: Any) -> dict[str, np.ndarray]:
    params = _check.mapping("params", params)
    return {
        key: _check.array(f"params[{key!r}]", value)
        for key, value in params.items()
        if isinstance(key, str) and key.startswith("W")
    }


def _m(m: Any) -> int:
    return _check.integer("m", m, minimum=1)


def _add_to_weight_grads(grads: Any, params: Any, gradient_of) -> dict[str, np.ndarray]:
    """Copy ``grads``; for every weight ``W`` of ``params``, ``dW += gradient_of(W)``."""
    grads = _check.mapping("grads", grads)
    weights = _weights(params)
    out: dict[str, Any] = {}
    for key, value in grads.items():
        out[key] = np.array(value, dtype=np.float64, copy=True)
    for key, W in weights.items():
        gkey = "d" + key
        if gkey not in out:
            raise ValueError(f"grads must have a key {gkey!r} for params[{key!r}]; it has {sorted(out)}")
        if out[gkey].shape != W.shape:
            raise ValueError(
                f"grads[{gkey!r}] must have the shape of params[{key!r}] {W.shape}, "
                f"got {out[gkey].shape}"
            )
        out[gkey] = out[gkey] + gradient_of(W)
    return out


def l2_cost(params: Mapping[str, np.ndarray], lambd: float, m: int) -> float:
    """``(lambd/(2*m)) * sum(sum(W**2) for every weight W)``."""
    weights = _weights(params)
    lambd = _check.nonnegative("lambd", lambd)
    m = _m(m)
    return float((lambd / (2 * m)) * sum(float(np.sum(W**2)) for W in weights.values()))


def l2_grads(
    grads: Mapping[str, np.ndarray], params: Mapping[str, np.ndarray], lambd: float, m: int
) -> dict[str, np.ndarray]:
    """A new dict: every ``dW`` gets ``+ (lambd/m)*W``; every ``db`` unchanged."""
    lambd = _check.nonnegative("lambd", lambd)
    m = _m(m)
    return _add_to_weight_grads(grads, params, lambda W: (lambd / m) * W)


def l1_cost(params: Mapping[str, np.ndarray], lambd: float, m: int) -> float:
    """``(lambd/m) * sum(sum(abs(W)))`` over the weights."""
    weights = _weights(params)
    lambd = _check.nonnegative("lambd", lambd)
    m = _m(m)
    return float((lambd / m) * sum(float(np.sum(np.abs(W))) for W in weights.values()))


def l1_grads(
    grads: Mapping[str, np.ndarray], params: Mapping[str, np.ndarray], lambd: float, m: int
) -> dict[str, np.ndarray]:
    """A new dict: every ``dW`` gets ``+ (lambd/m)*sign(W)`` (``sign(0) = 0``); every ``db`` unchanged."""
    lambd = _check.nonnegative("lambd", lambd)
    m = _m(m)
    return _add_to_weight_grads(grads, params, lambda W: (lambd / m) * np.sign(W))


def elastic_net_cost(
    params: Mapping[str, np.ndarray], lambd1: float, lambd2: float, m: int
) -> float:
    """``(lambd1/m)*sum|W| + (lambd2/(2*m))*sum W**2`` over the weights."""
    weights = _weights(params)
    lambd1 = _check.nonnegative("lambd1", lambd1)
    lambd2 = _check.nonnegative("lambd2", lambd2)
    m = _m(m)
    l1 = sum(float(np.sum(np.abs(W))) for W in weights.values())
    l2 = sum(float(np.sum(W**2)) for W in weights.values())
    return float((lambd1 / m) * l1 + (lambd2 / (2 * m)) * l2)


def elastic_net_grads(
    grads: Mapping[str, np.ndarray],
    params: Mapping[str, np.ndarray],
    lambd1: float,
    lambd2: float,
    m: int,
) -> dict[str, np.ndarray]:
    """A new dict: every ``dW`` gets ``+ (lambd1/m)*sign(W) + (lambd2/m)*W``; every ``db`` unchanged."""
    lambd1 = _check.nonnegative("lambd1", lambd1)
    lambd2 = _check.nonnegative("lambd2", lambd2)
    m = _m(m)
    return _add_to_weight_grads(
        grads, params, lambda W: (lambd1 / m) * np.sign(W) + (lambd2 / m) * W
    )


def _kind(kind: Any) -> str:
    if kind not in PENALTIES:
        raise ValueError(f"kind must be one of {PENALTIES}, got {kind!r}")
    return kind


def penalty_cost(
    params: Mapping[str, np.ndarray], kind: str, lambd1: float, lambd2: float, m: int
) -> float:
    """The penalty named by ``kind``: ``"none"`` (0), ``"l1"`` (uses ``lambd1``), ``"l2"`` (uses
    ``lambd2``), ``"elastic_net"`` (both)."""
    kind = _kind(kind)
    if kind == "none":
        _weights(params)
        return 0.0
    if kind == "l1":
        return l1_cost(params, lambd1, m)
    if kind == "l2":
        return l2_cost(params, lambd2, m)
    return elastic_net_cost(params, lambd1, lambd2, m)


def penalty_grads(
    grads: Mapping[str, np.ndarray],
    params: Mapping[str, np.ndarray],
    kind: str,
    lambd1: float,
    lambd2: float,
    m: int,
) -> dict[str, np.ndarray]:
    """``grads`` plus the gradient of :func:`penalty_cost` (a new dict, as the ``*_grads`` functions)."""
    kind = _kind(kind)
    if kind == "none":
        return _add_to_weight_grads(grads, params, lambda W: 0.0)
    if kind == "l1":
        return l1_grads(grads, params, lambd1, m)
    if kind == "l2":
        return l2_grads(grads, params, lambd2, m)
    return elastic_net_grads(grads, params, lambd1, lambd2, m)
