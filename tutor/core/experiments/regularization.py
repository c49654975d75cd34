"""The experiments of module 8 (regularization): lessons 8.1 overfitting … 8.5 choosing λ."""

from __future__ import annotations

import numpy as np

from .. import data as _data
from ..figure import Figure, Series
from ..model import MLP
from ..optimizers import make_optimizer
from ..regularization import l1_grads, l2_grads
from ..selection import early_stopping
from ..training import cross_validate_lambda, fit_linear, lambda_path, train
from ._common import (
    _choice,
    _float,
    _fmt,
    _hist_series,
    _int,
    _norm,
    OVERFIT_N_TRAIN,
    _overfit_problem,
    _overfit_train,
    _rng,
    _seed,
    _series_with_cut,
)

__all__ = [
    "overfitting_curves",
    "weight_histogram",
    "l2_validation_curves",
    "decision_boundary",
    "l2_vs_adamw",
    "sparsity_l1_vs_l2",
    "elastic_net_weights",
    "regularization_path_plot",
    "cv_lambda_grid",
    "early_stopping_curve",
    "l2_batch_size",
]

def overfitting_curves(*, hidden: int = 40, epochs: int = 150, n_train: int = 30, seed: int = 0) -> Figure:
    """Training and validation loss of an over-sized network on a small data set (x: epoch 0 … epochs).

    Data: 10 input features of which only 3 matter, labels flipped by noise; ``n_train`` training
    examples, 100 validation examples. Model: 10→hidden→hidden→1 ReLU classifier (cross-entropy),
    Adam (lr 0.01), full batch.

    Notice: the training loss falls towards 0 — the network memorizes its few examples, noise
    included — while the validation loss barely improves on its starting value, has its minimum
    within the first epochs (the note gives the epoch) and then climbs far above it: the network
    grows ever more confident, also on the examples it gets wrong. That widening gap is overfitting. More data (``n_train``)
    shrinks it. Ranges: ``2 ≤ hidden ≤ 200``, ``10 ≤ epochs ≤ 1000``, ``10 ≤ n_train ≤ 500``.
    """
    hidden = _int("hidden", hidden, 2, 200)
    epochs = _int("epochs", epochs, 10, 1000)
    n_train = _int("n_train", n_train, 10, 500)
    seed = _seed(seed)
    _, hist = _overfit_train(seed, hidden=hidden, epochs=epochs, n_train=n_train,
                             eval_every=max(1, epochs // 200))
    notes: list[str] = []
    tr = _hist_series("training loss", hist, "train_loss", notes)
    va = _hist_series("validation loss", hist, "val_loss", notes)
    if va.y.size:
        best = int(np.argmin(va.y))
        notes.append(
            f"lowest validation loss {_fmt(va.y[best])} at epoch {int(va.x[best])}; "
            f"at the end: validation {_fmt(va.y[-1])}, training {_fmt(tr.y[-1])}"
        )
    return Figure((tr, va), tuple(notes))


def weight_histogram(*, lambd: float = 3.0, epochs: int = 150, seed: int = 0) -> Figure:
    """Histogram of the trained network's weights without and with L2 (bars, shared bins).

    The network and data of :func:`overfitting_curves` (hidden 40, 30 training examples), trained
    twice from the same start: without penalty and with ``λ/(2m)·ΣW²`` (m = 30). Both series use
    the same 31 bins (x = bin centre, y = number of weights in the bin; weights beyond the outer
    bins are counted in them).

    Notice: with L2 the histogram is narrower and taller — the penalty pulls every weight towards 0
    in proportion to its size, so large weights become rare — but it is not a spike at 0: L2 makes
    weights small, not exactly zero (compare L1 in 8.3). The notes give both standard deviations.
    Ranges: ``0 ≤ lambd ≤ 100``, ``10 ≤ epochs ≤ 1000``.
    """
    lambd = _float("lambd", lambd, 0.0, 100.0)
    epochs = _int("epochs", epochs, 10, 1000)
    seed = _seed(seed)
    m0, _ = _overfit_train(seed, epochs=epochs, eval_every=0)
    m1, _ = _overfit_train(seed, epochs=epochs, penalty="l2", lambd=lambd, eval_every=0)
    w0, w1 = m0.weights(), m1.weights()
    w0, w1 = w0[np.isfinite(w0)], w1[np.isfinite(w1)]
    both = np.abs(np.concatenate([w0, w1]))
    lim = float(np.quantile(both, 0.995)) if both.size else 1.0
    lim = lim if lim > 0 else 1.0
    edges = np.linspace(-lim, lim, 32)
    centres = 0.5 * (edges[1:] + edges[:-1])
    h0 = np.histogram(np.clip(w0, -lim, lim), edges)[0].astype(float)
    h1 = np.histogram(np.clip(w1, -lim, lim), edges)[0].astype(float)
    return Figure(
        (
            Series("without L2", centres, h0, kind="bar"),
            Series(f"with L2 (λ={_fmt(lambd)})", centres, h1, kind="bar"),
        ),
        (f"weight std: without L2 {_fmt(float(w0.std()))}, with L2 {_fmt(float(w1.std()))}",),
    )


def l2_validation_curves(*, lambd: float = 3.0, epochs: int = 150, seed: int = 0) -> Figure:
    """Training and validation loss without and with L2 (four curves, x: epoch).

    The setting of :func:`overfitting_curves`; the losses are the data loss alone (no penalty), so
    the curves are comparable. Series: "training, no L2", "validation, no L2", "training, L2 (λ=…)",
    "validation, L2 (λ=…)".

    Notice: with L2 the training loss stops well above 0 (the model may no longer fit every noisy
    point) and the validation loss stays close to its minimum instead of climbing: the gap between
    the two is far smaller — less overfitting. Too large a λ underfits: both curves stay high.
    Ranges: ``0 ≤ lambd ≤ 100``, ``10 ≤ epochs ≤ 1000``.
    """
    lambd = _float("lambd", lambd, 0.0, 100.0)
    epochs = _int("epochs", epochs, 10, 1000)
    seed = _seed(seed)
    every = max(1, epochs // 200)
    _, h0 = _overfit_train(seed, epochs=epochs, eval_every=every)
    _, h1 = _overfit_train(seed, epochs=epochs, penalty="l2", lambd=lambd, eval_every=every)
    notes: list[str] = []
    series = (
        _hist_series("training, no L2", h0, "train_loss", notes),
        _hist_series("validation, no L2", h0, "val_loss", notes),
        _hist_series(f"training, L2 (λ={_fmt(lambd)})", h1, "train_loss", notes),
        _hist_series(f"validation, L2 (λ={_fmt(lambd)})", h1, "val_loss", notes),
    )
    notes.append(f"final validation loss: no L2 {_fmt(series[1].y[-1])}, L2 {_fmt(series[3].y[-1])}")
    return Figure(series, tuple(notes))


def _boundary_points(model: MLP, lo: np.ndarray, hi: np.ndarray, n: int = 50) -> np.ndarray:
    xs = np.linspace(lo[0], hi[0], n)
    ys = np.linspace(lo[1], hi[1], n)
    gx, gy = np.meshgrid(xs, ys)
    G = np.column_stack([gx.ravel(), gy.ravel()])
    with np.errstate(all="ignore"):
        # in row blocks small enough that no matrix product goes multi-threaded (see above)
        P = np.concatenate([model.predict(G[i : i + 100]) for i in range(0, G.shape[0], 100)])
    P = P.reshape(n, n) > 0.5
    edge = np.zeros((n, n), dtype=bool)
    edge[:, :-1] |= P[:, :-1] != P[:, 1:]
    edge[:-1, :] |= P[:-1, :] != P[1:, :]
    return np.column_stack([gx[edge], gy[edge]])


def decision_boundary(*, lambd: float = 1.0, hidden: int = 40, epochs: int = 150, seed: int = 0) -> Figure:
    """The moons data and the decision boundary of a network trained without and with L2.

    40 noisy training points (noise 0.35); a 2→hidden→hidden→1 ReLU classifier, Adam (lr 0.01),
    full batch, trained twice from the same start. Series: "class 0" and "class 1" (the training
    points), "boundary, no L2" and "boundary, L2 (λ=…)" (the points of a 50×50 grid where the
    predicted class changes). The notes give the accuracy on 400 fresh points.

    Notice: without L2 the boundary bends around individual noisy points (sharp turns, sometimes
    islands); with L2 it is a smoother curve between the two moons, and it usually does as well or
    better on new data. Ranges: ``0 ≤ lambd ≤ 100``, ``2 ≤ hidden ≤ 200``, ``10 ≤ epochs ≤ 2000``.
    """
    lambd = _float("lambd", lambd, 0.0, 100.0)
    hidden = _int("hidden", hidden, 2, 200)
    epochs = _int("epochs", epochs, 10, 2000)
    seed = _seed(seed)
    X, Y = _data.moons(40, _rng(seed, 1), noise=0.35)
    Xv, Yv = _data.moons(400, _rng(seed, 4), noise=0.35)
    lo = X.min(axis=0) - 0.3
    hi = X.max(axis=0) + 0.3
    notes: list[str] = []
    models = []
    for pen, lam in (("none", 0.0), ("l2", lambd)):
        model = MLP([2, hidden, hidden, 1], rng=_rng(seed, 2), output="sigmoid", loss="cross_entropy",
                    penalty=pen, lambd=lam)
        h = train(model, X, Y, make_optimizer("adam", lr=0.01), epochs, X.shape[0], _rng(seed, 3), eval_every=0)
        if h.diverged_at is not None:
            notes.append(f"{'no L2' if pen == 'none' else 'L2'}: diverged at step {h.diverged_at}")
        models.append(model)
    c0, c1 = X[Y[:, 0] == 0], X[Y[:, 0] == 1]
    series = [
        Series("class 0", c0[:, 0], c0[:, 1], kind="scatter"),
        Series("class 1", c1[:, 0], c1[:, 1], kind="scatter"),
    ]
    accs = []
    for label, model in (("boundary, no L2", models[0]), (f"boundary, L2 (λ={_fmt(lambd)})", models[1])):
        if not np.all(np.isfinite(model.theta)):
            accs.append("–")
            continue
        b = _boundary_points(model, lo, hi)
        accs.append(f"{model.accuracy(Xv, Yv):.0%}")
        if b.size:
            series.append(Series(label, b[:, 0], b[:, 1], kind="scatter"))
        else:
            notes.append(f"{label}: one class everywhere (no boundary in view)")
    notes.append(f"accuracy on new points: no L2 {accs[0]}, L2 {accs[1]}")
    return Figure(tuple(series), tuple(notes))


def _with_penalty(base: MLP, penalty: str, lambd: float) -> MLP:
    return MLP(list(base.sizes), params=base.params, activation=list(base.activations),
               output=base.output, loss=base.loss_name, penalty=penalty, lambd=lambd)


def l2_vs_adamw(*, lr: float = 0.01, wd: float = 0.1, steps: int = 150, seed: int = 0) -> Figure:
    """Under Adam, L2 in the loss is not the same as decoupled weight decay (AdamW).

    The network and data of :func:`overfitting_curves`, full batch, three runs from the same start:
    "Adam" (no decay), "Adam + L2 (λ/m = wd)" (the L2 gradient ``wd·W`` added to the loss's
    gradient, which under plain SGD would be exactly AdamW's decay) and "AdamW (wd)"
    (``W ← W·(1 − lr·wd)``, then the Adam step). y is the norm of all the weights ``‖W‖`` before
    each step (x: step 0 … steps).

    Notice: the two decays, equal under SGD, part ways under Adam. AdamW multiplies every weight by
    the same ``1 − lr·wd`` at each step (0.1 % here), on top of what the data asks, so its norm only
    drifts down slowly. With L2 inside Adam the decay term is divided by ``√ŝ`` like the rest of
    the gradient: a weight with large gradients is barely decayed, but one whose gradients are tiny
    is pulled towards 0 by a full ``lr``-sized step — and most weights of this over-sized network
    are of that kind, so with the defaults the L2 run's norm falls far lower. Which one regularizes
    better depends on ``wd`` and ``lr``; the point is that they are different rules (the notes give
    each run's validation loss).
    Ranges: ``0 < lr ≤ 0.1``, ``0 ≤ wd ≤ 1``, ``10 ≤ steps ≤ 1000``.
    """
    lr = _float("lr", lr, 0.0, 0.1, open_lo=True)
    wd = _float("wd", wd, 0.0, 1.0)
    steps = _int("steps", steps, 10, 1000)
    seed = _seed(seed)
    Xtr, Ytr, Xva, Yva = _overfit_problem(seed, OVERFIT_N_TRAIN)
    m = Xtr.shape[0]
    base = MLP([Xtr.shape[1], 40, 40, 1], rng=_rng(seed, 2), output="sigmoid", loss="cross_entropy")
    notes: list[str] = []
    series = []
    runs = (
        ("Adam", base.copy(), make_optimizer("adam", lr=lr)),
        (f"Adam + L2 (λ/m={_fmt(wd)})", _with_penalty(base, "l2", wd * m), make_optimizer("adam", lr=lr)),
        (f"AdamW (wd={_fmt(wd)})", base.copy(), make_optimizer("adamw", lr=lr, wd=wd)),
    )
    for label, model, opt in runs:
        params = model.groups()
        norms = [_norm(params["W"])]
        with np.errstate(all="ignore"):
            for _ in range(steps):
                _, g = model.loss_and_flat_grad(Xtr, Ytr, training=False, check=False)
                opt.step(params, model.split_grad(g))
                norms.append(_norm(params["W"]))
        s = _series_with_cut(label, norms, notes, x0=0)
        series.append(s)
        if not s.note:
            notes.append(f"{label}: validation loss {_fmt(model.loss(Xva, Yva, penalty=False))}")
    return Figure(tuple(series), tuple(notes))


def _sparse_problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, Y = _data.overfit_set(60, _rng(seed, 1), n_features=40, n_informative=4, noise=0.5)
    return X, Y


def sparsity_l1_vs_l2(*, lambd: float = 6.0, epochs: int = 500, threshold: float = 0.01, seed: int = 0) -> Figure:
    """Share of near-zero weights (``|w| < threshold``) after training with no penalty, L2 and L1.

    A linear model (40 features, only 4 of them informative, 60 noisy examples), full-batch
    gradient descent (lr 0.05) for ``epochs`` steps from 0, the penalty entering through its
    gradient — ``l2_grads`` or ``l1_grads`` with the same λ. One bar per penalty (x = 0, 1, 2).

    Notice: L1 drives most of the 36 useless weights to (practically) zero — its pull ``λ/m·sign(w)``
    does not weaken as ``w`` shrinks, so it beats a small data gradient — while L2's pull ``λ/m·w``
    fades as ``w`` shrinks, leaving small but non-zero weights: L1 selects features, L2 only shrinks
    them. With sign-based steps the "zero" weights jitter within about ``lr·λ/m`` of 0, which is why
    the plot counts ``|w| < threshold``. Ranges: ``0 ≤ lambd ≤ 100``, ``10 ≤ epochs ≤ 5000``,
    ``0 < threshold ≤ 1``.
    """
    lambd = _float("lambd", lambd, 0.0, 100.0)
    epochs = _int("epochs", epochs, 10, 5000)
    threshold = _float("threshold", threshold, 0.0, 1.0, open_lo=True)
    seed = _seed(seed)
    X, Y = _sparse_problem(seed)
    y = Y[:, 0]
    m, n = X.shape
    lr = 0.05
    notes: list[str] = []
    series = []
    for i, (label, grads_fn) in enumerate(
        (("no penalty", None), ("L2", l2_grads), ("L1", l1_grads))
    ):
        params = {"W1": np.zeros((n, 1)), "b1": np.zeros(1)}
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                r = X @ params["W1"][:, 0] + params["b1"][0] - y
                grads = {"dW1": (X.T @ r / m)[:, None], "db1": np.array([r.mean()])}
                if grads_fn is not None:
                    grads = grads_fn(grads, params, lambd, m)
                params["W1"] = params["W1"] - lr * grads["dW1"]
                params["b1"] = params["b1"] - lr * grads["db1"]
        w = params["W1"][:, 0]
        if not np.all(np.isfinite(w)):
            notes.append(f"{label}: diverged")
            share = 0.0
        else:
            share = float(np.mean(np.abs(w) < threshold))
            notes.append(f"{label}: {int(round(share * n))} of {n} weights below {_fmt(threshold)}")
        series.append(Series(label, np.array([float(i)]), np.array([share]), kind="bar"))
    return Figure(tuple(series), tuple(notes))


def elastic_net_weights(*, lambd1: float = 10.0, lambd2: float = 10.0, seed: int = 0) -> Figure:
    """The weights of a linear model fitted with L1, with L2 and with both (Elastic Net).

    Data: 10 features — two groups of three near-identical copies of one hidden signal each
    (features 1–3 and 4–6; the target is signal 1 minus signal 2, plus noise) and four pure-noise
    features (7–10); 100 examples. Each fit is run to convergence (proximal gradient, so L1 can
    reach exact zeros). Series (x = feature number): "L1 (λ1=…)", "L2 (λ2=…)", "Elastic Net".

    Notice: L1 sets the noise features to exactly 0 but, inside a group of copies, tends to keep
    one or two and drop the others (arbitrary between near-equal features); L2 keeps every weight
    non-zero and shares the weight evenly among the copies; Elastic Net does both: zeros for the
    noise features, shared weights within each group. The notes count the exact zeros.
    Ranges: ``0 ≤ lambd1, lambd2 ≤ 1000``.
    """
    lambd1 = _float("lambd1", lambd1, 0.0, 1000.0)
    lambd2 = _float("lambd2", lambd2, 0.0, 1000.0)
    seed = _seed(seed)
    X, Y = _data.correlated_groups(100, _rng(seed, 1))
    x = np.arange(1, X.shape[1] + 1, dtype=np.float64)
    fits = (
        (f"L1 (λ1={_fmt(lambd1)})", fit_linear(X, Y, penalty="l1", lambd=lambd1)),
        (f"L2 (λ2={_fmt(lambd2)})", fit_linear(X, Y, penalty="l2", lambd=lambd2)),
        ("Elastic Net", fit_linear(X, Y, penalty="elastic_net", lambd1=lambd1, lambd2=lambd2)),
    )
    series = tuple(Series(label, x, f.w, kind="scatter") for label, f in fits)
    notes = tuple(f"{label}: {int(np.sum(f.w == 0.0))} weights exactly 0" for label, f in fits)
    return Figure(series, notes)


def regularization_path_plot(
    *, lambd_min: float = 0.1, lambd_max: float = 100.0, seed: int = 0, penalty: str = "l1"
) -> Figure:
    """The regularization path: every weight of a linear model as λ goes from ``lambd_max`` down to
    ``lambd_min`` (x: λ, use a log x axis; one series per weight, "w1" … "w8").

    Data: 8 features, 50 noisy examples; the target depends on features 1–4 with decreasing
    strength. 30 values of λ, log-spaced; each fit is run to convergence, warm-started from the
    previous λ. ``penalty="l1"`` (default) or ``"l2"``.

    Notice (L1): at large λ every weight is exactly 0; as λ decreases the weights enter one by one,
    the most useful feature first — reading the path from right to left ranks the features. With
    L2 every weight shrinks smoothly towards 0 but none becomes exactly 0.
    Ranges: ``1e-4 ≤ lambd_min < lambd_max ≤ 1e4``, ``penalty`` l1/l2.
    """
    lambd_min = _float("lambd_min", lambd_min, 1e-4, 1e4)
    lambd_max = _float("lambd_max", lambd_max, 1e-4, 1e4)
    if lambd_max <= lambd_min:
        raise ValueError(f"lambd_max must be > lambd_min ({lambd_min}), got {lambd_max}")
    seed = _seed(seed)
    penalty = _choice("penalty", penalty, ("l1", "l2"))
    rng = _rng(seed, 1)
    X = rng.standard_normal((50, 8))
    y = X @ np.array([2.0, -1.5, 1.0, -0.5, 0.0, 0.0, 0.0, 0.0]) + 0.5 * rng.standard_normal(50)
    lambdas = np.geomspace(lambd_max, lambd_min, 30)
    W = lambda_path(X, y, lambdas, penalty=penalty)
    order = np.argsort(lambdas)
    series = tuple(Series(f"w{j + 1}", lambdas[order], W[order, j]) for j in range(W.shape[1]))
    nz_max = int(np.sum(W[0] != 0.0))
    return Figure(series, (f"at λ={_fmt(lambd_max)}: {nz_max} non-zero weights; at λ={_fmt(lambd_min)}: {int(np.sum(W[-1] != 0.0))}",))


def cv_lambda_grid(*, k: int = 5, seed: int = 0) -> Figure:
    """k-fold cross-validation of λ for a degree-10 polynomial fitted to 30 noisy points.

    L2-penalized least squares on polynomial features (standardized), 13 values of λ from 1e-4 to
    1e2 (x: λ, use a log x axis). Series: "validation (mean of k folds)" and "training (mean of k
    folds)", each the data loss without penalty. The same folds serve every λ
    (``kfold_indices``).

    Notice: the training loss only rises with λ (the penalty stops the fit from chasing the
    noise); the validation loss is U-shaped — too small a λ overfits the wiggles, too large a λ
    underfits — and cross-validation picks the bottom of the U (the note gives the chosen λ).
    Ranges: ``2 ≤ k ≤ 10``.
    """
    k = _int("k", k, 2, 10)
    seed = _seed(seed)
    X1, Y = _data.polynomial(30, _rng(seed, 1), coefs=(0.0, 1.0, 0.0, -2.0), noise=0.3)
    F = _data.standardize(_data.polynomial_features(X1, 10))
    lambdas = np.geomspace(1e-4, 1e2, 13)
    best, val, tr = cross_validate_lambda(F, Y, lambdas, k, _rng(seed, 2), penalty="l2")
    return Figure(
        (
            Series(f"validation (mean of {k} folds)", lambdas, val),
            Series(f"training (mean of {k} folds)", lambdas, tr),
        ),
        (f"chosen λ = {_fmt(best)} (lowest mean validation loss {_fmt(float(val.min()))})",),
    )


def early_stopping_curve(*, patience: int = 10, epochs: int = 150, seed: int = 0) -> Figure:
    """Training and validation loss of an overfitting network, with early stopping's choices marked.

    The setting of :func:`overfitting_curves`, trained for all ``epochs`` so the whole curve shows.
    ``early_stopping(validation losses, patience)`` then gives the best epoch and the epoch where
    training would have stopped. Series: "training loss", "validation loss", "best epoch" and
    "stop" (one point each, on the validation curve).

    Notice: the validation loss bottoms out and then rises; early stopping waits ``patience``
    epochs without improvement, stops, and keeps the weights of the best epoch. A small patience
    may stop on a noisy bump; a large one wastes epochs (but still keeps the best weights).
    Ranges: ``1 ≤ patience ≤ 200``, ``10 ≤ epochs ≤ 1000``.
    """
    patience = _int("patience", patience, 1, 200)
    epochs = _int("epochs", epochs, 10, 1000)
    seed = _seed(seed)
    _, hist = _overfit_train(seed, epochs=epochs)
    notes: list[str] = []
    tr = _hist_series("training loss", hist, "train_loss", notes)
    va = _hist_series("validation loss", hist, "val_loss", notes)
    vals = va.y[1:]  # after epochs 1, 2, …
    series = [tr, va]
    if vals.size:
        best, stop = early_stopping(vals, patience)
        triggered = stop - best == patience
        series.append(Series("best epoch", np.array([best + 1.0]), vals[best : best + 1], kind="scatter"))
        if triggered:
            series.append(Series("stop", np.array([stop + 1.0]), vals[stop : stop + 1], kind="scatter"))
            notes.append(f"best epoch {best + 1} (validation {_fmt(vals[best])}); stopped at epoch {stop + 1}")
        else:
            notes.append(f"best epoch {best + 1} (validation {_fmt(vals[best])}); never stopped within {vals.size} epochs")
    return Figure(tuple(series), tuple(notes))


# ------------------------------------------------------------------ 8.2 λ and the batch size

BATCH_LR = 0.2


def _batch_sizes(n_train: int) -> list[int]:
    """2, 4, 8, … up to the training-set size (which is always the last)."""
    sizes = [2]
    while sizes[-1] * 2 < n_train:
        sizes.append(sizes[-1] * 2)
    if sizes[-1] != n_train:
        sizes.append(n_train)
    return sizes


def _batch_order(n: int, batch_size: int, steps: int, rng: np.random.Generator) -> np.ndarray:
    """``(steps, batch_size)`` example indices: epoch after epoch, a fresh permutation cut into
    ``n // batch_size`` batches (an incomplete last batch is skipped)."""
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    order = np.concatenate([rng.permutation(n)[: per_epoch * batch_size] for _ in range(epochs)])
    return order.reshape(-1, batch_size)[:steps]


def _sgd_weight_norms(
    X: np.ndarray, Y: np.ndarray, batch_size: int, decays: np.ndarray, steps: int, rng: np.random.Generator,
) -> np.ndarray:
    """‖W‖ of linear models ``ŷ = X·w + b`` fitted by mini-batch SGD (lr 0.2), one per entry of
    ``decays`` = λ/m, on ``(1/2B)·Σ_batch (ŷ − y)² + λ/(2m)·ΣW²`` for ``steps`` updates, all on the
    same batches. (The gradient ``MLP([n, 1], penalty="l2", penalty_m=m)`` computes, written out
    because thousands of tiny steps through the general network cost about 6× more.) The weights are
    averaged over the second half of the run: what is left is the minimizer the updates drift to,
    not the noise of the last batch."""
    n, k = X.shape
    y = Y[:, :1]
    W = np.zeros((k, decays.size))
    b = np.zeros(decays.size)
    total = np.zeros_like(W)
    order = _batch_order(n, batch_size, steps, rng)
    half = steps // 2
    for step in range(steps):
        idx = order[step]
        Xb = X[idx]
        R = (Xb @ W + b - y[idx]) / batch_size
        W -= BATCH_LR * (Xb.T @ R + decays * W)
        b -= BATCH_LR * R.sum(axis=0)
        if step >= half:
            total += W
    return np.sqrt(np.sum((total / (steps - half)) ** 2, axis=0))


def l2_batch_size(*, lambd: float = 10.0, n_train: int = 256, steps: int = 400, seed: int = 0) -> Figure:
    """The weights L2 leaves after mini-batch training, against the batch size B, for two choices of
    the m in ``λ/(2m)·ΣW²``: the batch size B, or the training-set size N.

    Linear regression on ``n_train`` examples (10 features, 3 of them useful, noise 0.5), trained by
    mini-batch SGD (lr 0.2, ``steps`` updates, weights averaged over the second half) for every
    B ∈ {2, 4, 8, …, N}. y = ‖W‖ (x = B, log). Series: "m = B (the batch)" and "m = N (the
    training set)"; the note adds the norm of the unpenalized (least-squares) weights.

    Why they differ: a step's gradient is the batch's mean data gradient plus ``(λ/m)·W``. With
    m = B the penalty's pull per step is λ/B against a data term that is a mean whatever B is, so
    on average the updates minimize the full objective with ``λ·N/B`` in place of λ: 8× stronger at
    B = 32 than at B = 256. With m = N it is ``λ/N`` at every B: the same objective
    ``(1/N)Σ loss + λ/(2N)ΣW²`` whatever the batch, and its pull relative to the data term falls as
    N grows.

    Notice (defaults): "m = B" climbs from ‖W‖ ≈ 0.16 at B = 2 to 0.97 at B = N (0.744 at B = 32)
    — the same λ regularizes small batches far more; "m = N" stays at about 0.97, the full-batch
    value, for every B (the unpenalized weights have norm 1.01). Raise ``n_train`` to 1024: the
    "m = N" line rises to 0.99, towards the unpenalized 1.00 (more data, less regularization); the
    "m = B" line stays where it was (0.746 at B = 32). Ranges:
    ``0 ≤ lambd ≤ 10``, ``64 ≤ n_train ≤ 1024``, ``100 ≤ steps ≤ 2000``.
    """
    lambd = _float("lambd", lambd, 0.0, 10.0)
    n_train = _int("n_train", n_train, 64, 1024)
    steps = _int("steps", steps, 100, 2000)
    seed = _seed(seed)
    X, Y = _data.overfit_set(n_train, _rng(seed, 1), n_features=10, n_informative=3, noise=0.5)
    sizes = _batch_sizes(n_train)
    x = np.array(sizes, dtype=np.float64)
    by_batch, by_set = [], []
    for B in sizes:
        norms = _sgd_weight_norms(X, Y, B, np.array([lambd / B, lambd / n_train]), steps, _rng(seed, 3))
        by_batch.append(float(norms[0]))
        by_set.append(float(norms[1]))
    Xa = np.hstack([X, np.ones((n_train, 1))])
    free = _norm(np.linalg.lstsq(Xa, Y, rcond=None)[0][:-1])
    i32 = sizes.index(32) if 32 in sizes else 0
    return Figure(
        (
            Series("m = B (the batch)", x, np.array(by_batch)),
            Series("m = N (the training set)", x, np.array(by_set)),
        ),
        (
            f"‖W‖ at B = {sizes[i32]}: m = B {_fmt(by_batch[i32])}, m = N {_fmt(by_set[i32])}; "
            f"at B = N = {n_train}: {_fmt(by_batch[-1])}; no penalty {_fmt(free)}",
        ),
    )
