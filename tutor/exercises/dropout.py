"""Cases and known mistakes of the dropout exercises (lessons 9.2–9.5, 9.7), and the reference of
the extra exercise ``dropout_network``.

Exercises (reference ``tutor.core.dropout`` unless noted)::

    dropout_forward(A, keep_prob, rng)       mask = (rng.random(A.shape) < keep_prob) / keep_prob
                                             returns (A*mask, mask)
    dropout_backward(dA, mask)               dA * mask
    dropout_layer: class Dropout(keep_prob)  forward(A, rng, training=True), backward(dA)
    dropconnect_forward(A_prev, W, b, keep_prob, rng)
                                             mask = (rng.random(W.shape) < keep_prob) / keep_prob
                                             Z = A_prev @ (W*mask) + b; returns (Z, mask)
    spatial_dropout_forward(A, keep_prob, rng)
                                             mask = (rng.random((m, C, 1, 1)) < keep_prob) / keep_prob
    dropout_network (extra; reference: this module's forward_backward)

Everything that draws gets an identically seeded generator (``Rng`` marker): a learner who makes
the stated single ``rng.random`` call draws the reference's numbers. ``Dropout`` runs as a
trajectory on one shared generator (``let`` + ``Ref``), so a draw in test mode shifts the next
training mask and is caught. Cases hold keep_prob = 1, small keep_prob, exact zeros and negative
activations, 1-D, non-square 2-D and 4-D arrays. Mistakes are self-contained (``numpy`` only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tutor.core import _check
from tutor.grading.cases import (
    Ref,
    Rng,
    call,
    call_case,
    case,
    let,
    method,
    new,
    normal,
    random_shape,
    rng_marker,
    snapshot,
    with_zeros,
)

__all__ = ["forward_backward"]

# --------------------------------------------------------------------------- shared data


def _keep_prob(rng: np.random.Generator) -> float:
    return round(float(rng.uniform(0.2, 0.95)), 3)


def _activations(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Activations with negative values and exact zeros (what a ReLU or tanh layer gives)."""
    return with_zeros(rng, normal(rng, shape, 2.0), share=0.2)


def _mask(rng: np.random.Generator, shape: tuple[int, ...], keep_prob: float) -> np.ndarray:
    return (rng.random(shape) < keep_prob) / keep_prob


# --------------------------------------------------------------------------- dropout_forward

_LESSON_A = np.array([[1.0, 2.0, 3.0, 4.0], [0.5, 1.5, 2.5, 3.5]])


def dropout_forward_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    def df(name: str, A: np.ndarray, keep_prob: float, seed: Any = None) -> dict[str, Any]:
        return call_case(name, "dropout_forward", A=A, keep_prob=keep_prob,
                         rng=rng_marker(rng) if seed is None else seed)

    cases = [
        df("the lesson's example: keep_prob = 0.5, default_rng(2)", _LESSON_A.copy(), 0.5, Rng(2)),
        df("keep_prob = 1: nothing dropped", _activations(rng, (3, 4)), 1.0),
        df("small keep_prob = 0.05", _activations(rng, (6, 5)), 0.05),
        df("1-D activations", _activations(rng, (7,)), 0.7),
        df("4-D activations (m, C, H, W)", _activations(rng, (2, 3, 2, 2)), 0.6),
        df("negative values and exact zeros", with_zeros(rng, normal(rng, (4, 3)), share=0.4), 0.8),
    ]
    for i in range(9):
        shape = random_shape(rng)
        keep_prob = _keep_prob(rng)
        cases.append(df(f"random {i + 1}: shape {shape}, keep_prob = {keep_prob}", _activations(rng, shape), keep_prob))
    return cases


def dropout_forward_no_scaling(A, keep_prob, rng):
    """A 0/1 mask: dropped units are zeroed but the kept ones are not divided by keep_prob."""
    mask = (rng.random(A.shape) < keep_prob).astype(float)
    return A * mask, mask


def dropout_forward_greater(A, keep_prob, rng):
    """``rng.random(A.shape) > keep_prob``: each unit is kept with probability 1 − keep_prob."""
    mask = (rng.random(A.shape) > keep_prob) / keep_prob
    return A * mask, mask


def dropout_forward_binomial(A, keep_prob, rng):
    """``rng.binomial(1, keep_prob, A.shape)``: right in distribution, but another random stream."""
    mask = rng.binomial(1, keep_prob, size=A.shape) / keep_prob
    return A * mask, mask


def dropout_forward_mask_unscaled(A, keep_prob, rng):
    """``A*mask/keep_prob`` is right, but the returned mask is the 0/1 pattern without 1/keep_prob."""
    mask = (rng.random(A.shape) < keep_prob).astype(float)
    return A * mask / keep_prob, mask


def dropout_forward_boolean_mask(A, keep_prob, rng):
    """``A*kept/keep_prob`` is right, but the returned mask is the boolean array ``kept`` itself."""
    kept = rng.random(A.shape) < keep_prob
    return A * kept / keep_prob, kept


# --------------------------------------------------------------------------- dropout_backward


def dropout_backward_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    def db(name: str, shape: tuple[int, ...], keep_prob: float) -> dict[str, Any]:
        return call_case(name, "dropout_backward", dA=_activations(rng, shape), mask=_mask(rng, shape, keep_prob))

    cases = [
        call_case(
            "the lesson's example (9.4): keep_prob = 0.5",
            "dropout_backward",
            dA=np.array([[0.1, -0.3, 0.5, 0.2], [0.4, 0.2, -0.1, 0.3]]),
            mask=np.array([[2.0, 2.0, 0.0, 2.0], [0.0, 0.0, 2.0, 2.0]]),
        ),
        db("keep_prob = 0.5, (2, 4)", (2, 4), 0.5),
        db("keep_prob = 1: the mask is all ones", (3, 2), 1.0),
        db("small keep_prob = 0.1", (5, 4), 0.1),
        db("a square (3, 3) gradient", (3, 3), 0.6),
        db("1-D gradient", (6,), 0.75),
        db("4-D gradient", (2, 2, 3, 2), 0.8),
    ]
    # dA passed by reference and looked at after the call: `dA *= mask` changes the caller's array
    cases.append(
        case(
            "the caller's dA is left unchanged",
            let("dA", _activations(rng, (3, 4))),
            call("dropout_backward", "result", dA=Ref("dA"), mask=_mask(rng, (3, 4), 0.5)),
            snapshot("dA", "the caller's dA after the call"),
        )
    )
    for i in range(9):
        shape = random_shape(rng)
        keep_prob = _keep_prob(rng)
        cases.append(db(f"random {i + 1}: shape {shape}, keep_prob = {keep_prob}", shape, keep_prob))
    return cases


def dropout_backward_ignores_mask(dA, mask):
    """Returns ``dA`` unchanged, as if dropout were only noise that backprop can skip."""
    return dA.copy()


def dropout_backward_unscaled(dA, mask):
    """``dA * (mask > 0)``: the 0/1 pattern, without the 1/keep_prob the forward pass applied."""
    return dA * (mask > 0)


def dropout_backward_matrix_product(dA, mask):
    """``np.dot(dA, mask)``: a matrix product instead of the elementwise product."""
    return np.dot(dA, mask)


# --------------------------------------------------------------------------- dropout_layer (class Dropout)


def _layer_trajectory(
    rng: np.random.Generator, name: str, shape: tuple[int, ...], keep_prob: float
) -> dict[str, Any]:
    """Train forward/backward, a test-mode forward (and a backward after it), then train again.

    One generator is shared by every forward (``Ref("rng")``), as in a training loop.
    """
    A1, A2, A3 = (_activations(rng, shape) for _ in range(3))
    dA1, dA1b, dA3 = (normal(rng, shape) for _ in range(3))
    return case(
        name,
        new("Dropout", "layer", keep_prob=keep_prob),
        let("rng", rng_marker(rng)),
        method("layer", "forward", "forward 1 (training)", A=A1, rng=Ref("rng"), training=True),
        method("layer", "backward", "backward 1", dA=dA1),
        method("layer", "forward", "forward 2 (test mode)", A=A2, rng=Ref("rng"), training=False),
        method("layer", "backward", "backward after the test-mode forward (mask of forward 1)", dA=dA1b),
        method("layer", "forward", "forward 3 (training, default mode)", A=A3, rng=Ref("rng")),
        method("layer", "backward", "backward 3", dA=dA3),
    )


def dropout_layer_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = [
        _layer_trajectory(rng, "keep_prob = 0.5 on (2, 4) activations", (2, 4), 0.5),
        _layer_trajectory(rng, "keep_prob = 1: nothing dropped", (3, 2), 1.0),
        _layer_trajectory(rng, "small keep_prob = 0.1", (4, 5), 0.1),
        _layer_trajectory(rng, "1-D activations", (5,), 0.7),
        _layer_trajectory(rng, "4-D activations", (2, 1, 2, 3), 0.6),
    ]
    # two layers, one generator: each object keeps its own mask
    A, B = _activations(rng, (3, 4)), _activations(rng, (3, 2))
    cases.append(
        case(
            "two Dropout layers with one generator: each keeps its own mask",
            new("Dropout", "drop1", keep_prob=0.8),
            new("Dropout", "drop2", keep_prob=0.5),
            let("rng", rng_marker(rng)),
            method("drop1", "forward", "drop1 forward", A=A, rng=Ref("rng")),
            method("drop2", "forward", "drop2 forward", A=B, rng=Ref("rng")),
            method("drop2", "backward", "drop2 backward", dA=normal(rng, (3, 2))),
            method("drop1", "backward", "drop1 backward", dA=normal(rng, (3, 4))),
        )
    )
    for i in range(9):
        shape = random_shape(rng)
        keep_prob = _keep_prob(rng)
        cases.append(_layer_trajectory(rng, f"random {i + 1}: shape {shape}, keep_prob = {keep_prob}", shape, keep_prob))
    return cases


class DropoutTestModeDrops:
    """Applies dropout in test mode too (the ``training`` flag ignored)."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutTestModeScales:
    """Test mode returns ``A * keep_prob`` (the old non-inverted correction, on top of inverted dropout)."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A * self.keep_prob
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutTestModeDraws:
    """Test mode returns ``A`` but draws a mask first (the draw shifts every later training mask)."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        kept = rng.random(A.shape) < self.keep_prob
        if not training:
            return A.copy()
        self.mask = kept / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutTestModeResetsMask:
    """Test mode stores a mask of ones: a ``backward`` after it no longer uses the training mask."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if training:
            self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        else:
            self.mask = np.ones(A.shape)
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutNoScaling:
    """A 0/1 mask: kept units are not divided by keep_prob (in forward and backward)."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A.copy()
        self.mask = (rng.random(A.shape) < self.keep_prob).astype(float)
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutBackwardUnscaled:
    """The forward pass is right; ``backward`` uses the 0/1 pattern ``mask > 0`` without 1/keep_prob."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A.copy()
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA * (self.mask > 0)


# --------------------------------------------------------------------------- dropconnect_forward


def dropconnect_forward_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    def dc(name: str, m: int, n_in: int, n_out: int, keep_prob: float, *, b_row: bool = False,
           seed: Any = None) -> dict[str, Any]:
        b = normal(rng, (1, n_out) if b_row else (n_out,))
        return call_case(
            name,
            "dropconnect_forward",
            A_prev=_activations(rng, (m, n_in)),
            W=with_zeros(rng, normal(rng, (n_in, n_out)), share=0.1),
            b=b,
            keep_prob=keep_prob,
            rng=rng_marker(rng) if seed is None else seed,
        )

    cases = [
        call_case(
            "the lesson's example (9.7): keep_prob = 0.5, default_rng(0)",
            "dropconnect_forward",
            A_prev=np.array([[1.0, 2.0], [3.0, -1.0]]),
            W=np.array([[0.5, -1.0, 2.0], [1.0, 0.5, -0.5]]),
            b=np.array([0.1, 0.0, -0.1]),
            keep_prob=0.5,
            rng=Rng(0),
        ),
        dc("keep_prob = 0.5, 3 examples, 2 → 3", 3, 2, 3, 0.5),
        dc("keep_prob = 1: the full W", 4, 3, 2, 1.0),
        dc("small keep_prob = 0.1", 5, 4, 3, 0.1),
        dc("one example", 1, 4, 2, 0.7),
        dc("b as a row (1, n_out)", 3, 2, 4, 0.6, b_row=True),
        dc("a single output unit", 4, 5, 1, 0.8),
    ]
    for i in range(9):
        m, n_in, n_out = (int(x) for x in rng.integers(2, 6, size=3))
        keep_prob = _keep_prob(rng)
        cases.append(dc(f"random {i + 1}: m = {m}, {n_in} → {n_out}, keep_prob = {keep_prob}", m, n_in, n_out, keep_prob))
    return cases


def dropconnect_masks_inputs(A_prev, W, b, keep_prob, rng):
    """Masks ``A_prev`` (that is dropout on the inputs), not the weights."""
    mask = (rng.random(A_prev.shape) < keep_prob) / keep_prob
    return (A_prev * mask) @ W + b, mask


def dropconnect_forgot_bias(A_prev, W, b, keep_prob, rng):
    """``Z = A_prev @ (W*mask)``: the bias is not added."""
    mask = (rng.random(W.shape) < keep_prob) / keep_prob
    return A_prev @ (W * mask), mask


def dropconnect_per_example(A_prev, W, b, keep_prob, rng):
    """The paper's per-example masks ``(m, n_in, n_out)`` instead of the one mask asked for here."""
    m = A_prev.shape[0]
    mask = (rng.random((m,) + W.shape) < keep_prob) / keep_prob
    Z = np.einsum("mi,mio->mo", A_prev, W * mask) + b
    return Z, mask


def dropconnect_no_scaling(A_prev, W, b, keep_prob, rng):
    """A 0/1 weight mask, not divided by keep_prob."""
    mask = (rng.random(W.shape) < keep_prob).astype(float)
    return A_prev @ (W * mask) + b, mask


# --------------------------------------------------------------------------- spatial_dropout_forward


def spatial_dropout_forward_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    def sd(name: str, shape: tuple[int, ...], keep_prob: float, seed: Any = None, A: Any = None) -> dict[str, Any]:
        return call_case(name, "spatial_dropout_forward", A=_activations(rng, shape) if A is None else A,
                         keep_prob=keep_prob, rng=rng_marker(rng) if seed is None else seed)

    cases = [
        sd("the lesson's example: ones (2, 3, 4, 4), keep_prob = 0.5, default_rng(0)", (2, 3, 4, 4), 0.5,
           Rng(0), np.ones((2, 3, 4, 4))),
        sd("keep_prob = 1: nothing dropped", (2, 2, 3, 3), 1.0),
        sd("small keep_prob = 0.1", (4, 5, 2, 2), 0.1),
        sd("one example", (1, 4, 3, 2), 0.6),
        sd("non-square maps H ≠ W", (3, 2, 2, 5), 0.7),
    ]
    for i in range(9):
        shape = tuple(int(x) for x in rng.integers(2, 5, size=4))
        keep_prob = _keep_prob(rng)
        cases.append(sd(f"random {i + 1}: shape {shape}, keep_prob = {keep_prob}", shape, keep_prob))
    return cases


def spatial_dropout_per_element(A, keep_prob, rng):
    """``rng.random(A.shape)``: ordinary dropout, one coin per value, not per channel."""
    mask = (rng.random(A.shape) < keep_prob) / keep_prob
    return A * mask, mask


def spatial_dropout_same_channels(A, keep_prob, rng):
    """``rng.random((1, C, 1, 1))``: the same channels dropped for every example of the batch."""
    mask = (rng.random((1, A.shape[1], 1, 1)) < keep_prob) / keep_prob
    return A * mask, mask


def spatial_dropout_no_scaling(A, keep_prob, rng):
    """A 0/1 channel mask, not divided by keep_prob."""
    m, C = A.shape[:2]
    mask = (rng.random((m, C, 1, 1)) < keep_prob).astype(float)
    return A * mask, mask


def spatial_dropout_mask_2d(A, keep_prob, rng):
    """Right values, but the mask is returned with shape ``(m, C)`` instead of ``(m, C, 1, 1)``."""
    m, C = A.shape[:2]
    mask = (rng.random((m, C)) < keep_prob) / keep_prob
    return A * mask[:, :, None, None], mask


# --------------------------------------------------------------------------- dropout_network (extra)


def forward_backward(
    X: np.ndarray,
    Y: np.ndarray,
    params: Mapping[str, np.ndarray],
    keep_prob: float,
    rng: np.random.Generator | None,
    training: bool = True,
) -> tuple[float, dict[str, np.ndarray]]:
    """Cost and gradients of a 2-layer ReLU → sigmoid network with inverted dropout on the hidden layer.

    ``X (m, n)``, ``Y (m, 1)`` of 0/1 labels, ``W1 (n, h)``, ``b1 (h,)``, ``W2 (h, 1)``, ``b2 (1,)``::

        Z1 = X @ W1 + b1;  A1 = max(Z1, 0)
        training: mask = (rng.random(A1.shape) < keep_prob) / keep_prob;  A1 = A1 * mask
        test mode (training=False): no mask, nothing drawn
        Z2 = A1 @ W2 + b2;  A2 = σ(Z2)
        cost = −mean(Y·log A2 + (1 − Y)·log(1 − A2))
        dZ2 = (A2 − Y)/m;  dW2 = A1ᵀ·dZ2 (A1 after dropout);  db2 = Σ_rows dZ2
        dA1 = dZ2 @ W2ᵀ;  training: dA1 = dA1 * mask
        dZ1 = dA1 * (Z1 > 0);  dW1 = Xᵀ·dZ1;  db1 = Σ_rows dZ1

    Returns ``(cost, {"dW1", "db1", "dW2", "db2"})``. Valid: ``0 < keep_prob ≤ 1``; ``rng`` a
    ``numpy.random.Generator`` when ``training``.
    """
    X = _check.array("X", X)
    Y = _check.array("Y", Y)
    params = _check.mapping("params", params)
    missing = {"W1", "b1", "W2", "b2"} - set(params)
    if missing:
        raise ValueError(f"params must hold W1, b1, W2, b2; missing {sorted(missing)}")
    W1, b1, W2, b2 = (_check.array(k, params[k]) for k in ("W1", "b1", "W2", "b2"))
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (m, n), got shape {X.shape}")
    m, n = X.shape
    if W1.ndim != 2 or W1.shape[0] != n:
        raise ValueError(f"W1 must have shape ({n}, h), got {W1.shape}")
    h = W1.shape[1]
    if b1.shape != (h,) or W2.shape != (h, 1) or b2.shape != (1,) or Y.shape != (m, 1):
        raise ValueError(
            f"expected b1 ({h},), W2 ({h}, 1), b2 (1,), Y ({m}, 1); got {b1.shape}, {W2.shape}, {b2.shape}, {Y.shape}"
        )
    keep_prob = _check.keep_prob(keep_prob)
    if not isinstance(training, (bool, np.bool_)):
        raise ValueError(f"training must be True or False, got {training!r}")

    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    mask = None
    if training:
        rng = _check.generator("rng", rng)
        mask = (rng.random(A1.shape) < keep_prob) / keep_prob
        A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    # binary cross-entropy from the logits: log(1 + e^z) − y·z, the same value, no log(0)
    cost = float(np.mean(np.logaddexp(0.0, Z2) - Y * Z2))

    dZ2 = (A2 - Y) / m
    dW2 = A1.T @ dZ2
    db2 = dZ2.sum(axis=0)
    dA1 = dZ2 @ W2.T
    if mask is not None:
        dA1 = dA1 * mask
    dZ1 = dA1 * (Z1 > 0)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    return cost, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def _net_case(
    rng: np.random.Generator, name: str, m: int, n: int, h: int, keep_prob: float, training: bool | None
) -> dict[str, Any]:
    X = normal(rng, (m, n))
    Y = (rng.random((m, 1)) < 0.5).astype(np.float64)
    params = {
        "W1": normal(rng, (n, h), 0.8),
        "b1": normal(rng, (h,), 0.3),
        "W2": normal(rng, (h, 1), 0.8),
        "b2": normal(rng, (1,), 0.3),
    }
    kwargs: dict[str, Any] = {"X": X, "Y": Y, "params": params, "keep_prob": keep_prob, "rng": rng_marker(rng)}
    if training is not None:
        kwargs["training"] = training
    if training is not False:
        return call_case(name, "forward_backward", **kwargs)
    # test mode must draw nothing: the generator's next number after the call shows a draw
    return case(
        name,
        let("rng", kwargs.pop("rng")),
        call("forward_backward", "result", rng=Ref("rng"), **kwargs),
        method("rng", "random", "rng.random() after the call (test mode must not draw)"),
    )


def dropout_network_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = [
        _net_case(rng, "training, keep_prob = 0.5, m = 6, 3 → 4 → 1", 6, 3, 4, 0.5, True),
        _net_case(rng, "training by default (no training argument)", 5, 2, 5, 0.7, None),
        _net_case(rng, "test mode (training=False), keep_prob = 0.5", 6, 3, 4, 0.5, False),
        _net_case(rng, "test mode, keep_prob = 0.8", 4, 2, 3, 0.8, False),
        _net_case(rng, "keep_prob = 1: plain backprop", 5, 3, 4, 1.0, True),
        _net_case(rng, "small keep_prob = 0.2", 8, 2, 6, 0.2, True),
        _net_case(rng, "one example", 1, 3, 5, 0.6, True),
    ]
    for i in range(9):
        m, n, h = int(rng.integers(2, 9)), int(rng.integers(1, 5)), int(rng.integers(2, 7))
        keep_prob = _keep_prob(rng)
        training = bool(rng.random() < 0.75)
        mode = "training" if training else "test mode"
        cases.append(
            _net_case(rng, f"random {i + 1}: {mode}, m = {m}, {n} → {h} → 1, keep_prob = {keep_prob}",
                      m, n, h, keep_prob, training)
        )
    return cases


def forward_backward_no_mask_in_backward(X, Y, params, keep_prob, rng, training=True):
    """Dropout in the forward pass, but ``dA1`` is not multiplied by the mask in the backward pass."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    if training:
        A1 = A1 * ((rng.random(A1.shape) < keep_prob) / keep_prob)
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ W2.T
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_drops_in_test_mode(X, Y, params, keep_prob, rng, training=True):
    """Drops units whatever ``training`` says: test mode is as noisy as training."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    mask = (rng.random(Z1.shape) < keep_prob) / keep_prob
    A1 = np.maximum(Z1, 0) * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dZ1 = (dZ2 @ W2.T) * mask * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_no_scaling(X, Y, params, keep_prob, rng, training=True):
    """A 0/1 mask, in forward and backward: kept units are not divided by keep_prob."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    mask = np.ones(A1.shape)
    if training:
        mask = (rng.random(A1.shape) < keep_prob).astype(float)
    A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dZ1 = (dZ2 @ W2.T) * mask * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_dw2_before_dropout(X, Y, params, keep_prob, rng, training=True):
    """``dW2`` computed from the hidden activations *before* dropout, not from what layer 2 received."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    mask = np.ones(A1.shape)
    if training:
        mask = (rng.random(A1.shape) < keep_prob) / keep_prob
    Z2 = (A1 * mask) @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dZ1 = (dZ2 @ W2.T) * mask * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_scales_in_test_mode(X, Y, params, keep_prob, rng, training=True):
    """Test mode multiplies the hidden activations by keep_prob (a correction inverted dropout does not need);
    the backward pass applies the mask in training only."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    if training:
        mask = (rng.random(A1.shape) < keep_prob) / keep_prob
    else:
        mask = np.full(A1.shape, keep_prob)
    A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ W2.T
    if training:
        dA1 = dA1 * mask  # the backward pass left as in training only
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_new_mask_in_backward(X, Y, params, keep_prob, rng, training=True):
    """The backward pass draws a second mask instead of reusing the forward pass's mask."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    if training:
        A1 = A1 * ((rng.random(A1.shape) < keep_prob) / keep_prob)
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ W2.T
    if training:
        dA1 = dA1 * ((rng.random(A1.shape) < keep_prob) / keep_prob)
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


# --------------------------------------------------------------------------- more mistakes (issue 14)


def dropout_forward_complement(A, keep_prob, rng):
    """``u > 1 − keep_prob``: right in distribution, but other units than ``u < keep_prob`` keeps."""
    mask = (rng.random(A.shape) > 1 - keep_prob) / keep_prob
    return A * mask, mask


def dropout_forward_times_keep_prob(A, keep_prob, rng):
    """The mask multiplied by keep_prob instead of divided (the test-time correction of classic dropout)."""
    mask = (rng.random(A.shape) < keep_prob) * keep_prob
    return A * mask, mask


def dropout_forward_drop_prob(A, keep_prob, rng):
    """keep_prob read as the drop probability (PyTorch's ``p``): ``u < 1 − keep_prob`` kept, ÷ (1 − keep_prob)."""
    p = 1 - keep_prob
    mask = (rng.random(A.shape) < p) / p if p > 0 else np.ones(A.shape)
    return A * mask, mask


class DropoutClassic:
    """Classic (non-inverted) dropout: a 0/1 mask in training, ``A * keep_prob`` in test mode."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A * self.keep_prob
        self.mask = (rng.random(A.shape) < self.keep_prob).astype(float)
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutComplement:
    """Keeps the units where ``u > 1 − keep_prob``: right in distribution, other units than the contract's."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A.copy()
        self.mask = (rng.random(A.shape) > 1 - self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


class DropoutBackwardIgnoresMask:
    """The forward pass is right; ``backward`` returns ``dA`` unchanged."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A.copy()
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA.copy()


def dropconnect_complement(A_prev, W, b, keep_prob, rng):
    """``u > 1 − keep_prob`` for the weight mask: right in distribution, other weights than the contract's."""
    mask = (rng.random(W.shape) > 1 - keep_prob) / keep_prob
    return A_prev @ (W * mask) + b, mask


def dropconnect_transposed_draw(A_prev, W, b, keep_prob, rng):
    """The mask drawn with shape ``(n_out, n_in)`` and transposed: other numbers than ``rng.random(W.shape)``."""
    mask = ((rng.random(W.T.shape) < keep_prob) / keep_prob).T
    return A_prev @ (W * mask) + b, mask


def dropconnect_masks_output(A_prev, W, b, keep_prob, rng):
    """``Z = (A_prev @ W + b) * mask`` with a mask of ``Z``'s shape: dropout on the outputs, not DropConnect."""
    Z = A_prev @ W + b
    mask = (rng.random(Z.shape) < keep_prob) / keep_prob
    return Z * mask, mask


def spatial_dropout_over_positions(A, keep_prob, rng):
    """``rng.random((m, 1, H, W))``: the same positions dropped in every channel, instead of whole channels."""
    m, C, H, W = A.shape
    mask = (rng.random((m, 1, H, W)) < keep_prob) / keep_prob
    return A * mask, mask


def spatial_dropout_complement(A, keep_prob, rng):
    """``u > 1 − keep_prob`` per channel: right in distribution, other channels than the contract's."""
    m, C = A.shape[:2]
    mask = (rng.random((m, C, 1, 1)) > 1 - keep_prob) / keep_prob
    return A * mask, mask


def forward_backward_classic_dropout(X, Y, params, keep_prob, rng, training=True):
    """Classic (non-inverted) dropout: a 0/1 mask in training, the hidden activations × keep_prob at test."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    if training:
        mask = (rng.random(A1.shape) < keep_prob).astype(float)
    else:
        mask = np.full(A1.shape, keep_prob)
    A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ W2.T
    if training:
        dA1 = dA1 * mask
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_no_one_over_m(X, Y, params, keep_prob, rng, training=True):
    """``dZ2 = A2 − Y`` without ``/m``: the gradients of a summed cost, not of the mean cost returned."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    mask = np.ones(A1.shape)
    if training:
        mask = (rng.random(A1.shape) < keep_prob) / keep_prob
    A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = A2 - Y
    dZ1 = (dZ2 @ W2.T) * mask * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def forward_backward_complement(X, Y, params, keep_prob, rng, training=True):
    """Keeps hidden units where ``u > 1 − keep_prob``: right in distribution, other units than the contract's."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    mask = np.ones(A1.shape)
    if training:
        mask = (rng.random(A1.shape) > 1 - keep_prob) / keep_prob
    A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dZ1 = (dZ2 @ W2.T) * mask * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


class DropoutClassicDropProb:
    """Classic dropout with ``p`` = the drop probability: keeps where ``u > 1 − keep_prob`` (0/1 mask,
    no scaling) in training and returns ``A * keep_prob`` in test mode."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        p = 1 - self.keep_prob
        if not training:
            return A * (1 - p)
        self.mask = (rng.random(A.shape) > p).astype(float)
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


def forward_backward_backward_unscaled(X, Y, params, keep_prob, rng, training=True):
    """The forward pass divides by keep_prob, but the backward pass multiplies ``dA1`` by the 0/1 pattern only."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    D1 = np.ones(A1.shape)
    if training:
        D1 = (rng.random(A1.shape) < keep_prob).astype(float)
        A1 = A1 * D1 / keep_prob
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dA1 = (dZ2 @ W2.T) * D1
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}


def dropconnect_binomial(A_prev, W, b, keep_prob, rng):
    """``rng.binomial(1, keep_prob, W.shape)``: right in distribution, but another random stream."""
    mask = rng.binomial(1, keep_prob, size=W.shape) / keep_prob
    return A_prev @ (W * mask) + b, mask


def dropout_backward_in_place(dA, mask):
    """``dA *= mask; return dA``: the right values, but the caller's ``dA`` is changed."""
    dA *= mask
    return dA


def forward_backward_draws_in_test_mode(X, Y, params, keep_prob, rng, training=True):
    """Draws the mask before testing ``training``: right values in test mode, but the generator moved."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    mask = (rng.random(A1.shape) < keep_prob) / keep_prob
    if training:
        A1 = A1 * mask
    Z2 = A1 @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ W2.T
    if training:
        dA1 = dA1 * mask
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0)}
