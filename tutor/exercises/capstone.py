"""The capstone (``capstone_digits``): mini-batches, Adam, L2, dropout and early stopping put
together in one ``train(...)`` that fits a small network on the UCI optical digits.

The reference of every name the learner defines (the exercise's ``reference`` is this module)::

    make_minibatches, Adam, l2_cost, l2_grads,
    dropout_forward, dropout_backward, early_stopping      the core's (curriculum.md contract)
    forward_backward(params, X, y, keep_prob, rng)         one training pass of the network below
    train(params, X_train, y_train, X_val, y_val, *, epochs, batch_size, lr, lambd, keep_prob,
          patience, rng)                                   the whole loop, per-epoch history

The network: ``X (m, 64) → ReLU(X·W1 + b1) → dropout → ·W2 + b2 → softmax`` over the 10 digits,
loss the mean cross-entropy ``−(1/m)·Σ log p[y]``. The training objective is
``(1/N)·Σ loss + λ/(2N)·ΣW²`` with ``N`` the number of training examples, so in a mini-batch
step the L2 gradient is ``l2_grads(grads, params, λ, N)`` (m = N, not the batch size: course
8.2, "λ means the same whatever the batch size").

``train`` draws from ``rng`` in this order only: each epoch, one ``rng.permutation`` (inside
``make_minibatches``), then one ``rng.random(A1.shape)`` per batch (inside ``dropout_forward``,
even when keep_prob = 1). So a learner's train seeded alike follows the reference's trajectory
exactly, and the first epoch where it departs is where the grader points.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from tutor.core import (
    Adam,
    dropout_backward,
    dropout_forward,
    early_stopping,
    l2_cost,
    l2_grads,
    make_minibatches,
)
from tutor.core.digits import digits, digits_split
from tutor.exercises.optim import _trajectory
from tutor.grading.cases import (
    Rng,
    call_case,
    log_uniform,
    normal,
    rng_marker,
    with_zeros,
)

__all__ = [
    "make_minibatches",
    "Adam",
    "l2_cost",
    "l2_grads",
    "dropout_forward",
    "dropout_backward",
    "early_stopping",
    "forward_backward",
    "evaluate",
    "train",
    "init_params",
    "capstone_cases",
    "APP_RUN",
]

# --------------------------------------------------------------------------- the network


def forward_backward(
    params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, keep_prob: float, rng: np.random.Generator
) -> tuple[float, dict[str, np.ndarray]]:
    """One training pass: the batch's mean cross-entropy (no penalty) and its gradients.

    ``Z1 = X·W1 + b1``; ``A1 = max(Z1, 0)``; ``D, mask = dropout_forward(A1, keep_prob, rng)``;
    ``Z2 = D·W2 + b2``; ``p = softmax(Z2)``; loss ``−mean(log p[i, y_i])``. Backward:
    ``dZ2 = (p − onehot(y))/m``, ``dW2 = Dᵀ·dZ2``, ``db2 = Σ dZ2``, ``dA1 = dropout_backward(dZ2·W2ᵀ,
    mask)``, ``dZ1 = dA1·[Z1 > 0]``, ``dW1 = Xᵀ·dZ1``, ``db1 = Σ dZ1``.
    """
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    D, mask = dropout_forward(A1, keep_prob, rng)
    Z2 = D @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    logp = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
    rows = np.arange(m)
    loss = -float(np.mean(logp[rows, y]))
    dZ2 = np.exp(logp)
    dZ2[rows, y] -= 1.0
    dZ2 /= m
    dA1 = dropout_backward(dZ2 @ W2.T, mask)
    dZ1 = dA1 * (Z1 > 0)
    grads = {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": D.T @ dZ2, "db2": dZ2.sum(axis=0)}
    return loss, grads


def evaluate(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(mean cross-entropy, accuracy)`` of the network without dropout (test mode)."""
    Z1 = X @ params["W1"] + params["b1"]
    Z2 = np.maximum(Z1, 0.0) @ params["W2"] + params["b2"]
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    logp = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
    loss = -float(np.mean(logp[np.arange(X.shape[0]), y]))
    accuracy = float(np.mean(np.argmax(logp, axis=1) == y))
    return loss, accuracy


def train(
    params: dict[str, np.ndarray],
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    epochs: int,
    batch_size: int,
    lr: float,
    lambd: float,
    keep_prob: float,
    patience: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Adam on mini-batches with L2 (m = N) and dropout; early stopping on the validation loss.

    ``history[e]`` describes the network after epoch ``e`` (``history[0]``: before training):
    ``{"train_loss", "penalty", "val_loss", "val_acc"}`` — the training set's mean cross-entropy
    without dropout, ``l2_cost(params, λ, N)``, the validation set's cross-entropy and accuracy.
    After each epoch ``best, stop = early_stopping(val_losses, patience)`` over
    ``[history[0]["val_loss"], …]``; the parameters of epoch ``best`` are kept; training ends
    when ``stop − best == patience``. Returns ``{"history", "best_epoch", "stop_epoch",
    "params"}`` (``params``: the best epoch's, new arrays; the caller's are not changed).
    """
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = X_train.shape[0]
    opt = Adam(lr=lr)

    def record() -> dict[str, float]:
        train_loss, _ = evaluate(params, X_train, y_train)
        val_loss, val_acc = evaluate(params, X_val, y_val)
        return {"train_loss": train_loss, "penalty": l2_cost(params, lambd, n), "val_loss": val_loss, "val_acc": val_acc}

    history = [record()]
    best_params = {k: v.copy() for k, v in params.items()}
    best = 0
    for epoch in range(1, epochs + 1):
        for X_batch, y_batch in make_minibatches(X_train, y_train, batch_size, rng):
            _, grads = forward_backward(params, X_batch, y_batch, keep_prob, rng)
            grads = l2_grads(grads, params, lambd, n)
            opt.step(params, grads)
        history.append(record())
        best, stop = early_stopping([h["val_loss"] for h in history], patience)
        if best == epoch:
            best_params = {k: v.copy() for k, v in params.items()}
        if stop - best == patience:
            break
    return {"history": history, "best_epoch": best, "stop_epoch": len(history) - 1, "params": best_params}


def init_params(rng: np.random.Generator, n_in: int = 64, hidden: int = 64, n_out: int = 10) -> dict[str, np.ndarray]:
    """He-initialized weights ``N(0, 2/fan_in)`` and zero biases."""
    return {
        "W1": rng.standard_normal((n_in, hidden)) * np.sqrt(2.0 / n_in),
        "b1": np.zeros(hidden),
        "W2": rng.standard_normal((hidden, n_out)) * np.sqrt(2.0 / hidden),
        "b2": np.zeros(n_out),
    }


# --------------------------------------------------------------------------- the app's run

APP_RUN: dict[str, Any] = {
    "split_seed": 0,  # digits_split(0): 1,257 train / 270 validation / 270 test
    "init_seed": 1,
    "hidden": 64,
    "kwargs": {"epochs": 60, "batch_size": 32, "lr": 0.003, "lambd": 1.0, "keep_prob": 0.8, "patience": 6},
    "rng_seed": 2,
    "time_limit": 30.0,
}
"""What the app runs after the capstone passes: the learner's ``train`` on the whole digits split
(in the sandbox) and the reference's (here), then both curves and the test accuracy."""


def app_run_kwargs() -> dict[str, Any]:
    """The keyword arguments of the app's run (arrays included; ``rng`` an ``Rng`` marker)."""
    s = digits_split(APP_RUN["split_seed"])
    params = init_params(np.random.default_rng(APP_RUN["init_seed"]), hidden=APP_RUN["hidden"])
    return {
        "params": params,
        "X_train": s.X_train,
        "y_train": s.y_train,
        "X_val": s.X_val,
        "y_val": s.y_val,
        **APP_RUN["kwargs"],
        "rng": Rng(APP_RUN["rng_seed"]),
    }


@functools.lru_cache(maxsize=1)
def reference_app_run() -> tuple[dict[str, Any], float]:
    """The reference's run of ``APP_RUN`` (trusted, in-process): ``(train's result, test accuracy)``."""
    kwargs = app_run_kwargs()
    kwargs["rng"] = np.random.default_rng(APP_RUN["rng_seed"])
    result = train(**kwargs)
    return result, test_accuracy(result["params"])


def test_accuracy(params: Any) -> float:
    """The accuracy of ``params`` (the network above) on the split's 270 test digits."""
    s = digits_split(APP_RUN["split_seed"])
    return evaluate({k: np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2")}, s.X_test, s.y_test)[1]


# --------------------------------------------------------------------------- cases


def _subset(rng: np.random.Generator, X: np.ndarray, y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    idx = rng.choice(X.shape[0], size=n, replace=False)
    return X[idx], y[idx]


def _train_case(
    name: str,
    rng: np.random.Generator,
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_train: int,
    n_val: int,
    hidden: int,
    **kwargs: Any,
) -> dict[str, Any]:
    X_train, y_train = _subset(rng, X, y, n_train + n_val)
    X_val, y_val = X_train[n_train:], y_train[n_train:]
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    return call_case(
        name,
        "train",
        out="train",
        params=init_params(rng, hidden=hidden),
        X_train=X_train,
        y_train=y_train,
        X_val=X_val,
        y_val=y_val,
        **kwargs,
        rng=rng_marker(rng),
    )


def capstone_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Each component on its own (named after it), then ``train`` on subsets of the digits.

    The fixed ``train`` cases: plain (λ = 0, keep_prob = 1, no stop), L2 only, dropout only, and
    everything with an early stop (a tiny training set, a large rate: the validation loss turns
    up within a few epochs). Random cases draw sizes, batch sizes that do not divide, λ,
    keep_prob, the rate and the data.
    """
    X, y = digits()
    cases: list[dict[str, Any]] = []
    # --- components
    for i, (m, b) in enumerate(((10, 3), (int(rng.integers(5, 30)), int(rng.integers(2, 7))))):
        Xm, ym = _subset(rng, X, y, m)
        cases.append(call_case(f"make_minibatches {i + 1}: m = {m}, batch_size = {b}, integer labels",
                               "make_minibatches", X=Xm, Y=ym, batch_size=b, rng=rng_marker(rng)))
    net = {"W1": (4, 3), "b1": (3,), "W2": (3, 2), "b2": (2,)}
    for i, hyper in enumerate(({"lr": 0.01}, {"lr": round(log_uniform(rng, 1e-3, 0.1), 5), "beta1": 0.8, "beta2": 0.99})):
        params = {k: normal(rng, s) for k, s in net.items()}
        grads = [{"d" + k: normal(rng, s, log_uniform(rng, 1e-3, 1.0)) for k, s in net.items()} for _ in range(3)]
        cases.append(_trajectory(f"Adam {i + 1}: 3 steps on a 2-layer network", "Adam", hyper, params, grads))
    for i in range(2):
        params = {k: normal(rng, s) for k, s in net.items()}
        lambd, m = round(log_uniform(rng, 0.01, 5.0), 4), int(rng.integers(20, 2000))
        cases.append(call_case(f"l2_cost {i + 1}: lambd = {lambd}, m = {m}", "l2_cost", params=params, lambd=lambd, m=m))
        grads = {"d" + k: normal(rng, s) for k, s in net.items()}
        cases.append(call_case(f"l2_grads {i + 1}: lambd = {lambd}, m = {m} (biases unchanged)", "l2_grads",
                               grads=grads, params=params, lambd=lambd, m=m))
    for i, keep_prob in enumerate((1.0, round(float(rng.uniform(0.3, 0.9)), 3))):
        A = with_zeros(rng, np.abs(normal(rng, (5, 4))), share=0.3)
        cases.append(call_case(f"dropout_forward {i + 1}: keep_prob = {keep_prob}", "dropout_forward",
                               A=A, keep_prob=keep_prob, rng=rng_marker(rng)))
    mask = (rng.random((5, 4)) < 0.7) / 0.7
    cases.append(call_case("dropout_backward: keep_prob = 0.7", "dropout_backward", dA=normal(rng, (5, 4)), mask=mask))
    cases.append(call_case("early_stopping 1: stops at epoch 5 (patience 3, best at 2)", "early_stopping",
                           val_losses=[1.0, 0.8, 0.7, 0.7, 0.75, 0.9, 0.6], patience=3))
    losses = [float(v) for v in np.round(1.0 + 0.1 * np.cumsum(normal(rng, (12,))), 3)]
    cases.append(call_case("early_stopping 2: a random curve, patience 2", "early_stopping", val_losses=losses, patience=2))
    for i, keep_prob in enumerate((1.0, 0.8)):
        Xb, yb = _subset(rng, X, y, int(rng.integers(5, 20)))
        cases.append(call_case(f"forward_backward {i + 1}: {Xb.shape[0]} digits, keep_prob = {keep_prob}",
                               "forward_backward", params=init_params(rng, hidden=8), X=Xb, y=yb,
                               keep_prob=keep_prob, rng=rng_marker(rng)))
    # --- train: fixed settings, data and initial weights drawn from rng
    base = {"epochs": 6, "batch_size": 16, "lr": 0.01, "lambd": 0.0, "keep_prob": 1.0, "patience": 50}
    cases.append(_train_case("train 1: 6 epochs, no L2, no dropout (batch 16 of 60)", rng, X, y,
                             n_train=60, n_val=30, hidden=16, **base))
    cases.append(_train_case("train 2: L2 lambd = 5 (m = N = 60, not the batch size 16)", rng, X, y,
                             n_train=60, n_val=30, hidden=16, **{**base, "lambd": 5.0}))
    cases.append(_train_case("train 3: dropout keep_prob = 0.7", rng, X, y,
                             n_train=60, n_val=30, hidden=16, **{**base, "keep_prob": 0.7}))
    cases.append(_train_case("train 4: everything, early stopping with patience 2", rng, X, y,
                             n_train=20, n_val=40, hidden=32,
                             **{**base, "epochs": 40, "lr": 0.2, "lambd": 0.1, "keep_prob": 0.9, "patience": 2}))
    for i in range(4):
        n_train = int(rng.integers(30, 90))
        batch_size = int(rng.integers(7, 33))
        if n_train % batch_size == 0:
            batch_size += 1
        kwargs = {
            "epochs": int(rng.integers(3, 8)),
            "batch_size": batch_size,
            "lr": round(log_uniform(rng, 1e-3, 0.05), 5),
            "lambd": round(float(rng.choice([0.0, log_uniform(rng, 0.01, 10.0)])), 4),
            "keep_prob": round(float(rng.choice([1.0, rng.uniform(0.5, 0.95)])), 3),
            "patience": int(rng.integers(1, 4)),
        }
        desc = ", ".join(f"{k} = {v}" for k, v in kwargs.items())
        cases.append(_train_case(f"train random {i + 1}: {n_train} digits, {desc}", rng, X, y,
                                 n_train=n_train, n_val=30, hidden=int(rng.integers(8, 24)), **kwargs))
    return cases


# --------------------------------------------------------------------------- known mistakes
# Each replaces ``train`` (or one component) and calls the other names as the learner's file
# defines them; the dev check runs its source, renamed, after the worked solution.


def train_l2_batch_m(params, X_train, y_train, X_val, y_val, epochs, batch_size, lr, lambd, keep_prob, patience, rng):
    """L2 gradient with ``m`` = the batch size instead of N."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = X_train.shape[0]
    opt = Adam(lr=lr)

    def record():
        train_loss, _ = evaluate(params, X_train, y_train)
        val_loss, val_acc = evaluate(params, X_val, y_val)
        return {"train_loss": train_loss, "penalty": l2_cost(params, lambd, n), "val_loss": val_loss, "val_acc": val_acc}

    history = [record()]
    best_params, best = {k: v.copy() for k, v in params.items()}, 0
    for epoch in range(1, epochs + 1):
        for X_batch, y_batch in make_minibatches(X_train, y_train, batch_size, rng):
            _, grads = forward_backward(params, X_batch, y_batch, keep_prob, rng)
            grads = l2_grads(grads, params, lambd, X_batch.shape[0])  # the mistake
            opt.step(params, grads)
        history.append(record())
        best, stop = early_stopping([h["val_loss"] for h in history], patience)
        if best == epoch:
            best_params = {k: v.copy() for k, v in params.items()}
        if stop - best == patience:
            break
    return {"history": history, "best_epoch": best, "stop_epoch": len(history) - 1, "params": best_params}


def train_shuffle_once(params, X_train, y_train, X_val, y_val, epochs, batch_size, lr, lambd, keep_prob, patience, rng):
    """The mini-batches are made once, before the first epoch, and reused in the same order."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = X_train.shape[0]
    opt = Adam(lr=lr)

    def record():
        train_loss, _ = evaluate(params, X_train, y_train)
        val_loss, val_acc = evaluate(params, X_val, y_val)
        return {"train_loss": train_loss, "penalty": l2_cost(params, lambd, n), "val_loss": val_loss, "val_acc": val_acc}

    history = [record()]
    best_params, best = {k: v.copy() for k, v in params.items()}, 0
    batches = make_minibatches(X_train, y_train, batch_size, rng)  # the mistake: once
    for epoch in range(1, epochs + 1):
        for X_batch, y_batch in batches:
            _, grads = forward_backward(params, X_batch, y_batch, keep_prob, rng)
            grads = l2_grads(grads, params, lambd, n)
            opt.step(params, grads)
        history.append(record())
        best, stop = early_stopping([h["val_loss"] for h in history], patience)
        if best == epoch:
            best_params = {k: v.copy() for k, v in params.items()}
        if stop - best == patience:
            break
    return {"history": history, "best_epoch": best, "stop_epoch": len(history) - 1, "params": best_params}


def train_adam_per_epoch(params, X_train, y_train, X_val, y_val, epochs, batch_size, lr, lambd, keep_prob, patience, rng):
    """A new ``Adam`` every epoch: its moments and ``t`` start over each time."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = X_train.shape[0]

    def record():
        train_loss, _ = evaluate(params, X_train, y_train)
        val_loss, val_acc = evaluate(params, X_val, y_val)
        return {"train_loss": train_loss, "penalty": l2_cost(params, lambd, n), "val_loss": val_loss, "val_acc": val_acc}

    history = [record()]
    best_params, best = {k: v.copy() for k, v in params.items()}, 0
    for epoch in range(1, epochs + 1):
        opt = Adam(lr=lr)  # the mistake: inside the loop
        for X_batch, y_batch in make_minibatches(X_train, y_train, batch_size, rng):
            _, grads = forward_backward(params, X_batch, y_batch, keep_prob, rng)
            grads = l2_grads(grads, params, lambd, n)
            opt.step(params, grads)
        history.append(record())
        best, stop = early_stopping([h["val_loss"] for h in history], patience)
        if best == epoch:
            best_params = {k: v.copy() for k, v in params.items()}
        if stop - best == patience:
            break
    return {"history": history, "best_epoch": best, "stop_epoch": len(history) - 1, "params": best_params}


def train_returns_last(params, X_train, y_train, X_val, y_val, epochs, batch_size, lr, lambd, keep_prob, patience, rng):
    """Returns the parameters of the last epoch run, not those of the best epoch."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = X_train.shape[0]
    opt = Adam(lr=lr)

    def record():
        train_loss, _ = evaluate(params, X_train, y_train)
        val_loss, val_acc = evaluate(params, X_val, y_val)
        return {"train_loss": train_loss, "penalty": l2_cost(params, lambd, n), "val_loss": val_loss, "val_acc": val_acc}

    history = [record()]
    best = 0
    for epoch in range(1, epochs + 1):
        for X_batch, y_batch in make_minibatches(X_train, y_train, batch_size, rng):
            _, grads = forward_backward(params, X_batch, y_batch, keep_prob, rng)
            grads = l2_grads(grads, params, lambd, n)
            opt.step(params, grads)
        history.append(record())
        best, stop = early_stopping([h["val_loss"] for h in history], patience)
        if stop - best == patience:
            break
    return {"history": history, "best_epoch": best, "stop_epoch": len(history) - 1, "params": params}  # the mistake


def train_dropout_in_evaluation(params, X_train, y_train, X_val, y_val, epochs, batch_size, lr, lambd, keep_prob, patience, rng):
    """The per-epoch losses are measured through ``forward_backward``, dropout on (and drawing)."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = X_train.shape[0]
    opt = Adam(lr=lr)

    def record():
        train_loss, _ = forward_backward(params, X_train, y_train, keep_prob, rng)  # the mistake
        val_loss, _ = forward_backward(params, X_val, y_val, keep_prob, rng)
        _, val_acc = evaluate(params, X_val, y_val)
        return {"train_loss": train_loss, "penalty": l2_cost(params, lambd, n), "val_loss": val_loss, "val_acc": val_acc}

    history = [record()]
    best_params, best = {k: v.copy() for k, v in params.items()}, 0
    for epoch in range(1, epochs + 1):
        for X_batch, y_batch in make_minibatches(X_train, y_train, batch_size, rng):
            _, grads = forward_backward(params, X_batch, y_batch, keep_prob, rng)
            grads = l2_grads(grads, params, lambd, n)
            opt.step(params, grads)
        history.append(record())
        best, stop = early_stopping([h["val_loss"] for h in history], patience)
        if best == epoch:
            best_params = {k: v.copy() for k, v in params.items()}
        if stop - best == patience:
            break
    return {"history": history, "best_epoch": best, "stop_epoch": len(history) - 1, "params": best_params}


def dropout_forward_not_rescaled(A, keep_prob, rng):
    """The mask is 0/1: the kept units are not divided by keep_prob (not inverted dropout)."""
    mask = (rng.random(A.shape) < keep_prob).astype(float)
    return A * mask, mask
