"""Inverted dropout and its variants (DropConnect, spatial dropout).

Every mask is drawn with exactly one ``rng.random(shape)`` call and is
``(rng.random(shape) < keep_prob) / keep_prob``: kept units are scaled by ``1/keep_prob`` during
training, so nothing needs rescaling at test time.
"""

from __future__ import annotations

import numpy as np

from . import _check

__all__ = [
    "dropout_forward",
    "dropout_backward",
    "Dropout",
    "dropconnect_forward",
    "spatial_dropout_forward",
]


def _mask(rng: np.random.Generator, shape: tuple[int, ...], keep_prob: float) -> np.ndarray:
    return (rng.random(shape) < keep_prob) / keep_prob


def dropout_forward(
    A: np.ndarray, keep_prob: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout: ``mask = (rng.random(A.shape) < keep_prob) / keep_prob``.

    Returns ``(A*mask, mask)``. Valid: ``0 < keep_prob <= 1``.
    """
    A = _check.array("A", A)
    keep_prob = _check.keep_prob(keep_prob)
    rng = _check.generator("rng", rng)
    mask = _mask(rng, A.shape, keep_prob)
    return A * mask, mask


def dropout_backward(dA: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The gradient through dropout: ``dA * mask`` (the mask already holds the ``1/keep_prob``)."""
    dA = _check.array("dA", dA)
    mask = _check.array("mask", mask)
    _check.same_shape(dA=dA, mask=mask)
    return dA * mask


class Dropout:
    """An inverted-dropout layer that remembers its mask for ``backward``.

    ``forward(A, rng, training=True)``: as :func:`dropout_forward` (one ``rng.random(A.shape)``
    call), keeps the mask, returns ``A*mask``. ``training=False``: returns ``A`` unchanged (a copy)
    and draws nothing. ``backward(dA)`` returns ``dA*mask`` with the mask of the last training
    forward. Valid: ``0 < keep_prob <= 1``.
    """

    def __init__(self, keep_prob: float) -> None:
        self.keep_prob = _check.keep_prob(keep_prob)
        self.mask: np.ndarray | None = None

    def forward(self, A: np.ndarray, rng: np.random.Generator | None, training: bool = True) -> np.ndarray:
        A = _check.array("A", A)
        if not training:
            return A.copy()
        rng = _check.generator("rng", rng)
        self.mask = _mask(rng, A.shape, self.keep_prob)
        return A * self.mask

    def backward(self, dA: np.ndarray) -> np.ndarray:
        if self.mask is None:
            raise ValueError("backward needs a training forward first: no dropout mask has been drawn")
        dA = _check.array("dA", dA)
        if dA.shape != self.mask.shape:
            raise ValueError(
                f"dA must have the shape of the last training forward's input {self.mask.shape}, "
                f"got {dA.shape}"
            )
        return dA * self.mask

    def __repr__(self) -> str:
        return f"Dropout(keep_prob={self.keep_prob})"


def dropconnect_forward(
    A_prev: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    keep_prob: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """DropConnect: drop weights instead of activations.

    ``mask = (rng.random(W.shape) < keep_prob) / keep_prob``; ``Z = A_prev @ (W*mask) + b``.
    ``A_prev (m, n_in)``, ``W (n_in, n_out)``, ``b (n_out,)`` (or ``(1, n_out)``). One mask for the
    whole batch, a simplification of the paper's per-example masks. Returns ``(Z, mask)``.
    """
    A_prev = _check.array("A_prev", A_prev)
    W = _check.array("W", W)
    b = _check.array("b", b)
    if A_prev.ndim != 2:
        raise ValueError(f"A_prev must be 2-D (m, n_in), got shape {A_prev.shape}")
    if W.ndim != 2 or W.shape[0] != A_prev.shape[1]:
        raise ValueError(f"W must be 2-D (n_in={A_prev.shape[1]}, n_out), got shape {W.shape}")
    n_out = W.shape[1]
    if b.shape not in ((n_out,), (1, n_out)):
        raise ValueError(f"b must have shape ({n_out},) or (1, {n_out}), got {b.shape}")
    keep_prob = _check.keep_prob(keep_prob)
    rng = _check.generator("rng", rng)
    mask = _mask(rng, W.shape, keep_prob)
    Z = A_prev @ (W * mask) + b
    return Z, mask


def spatial_dropout_forward(
    A: np.ndarray, keep_prob: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Spatial dropout: drop whole channels of feature maps.

    ``A`` is ``(m, C, H, W)``; ``mask = (rng.random((m, C, 1, 1)) < keep_prob) / keep_prob``;
    returns ``(A*mask, mask)`` (the mask broadcasts over ``H, W``).
    """
    A = _check.array("A", A)
    if A.ndim != 4:
        raise ValueError(f"A must be 4-D (m, C, H, W), got shape {A.shape}")
    keep_prob = _check.keep_prob(keep_prob)
    rng = _check.generator("rng", rng)
    m, C = A.shape[:2]
    mask = _mask(rng, (m, C, 1, 1), keep_prob)
    return A * mask, mask
