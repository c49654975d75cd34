"""The MLP's backward pass equals torch autograd on the same weights, in float64.

Every activation, every loss/output pairing, every penalty, and dropout (the masks our forward drew,
applied by hand in torch) — torch builds its own graph from the same numbers, so a wrong formula in
our backward cannot hide.
"""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core.model import MLP

torch = pytest.importorskip("torch", reason="torch is the oracle for the MLP gradients (pip install .[oracle])")


def _torch_loss(model: MLP, X: np.ndarray, Y: np.ndarray, params: dict, masks=None, w_masks=None):
    """The loss of ``model`` rebuilt in torch from ``params`` (torch tensors with grad)."""
    m = X.shape[0]
    L = model.n_layers
    A = torch.from_numpy(X)
    Yt = torch.from_numpy(Y)
    acts = {
        "relu": torch.relu,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "linear": lambda z: z,
        "softmax": lambda z: torch.softmax(z, dim=1),
    }
    if masks is not None and masks[0] is not None:
        A = A * torch.from_numpy(masks[0])
    Z = None
    for l in range(1, L + 1):
        W = params[f"W{l}"]
        if w_masks is not None and w_masks[l] is not None:
            W = W * torch.from_numpy(w_masks[l])
        Z = A @ W + params[f"b{l}"]
        name = model.activations[l - 1] if l < L else model.output
        A = acts[name](Z)
        if l < L and masks is not None and masks[l] is not None:
            A = A * torch.from_numpy(masks[l])
    if model.loss_name == "mse":
        J = ((A - Yt) ** 2).sum() / (2 * m)
    elif model.output == "sigmoid":
        J = torch.nn.functional.binary_cross_entropy_with_logits(Z, Yt, reduction="sum") / m
    else:
        J = -(Yt * torch.log_softmax(Z, dim=1)).sum() / m
    Ws = [params[f"W{l}"] for l in range(1, L + 1)]
    if model.lambd1:
        J = J + model.lambd1 / m * sum(W.abs().sum() for W in Ws)
    if model.lambd2:
        J = J + model.lambd2 / (2 * m) * sum((W**2).sum() for W in Ws)
    return J


def _compare(model: MLP, X: np.ndarray, Y: np.ndarray, *, seed: int | None = None) -> None:
    rng = None if seed is None else np.random.default_rng(seed)
    J, grads = model.loss_and_grads(X, Y, training=seed is not None, rng=rng)
    masks = w_masks = None
    if seed is not None:
        _, cache = model.forward(X, training=True, rng=np.random.default_rng(seed))
        masks = [cache[0][3]] + [c[3] for c in cache[1:]]
        w_masks = [None] + [c[4] for c in cache[1:]]
    params = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in model.params.items()}
    Jt = _torch_loss(model, X, Y, params, masks, w_masks)
    Jt.backward()
    assert J == pytest.approx(Jt.item(), rel=1e-12, abs=1e-14)
    for key, p in params.items():
        ours = grads["d" + key]
        theirs = p.grad.numpy()
        scale = max(np.abs(theirs).max(), 1e-300)
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-13 * scale, err_msg=key)


def _data(rng: np.random.Generator, m: int, n_in: int, n_out: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    X = rng.standard_normal((m, n_in))
    if kind == "softmax":
        Y = np.eye(n_out)[rng.integers(0, n_out, m)]
    elif kind == "sigmoid-ce":
        Y = (rng.random((m, n_out)) < 0.5).astype(float)
    else:
        Y = rng.standard_normal((m, n_out))
    return X, Y


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize(
    "output,loss,n_out,kind",
    [
        ("linear", "mse", 2, "reg"),
        ("tanh", "mse", 2, "reg"),
        ("sigmoid", "mse", 1, "reg"),
        ("relu", "mse", 2, "reg"),
        ("sigmoid", "cross_entropy", 1, "sigmoid-ce"),
        ("sigmoid", "cross_entropy", 3, "sigmoid-ce"),
        ("softmax", "cross_entropy", 4, "softmax"),
    ],
)
def test_gradients_equal_torch(activation, output, loss, n_out, kind):
    rng = np.random.default_rng(7)
    X, Y = _data(rng, 9, 3, n_out, kind)
    model = MLP([3, 6, 5, n_out], rng=rng, activation=activation, output=output, loss=loss)
    _compare(model, X, Y)


@pytest.mark.parametrize("penalty", ["l1", "l2", "elastic_net"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_penalized_gradients_equal_torch(penalty, activation):
    rng = np.random.default_rng(11)
    X, Y = _data(rng, 8, 4, 1, "sigmoid-ce")
    model = MLP(
        [4, 7, 3, 1], rng=rng, activation=activation, output="sigmoid", loss="cross_entropy",
        penalty=penalty, lambd=0.7, lambd1=0.3, lambd2=0.9,
    )
    _compare(model, X, Y)


@pytest.mark.parametrize("dropout", ["standard", "dropconnect"])
def test_dropout_gradients_equal_torch_with_the_same_masks(dropout):
    rng = np.random.default_rng(5)
    X, Y = _data(rng, 10, 3, 3, "softmax")
    model = MLP(
        [3, 8, 8, 3], rng=rng, activation="tanh", output="softmax", loss="cross_entropy",
        keep_probs=(0.6, 0.8), input_keep_prob=0.9 if dropout == "standard" else 1.0, dropout=dropout,
        penalty="l2", lambd=0.2,
    )
    _compare(model, X, Y, seed=123)


def test_deep_network_and_single_example():
    rng = np.random.default_rng(3)
    X, Y = _data(rng, 1, 2, 1, "reg")
    model = MLP([2, 4, 4, 4, 4, 1], rng=rng, activation=["tanh", "relu", "sigmoid", "linear"])
    _compare(model, X, Y)
