"""A vectorized multi-layer perceptron of any depth, with penalties and dropout.

Notation (layer ``l = 1..L``, examples along axis 0, ``m`` examples)::

    Z[l] = A[l-1] @ W[l] + b[l]          W[l]: (n[l-1], n[l]),  b[l]: (n[l],)
    A[l] = g(Z[l])                       g: relu | tanh | sigmoid | linear (hidden layers)
    A[L] = output activation of Z[L]     linear | relu | tanh | sigmoid | softmax

Losses (``Y`` of shape ``(m, n[L])``)::

    mse:            J = 1/(2m) · Σ (A[L] − Y)²                    (the 1/2 of oracles.md)
    cross_entropy:  sigmoid output  J = −1/m · Σ [Y·log A + (1−Y)·log(1−A)]
                    softmax output  J = −1/m · Σ Y·log A
    plus the penalty on the weights only (never the biases), ``m`` = the batch's examples (or, with
    ``penalty_m=N``, the training set's N whatever the batch: the penalty of the whole objective
    ``(1/N)·Σ loss + λ/(2N)·ΣW²``, so λ means the same for every batch size):
    l2  λ/(2m)·ΣW²    l1  λ/m·Σ|W|    elastic_net  λ1/m·Σ|W| + λ2/(2m)·ΣW²

Backward (``dZ[L] = (A[L] − Y)/m`` for cross-entropy with its matching output, and for mse with a
linear output)::

    dW[l] = A[l-1]ᵀ @ dZ[l]    db[l] = Σ_rows dZ[l]    dA[l-1] = dZ[l] @ W[l]ᵀ    dZ[l-1] = dA[l-1]·g'(Z[l-1])

Dropout (training mode only, inverted, ``keep_probs[l-1]`` for hidden layer ``l``): ``A[l] ←
A[l]·mask`` with ``mask = (rng.random(A.shape) < keep_prob)/keep_prob`` (``dropout_forward``) and
``dA[l] ← dA[l]·mask`` on the way back. ``dropout="dropconnect"`` drops weights instead:
``Z[l] = A[l-1] @ (W[l]·mask) + b[l]`` (``dropconnect_forward``) for the layers feeding hidden units.
In evaluation mode (``training=False``) nothing is dropped and nothing is rescaled.

Parameters live in one flat float64 buffer ``theta``; ``params`` is a dict of views into it
(``{"W1", "b1", ...}``), so an optimizer may update either. Gradients come back the same way: a dict
``{"dW1", "db1", ...}`` of views into one fresh flat array.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import _check
from .dropout import dropconnect_forward, dropout_backward, dropout_forward, spatial_dropout_forward
from .regularization import PENALTIES, penalty_cost, penalty_grads

__all__ = ["MLP", "ACTIVATIONS", "OUTPUTS", "LOSSES", "DropConnectDense", "SpatialDropout"]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
OUTPUTS = ("linear", "relu", "tanh", "sigmoid", "softmax")
LOSSES = ("mse", "cross_entropy")
DROPOUT_KINDS = ("standard", "dropconnect")


def _sigmoid(Z: np.ndarray) -> np.ndarray:
    """``1/(1+exp(−Z))`` without overflow."""
    return np.exp(-np.logaddexp(0.0, -Z))


def _activate(name: str, Z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "tanh":
        return np.tanh(Z)
    if name == "sigmoid":
        return _sigmoid(Z)
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        E /= E.sum(axis=1, keepdims=True)
        return E
    return Z


def _activation_backward(name: str, dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``dZ = dA · g'(Z)`` (``A = g(Z)``); may overwrite ``dA``."""
    if name == "relu":
        dA *= Z > 0.0  # (a boolean-mask assignment is ~1.5x slower)
        return dA
    if name == "tanh":
        return dA * (1.0 - A * A)
    if name == "sigmoid":
        return dA * (A * (1.0 - A))
    return dA


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


class MLP:
    """A fully connected network ``sizes[0] → sizes[1] → … → sizes[-1]``.

    ``MLP([2, 64, 64, 1], rng=rng, activation="relu", output="sigmoid", loss="cross_entropy")``.

    - ``activation``: one name for every hidden layer, or one per hidden layer.
    - ``output`` / ``loss``: ``cross_entropy`` needs a ``sigmoid`` (binary, 0/1 targets) or
      ``softmax`` (one-hot targets) output; ``mse`` works with any output.
    - ``penalty``: ``"none" | "l1" | "l2" | "elastic_net"``; ``lambd`` is λ for l1/l2, ``lambd1`` and
      ``lambd2`` for elastic_net (``lambd`` ignored there). ``penalty_m``: the ``m`` of the penalty;
      ``None`` (the default) is the number of examples in the batch at hand, an integer N fixes it
      (use the training-set size for mini-batch training).
    - ``keep_probs``: ``None`` (no dropout), one keep probability for every hidden layer, or one per
      hidden layer; ``input_keep_prob`` drops input features (standard dropout only).
    - ``rng``: initial weights ``W[l] ~ N(0, c/n[l-1])`` with ``c = 2`` before ReLU (He) and ``1``
      otherwise (Xavier/LeCun), drawn layer by layer with ``rng.standard_normal``; biases 0.
      Without ``rng`` every parameter starts at 0 (fine for linear and logistic regression), unless
      ``params`` gives them.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        rng: np.random.Generator | None = None,
        params: Mapping[str, np.ndarray] | None = None,
        activation: str | Sequence[str] = "relu",
        output: str = "linear",
        loss: str = "mse",
        penalty: str = "none",
        lambd: float = 0.0,
        lambd1: float = 0.0,
        lambd2: float = 0.0,
        keep_probs: float | Sequence[float] | None = None,
        input_keep_prob: float = 1.0,
        dropout: str = "standard",
        penalty_m: int | None = None,
    ) -> None:
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
            raise ValueError(f"sizes must be a sequence of layer widths like [2, 64, 1], got {sizes!r}")
        sizes = tuple(_check.integer(f"sizes[{i}]", n, minimum=1) for i, n in enumerate(sizes))
        if len(sizes) < 2:
            raise ValueError(f"sizes must hold at least an input and an output width, got {sizes}")
        self.sizes: tuple[int, ...] = sizes
        L = len(sizes) - 1
        n_hidden = L - 1
        if isinstance(activation, str):
            acts = (activation,) * n_hidden
        else:
            acts = tuple(activation)
            if len(acts) != n_hidden:
                raise ValueError(
                    f"activation must be one name or {n_hidden} names (one per hidden layer), got {len(acts)}"
                )
        self.activations: tuple[str, ...] = tuple(_choice("activation", a, ACTIVATIONS) for a in acts)
        self.output = _choice("output", output, OUTPUTS)
        self.loss_name = _choice("loss", loss, LOSSES)
        if self.loss_name == "cross_entropy" and self.output not in ("sigmoid", "softmax"):
            raise ValueError(
                f"output must be 'sigmoid' or 'softmax' with loss='cross_entropy', got {self.output!r}"
            )
        if self.output == "softmax" and sizes[-1] < 2:
            raise ValueError("sizes[-1] must be >= 2 for a softmax output")
        self.penalty = _choice("penalty", penalty, PENALTIES)
        lambd = _check.nonnegative("lambd", lambd)
        lambd1 = _check.nonnegative("lambd1", lambd1)
        lambd2 = _check.nonnegative("lambd2", lambd2)
        if self.penalty == "l1":
            lambd1, lambd2 = lambd, 0.0
        elif self.penalty == "l2":
            lambd1, lambd2 = 0.0, lambd
        elif self.penalty == "none":
            lambd1 = lambd2 = 0.0
        self.lambd1 = lambd1
        self.lambd2 = lambd2
        self.penalty_m: int | None = None if penalty_m is None else _check.integer("penalty_m", penalty_m, minimum=1)
        self.dropout_kind = _choice("dropout", dropout, DROPOUT_KINDS)
        if keep_probs is None:
            kps: tuple[float, ...] = (1.0,) * n_hidden
        elif isinstance(keep_probs, (int, float, np.floating, np.integer)):
            kps = (_check.keep_prob(keep_probs),) * n_hidden
        else:
            kps = tuple(_check.keep_prob(k) for k in keep_probs)
            if len(kps) != n_hidden:
                raise ValueError(
                    f"keep_probs must be one value or {n_hidden} values (one per hidden layer), got {len(kps)}"
                )
        self.keep_probs: tuple[float, ...] = kps
        self.input_keep_prob = _check.keep_prob(input_keep_prob)
        if self.dropout_kind == "dropconnect" and self.input_keep_prob != 1.0:
            raise ValueError("input_keep_prob must be 1.0 with dropout='dropconnect'")

        # Layout of the flat buffer: every weight first (W1, W2, …), then every bias (b1, b2, …),
        # so that theta[:n_weights] and theta[n_weights:] are two contiguous groups.
        self._layout: list[tuple[str, int, tuple[int, ...]]] = []
        offset = 0
        for l in range(1, L + 1):
            self._layout.append((f"W{l}", offset, (sizes[l - 1], sizes[l])))
            offset += sizes[l - 1] * sizes[l]
        self.n_weights = offset
        for l in range(1, L + 1):
            self._layout.append((f"b{l}", offset, (sizes[l],)))
            offset += sizes[l]
        self.n_params = offset
        self._slices = [
            (name, off, off + int(np.prod(shape)), shape) for name, off, shape in self._layout
        ]
        self.theta = np.zeros(offset)
        self.params: dict[str, np.ndarray] = self._views(self.theta, "")
        if params is not None:
            self.set_params(params)
        elif rng is not None:
            rng = _check.generator("rng", rng)
            for l in range(1, L + 1):
                gain = 2.0 if l < L and self.activations[l - 1] == "relu" else 1.0
                W = self.params[f"W{l}"]
                W[...] = rng.standard_normal(W.shape) * np.sqrt(gain / sizes[l - 1])

    # ----------------------------------------------------------------- parameters

    @property
    def n_layers(self) -> int:
        """``L``, the number of weight layers."""
        return len(self.sizes) - 1

    @property
    def is_classifier(self) -> bool:
        """True for a cross-entropy model (accuracy is defined)."""
        return self.loss_name == "cross_entropy"

    @property
    def has_dropout(self) -> bool:
        return self.input_keep_prob < 1.0 or any(k < 1.0 for k in self.keep_probs)

    def _views(self, flat: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
        return {prefix + name: flat[lo:hi].reshape(shape) for name, lo, hi, shape in self._slices}

    def set_params(self, params: Mapping[str, np.ndarray]) -> None:
        """Copy ``params`` (every ``W1, b1, …`` with the right shapes) into the model."""
        params = _check.mapping("params", params)
        for name, _, shape in self._layout:
            if name not in params:
                raise ValueError(f"params must have a key {name!r}; it has {sorted(params)}")
            value = _check.array(f"params[{name!r}]", params[name])
            if value.shape != shape and not (name.startswith("b") and value.shape == (1,) + shape):
                raise ValueError(f"params[{name!r}] must have shape {shape}, got {value.shape}")
            self.params[name][...] = value.reshape(shape)

    def get_params(self) -> dict[str, np.ndarray]:
        """A copy of the parameters."""
        return {k: v.copy() for k, v in self.params.items()}

    def sync_params(self) -> None:
        """Pull back parameters that were rebound (``params["W1"] = new``) into the flat buffer."""
        fresh = self._views(self.theta, "")
        for name, view in fresh.items():
            current = self.params[name]
            if current is not view:
                view[...] = current
                self.params[name] = view

    def groups(self) -> dict[str, np.ndarray]:
        """``{"W": every weight, "b": every bias}``: two flat views into ``theta``.

        An elementwise optimizer stepping these two arrays with the gradient groups of
        :meth:`split_grad` does exactly what it does on the per-layer dicts (its state per element is
        the same), with two arrays to visit instead of ``2L``; weight decay still sees only weights.
        """
        self.sync_params()
        return {"W": self.theta[: self.n_weights], "b": self.theta[self.n_weights :]}

    def split_grad(self, g: np.ndarray) -> dict[str, np.ndarray]:
        """A flat gradient as ``{"dW": …, "db": …}`` (views), matching :meth:`groups`."""
        return {"dW": g[: self.n_weights], "db": g[self.n_weights :]}

    def weights(self) -> np.ndarray:
        """All weights (no biases), flattened, in layer order (a copy)."""
        self.sync_params()
        return self.theta[: self.n_weights].copy()

    def copy(self) -> MLP:
        """An independent model with the same settings and a copy of the parameters."""
        self.sync_params()
        clone = MLP.__new__(MLP)
        clone.__dict__.update(self.__dict__)
        clone.theta = self.theta.copy()
        clone.params = clone._views(clone.theta, "")
        return clone

    # ------------------------------------------------------------------- checks

    def _xy(self, X: Any, Y: Any | None) -> tuple[np.ndarray, np.ndarray | None]:
        X = _check.array("X", X)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (m, {self.sizes[0]}), got {X.shape}")
        if X.shape[0] < 1:
            raise ValueError("X must hold at least one example")
        if Y is None:
            return X, None
        Y = _check.array("Y", Y)
        k = self.sizes[-1]
        if Y.ndim == 1 and k == 1:
            Y = Y[:, None]
        if Y.shape != (X.shape[0], k):
            raise ValueError(f"Y must have shape ({X.shape[0]}, {k}) to match X, got {Y.shape}")
        return X, Y

    # ------------------------------------------------------------ forward/backward

    def forward(
        self, X: np.ndarray, *, training: bool = False, rng: np.random.Generator | None = None
    ) -> tuple[np.ndarray, list]:
        """``(A[L], cache)``. ``training=True`` applies dropout with masks drawn from ``rng``."""
        X, _ = self._xy(X, None)
        return self._forward(X, training, rng)

    def _forward(
        self, X: np.ndarray, training: bool, rng: np.random.Generator | None
    ) -> tuple[np.ndarray, list]:
        drop = training and self.has_dropout
        if drop and rng is None:
            raise ValueError("rng must be a numpy.random.Generator when training with dropout")
        L = self.n_layers
        p = self.params
        A = X
        input_mask = None
        if drop and self.input_keep_prob < 1.0:
            A, input_mask = dropout_forward(X, self.input_keep_prob, rng)
        cache: list = [(None, X, A, input_mask, None)]
        for l in range(1, L + 1):
            W, b = p[f"W{l}"], p[f"b{l}"]
            kp = self.keep_probs[l - 1] if l < L else 1.0
            w_mask = None
            if drop and kp < 1.0 and self.dropout_kind == "dropconnect":
                Z, w_mask = dropconnect_forward(A, W, b, kp, rng)
            else:
                Z = A @ W
                Z += b
            name = self.activations[l - 1] if l < L else self.output
            A_act = _activate(name, Z)
            a_mask = None
            A_next = A_act
            if drop and kp < 1.0 and self.dropout_kind == "standard" and l < L:
                A_next, a_mask = dropout_forward(A_act, kp, rng)
            cache.append((Z, A_act, A_next, a_mask, w_mask))
            A = A_next
        return A, cache

    def _data_loss(self, A: np.ndarray, Y: np.ndarray, Z: np.ndarray) -> float:
        m = Y.shape[0]
        if self.loss_name == "mse":
            D = A - Y
            return float(np.sum(D * D) / (2 * m))
        if self.output == "sigmoid":
            # −[y·log σ(z) + (1−y)·log(1−σ(z))] = log(1+e^z) − y·z, evaluated stably.
            return float((np.logaddexp(0.0, Z).sum() - np.sum(Y * Z)) / m)
        return float(-np.sum(Y * (Z - _logsumexp(Z))) / m)

    def _penalty(self, m: int) -> float:
        if self.penalty == "none":
            return 0.0
        return penalty_cost(self.params, self.penalty, self.lambd1, self.lambd2, self.penalty_m or m)

    def _backward_flat(self, Y: np.ndarray, cache: list) -> np.ndarray:
        m = Y.shape[0]
        L = self.n_layers
        g = np.empty(self.n_params)
        sl = self._slices
        p = self.params
        Z, A_act, _, _, _ = cache[L]
        if self.loss_name == "cross_entropy":
            dZ = (A_act - Y) / m
        else:
            dZ = _activation_backward(self.output, (A_act - Y) / m, Z, A_act)
        for l in range(L, 0, -1):
            A_prev = cache[l - 1][2]
            w_mask = cache[l][4]
            _, lo, hi, shape = sl[l - 1]
            dW = g[lo:hi].reshape(shape)
            np.matmul(A_prev.T, dZ, out=dW)
            _, lo, hi, _ = sl[L + l - 1]
            np.add.reduce(dZ, axis=0, out=g[lo:hi])
            if w_mask is not None:
                dW *= w_mask
            if l == 1:
                break
            W = p[f"W{l}"]
            dA = dZ @ (W.T if w_mask is None else (W * w_mask).T)
            Zp, Ap, _, a_mask, _ = cache[l - 1]
            if a_mask is not None:
                dA = dropout_backward(dA, a_mask)
            dZ = _activation_backward(self.activations[l - 2], dA, Zp, Ap)
        if self.penalty != "none":
            gv = self._views(g, "d")
            params_now = {name: p[name] for name, _, _ in self._layout}
            full = penalty_grads(gv, params_now, self.penalty, self.lambd1, self.lambd2, self.penalty_m or m)
            for key, view in gv.items():
                if key.startswith("dW"):
                    view[...] = full[key]
        return g

    def backward(self, Y: np.ndarray, cache: list) -> dict[str, np.ndarray]:
        """Gradients ``{"dW1", "db1", …}`` of the loss (with the penalty) for the forward's ``cache``."""
        Y = _check.array("Y", Y)
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y[:, None]
        m = cache[0][1].shape[0]
        if Y.shape != (m, self.sizes[-1]):
            raise ValueError(f"Y must have shape ({m}, {self.sizes[-1]}) to match the forward pass, got {Y.shape}")
        return self._views(self._backward_flat(Y, cache), "d")

    def loss_and_flat_grad(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        *,
        training: bool = True,
        rng: np.random.Generator | None = None,
        check: bool = True,
    ) -> tuple[float, np.ndarray]:
        """``(J, g)``: the loss with the penalty and its gradient as one flat vector (``theta``'s layout)."""
        if check:
            X, Y = self._xy(X, Y)
        A, cache = self._forward(X, training, rng)
        J = self._data_loss(A, Y, cache[-1][0]) + self._penalty(Y.shape[0])
        return J, self._backward_flat(Y, cache)

    def loss_and_grads(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        *,
        training: bool = True,
        rng: np.random.Generator | None = None,
    ) -> tuple[float, dict[str, np.ndarray]]:
        """``(J, grads)``: the loss with the penalty and ``{"dW1", "db1", …}``."""
        J, g = self.loss_and_flat_grad(X, Y, training=training, rng=rng)
        return J, self._views(g, "d")

    # ---------------------------------------------------------------- evaluation

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The output ``A[L]`` in evaluation mode (no dropout)."""
        X, _ = self._xy(X, None)
        return self._forward(X, False, None)[0]

    def loss(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        *,
        penalty: bool = True,
        training: bool = False,
        rng: np.random.Generator | None = None,
    ) -> float:
        """``J`` on ``(X, Y)``; ``penalty=False`` gives the data term alone. Evaluation mode by default."""
        X, Y = self._xy(X, Y)
        A, cache = self._forward(X, training, rng)
        J = self._data_loss(A, Y, cache[-1][0])
        return J + self._penalty(Y.shape[0]) if penalty else J

    def accuracy(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Share of examples classified right (threshold 0.5 for sigmoid, argmax for softmax)."""
        if not self.is_classifier:
            raise ValueError("accuracy needs a classifier (loss='cross_entropy')")
        X, Y = self._xy(X, Y)
        A = self._forward(X, False, None)[0]
        return _accuracy(self.output, A, Y)

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={list(self.sizes)}, activation={list(self.activations)}, output={self.output!r}, "
            f"loss={self.loss_name!r}, penalty={self.penalty!r}, keep_probs={list(self.keep_probs)})"
        )


def _logsumexp(Z: np.ndarray) -> np.ndarray:
    zmax = Z.max(axis=1, keepdims=True)
    return zmax + np.log(np.exp(Z - zmax).sum(axis=1, keepdims=True))


def _accuracy(output: str, A: np.ndarray, Y: np.ndarray) -> float:
    if output == "softmax":
        return float(np.mean(A.argmax(axis=1) == Y.argmax(axis=1)))
    return float(np.mean((A > 0.5) == (Y > 0.5)))


class DropConnectDense:
    """A dense layer with DropConnect: ``Z = A_prev @ (W·mask) + b`` while training.

    ``forward(A_prev, W, b, rng, training=True)`` draws the mask with :func:`dropconnect_forward`
    (one mask for the batch); ``training=False`` uses ``W`` as it is. ``backward(dZ)`` returns
    ``(dA_prev, dW, db)`` with ``dW = (A_prevᵀ @ dZ)·mask``, ``dA_prev = dZ @ (W·mask)ᵀ``.
    """

    def __init__(self, keep_prob: float) -> None:
        self.keep_prob = _check.keep_prob(keep_prob)
        self._cache: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None

    def forward(
        self,
        A_prev: np.ndarray,
        W: np.ndarray,
        b: np.ndarray,
        rng: np.random.Generator | None,
        training: bool = True,
    ) -> np.ndarray:
        if training:
            Z, mask = dropconnect_forward(A_prev, W, b, self.keep_prob, _check.generator("rng", rng))
        else:
            A_prev, W, b = _check.array("A_prev", A_prev), _check.array("W", W), _check.array("b", b)
            if A_prev.ndim != 2 or W.ndim != 2 or W.shape[0] != A_prev.shape[1]:
                raise ValueError(f"W must have shape ({A_prev.shape[-1]}, n_out), got {W.shape}")
            Z, mask = A_prev @ W + b, None
        self._cache = (np.asarray(A_prev, dtype=np.float64), np.asarray(W, dtype=np.float64), mask)
        return Z

    def backward(self, dZ: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._cache is None:
            raise ValueError("backward needs a forward first")
        A_prev, W, mask = self._cache
        dZ = _check.array("dZ", dZ)
        if dZ.shape != (A_prev.shape[0], W.shape[1]):
            raise ValueError(f"dZ must have shape {(A_prev.shape[0], W.shape[1])}, got {dZ.shape}")
        W_used = W if mask is None else W * mask
        dW = A_prev.T @ dZ
        if mask is not None:
            dW *= mask
        return dZ @ W_used.T, dW, dZ.sum(axis=0)


class SpatialDropout:
    """Spatial dropout on feature maps ``(m, C, H, W)``: whole channels are kept or dropped.

    ``forward(A, rng, training=True)`` is :func:`spatial_dropout_forward` (mask ``(m, C, 1, 1)``) and
    remembers the mask; ``training=False`` returns ``A`` (a copy). ``backward(dA) = dA·mask``.
    """

    def __init__(self, keep_prob: float) -> None:
        self.keep_prob = _check.keep_prob(keep_prob)
        self.mask: np.ndarray | None = None

    def forward(self, A: np.ndarray, rng: np.random.Generator | None, training: bool = True) -> np.ndarray:
        if not training:
            A = _check.array("A", A)
            if A.ndim != 4:
                raise ValueError(f"A must be 4-D (m, C, H, W), got shape {A.shape}")
            self.mask = None
            return A.copy()
        out, self.mask = spatial_dropout_forward(A, self.keep_prob, _check.generator("rng", rng))
        return out

    def backward(self, dA: np.ndarray) -> np.ndarray:
        dA = _check.array("dA", dA)
        if self.mask is None:
            return dA.copy()
        if dA.ndim != 4 or dA.shape[:2] != self.mask.shape[:2]:
            raise ValueError(f"dA must have shape (m, C, H, W) with (m, C) = {self.mask.shape[:2]}, got {dA.shape}")
        return dA * self.mask
