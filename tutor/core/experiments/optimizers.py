"""The experiments of module 7 (optimizers): lessons 7.1 SGD … 7.8 the full code."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import data as _data
from ..figure import Figure, Series
from ..model import MLP
from ..optimizers import make_optimizer, OPTIMIZERS
from ..schedules import exponential_decay, lr_range_test, step_decay, time_decay, warmup_cosine
from ._common import (
    _choice,
    _cut,
    _float,
    _fmt,
    _full_batch_run,
    _int,
    _norm,
    _objective_run,
    _positive_floor,
    _rng,
    _seed,
    _series_with_cut,
    _steps_x,
)

__all__ = [
    "gd_variants",
    "learning_rate_curves",
    "landscape_steps",
    "lr_range_test_plot",
    "schedule_shapes",
    "decay_training",
    "valley_paths",
    "momentum_beta_sweep",
    "ewa_bias_correction",
    "adagrad_effective_lr",
    "rmsprop_vs_adagrad",
    "adam_bias_correction",
    "adam_variants",
    "optimizer_race",
    "steps_to_target",
    "optimizer_memory",
    "preconditioning_paths",
    "effective_step_vs_curvature",
    "update_ratio",
    "gradient_clipping",
]

# ============================================================================== 7.1 SGD


def _regression_problem(seed: int, m: int = 50) -> tuple[np.ndarray, np.ndarray]:
    rng = _rng(seed, 1)
    X = rng.standard_normal((m, 2))
    y = X @ np.array([2.0, -1.0]) + 0.5 + 0.5 * rng.standard_normal(m)
    return X, y[:, None]


def gd_variants(*, lr: float = 0.1, batch_size: int = 10, epochs: int = 20, seed: int = 0) -> Figure:
    """Batch, mini-batch and stochastic gradient descent on the same problem, update by update.

    Linear regression (50 examples, 2 features, noisy targets), weights starting at 0, the same
    learning rate for the three variants. After every update the loss on the whole training set is
    recorded; x is the number of epochs (passes over the data) done so far, so the three runs share
    the x axis although they make very different numbers of updates:

    - "batch" (all 50 examples per update): one update per epoch (``epochs`` points), a smooth
      curve that goes down at every step.
    - "mini-batch (batch_size)": ``ceil(50/batch_size)`` updates per epoch; it gets down faster per
      epoch, with a little noise, because each batch is a different sample of the data.
    - "stochastic (1)": one example per update, 50 updates per epoch: the fastest start per epoch,
      but the curve is noisy — each step follows one example's gradient — and it keeps jittering
      above the floor the batch curve settles towards.

    Notice: per epoch (the same computation) the noisier variants make far more progress early;
    at a constant rate their noise never settles. Ranges: ``0 < lr ≤ 0.5``,
    ``1 ≤ batch_size ≤ 50``, ``1 ≤ epochs ≤ 50``.
    """
    lr = _float("lr", lr, 0.0, 0.5, open_lo=True)
    batch_size = _int("batch_size", batch_size, 1, 50)
    epochs = _int("epochs", epochs, 1, 50)
    seed = _seed(seed)
    X, Y = _regression_problem(seed)
    m = X.shape[0]
    Xa = np.hstack([X, np.ones((m, 1))])
    y = Y[:, 0]
    notes: list[str] = []
    series = []
    for label, bs, stream in (
        ("batch", m, 2),
        (f"mini-batch ({batch_size})", batch_size, 3),
        ("stochastic (1)", 1, 4),
    ):
        rng = _rng(seed, stream)
        w = np.zeros(3)
        r = Xa @ w - y
        losses: list[float] = [float(r @ r) / (2 * m)]
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                perm = rng.permutation(m)
                Xs, ys = Xa[perm], y[perm]
                for k in range(0, m, bs):
                    Xb, yb = Xs[k : k + bs], ys[k : k + bs]
                    w -= lr * (Xb.T @ (Xb @ w - yb)) / len(yb)
                    r = Xa @ w - y
                    losses.append(float(r @ r) / (2 * m))
                if not np.all(np.isfinite(w)):
                    break
        per_epoch = math.ceil(m / bs)
        x = np.arange(len(losses)) / per_epoch
        series.append(_series_with_cut(label, losses, notes, x0=0, factor=1e6, x=x))
    return Figure(tuple(series), tuple(notes))


# ====================================================================== 7.2 learning rate


def _lr_problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free least squares whose Hessian XᵀX/m has eigenvalues exactly 1 and 0.1."""
    rng = _rng(seed, 1)
    m = 100
    Z = rng.standard_normal((m, 2))
    Z -= Z.mean(axis=0)
    # whiten, then give the two directions curvatures 1 and 0.1 along a random rotation
    C = Z.T @ Z / m
    evals, evecs = np.linalg.eigh(C)
    Zw = Z @ evecs / np.sqrt(evals)
    angle = rng.uniform(0, np.pi)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    X = Zw @ np.diag(np.sqrt([1.0, 0.1])) @ R.T
    w_true = np.array([1.5, -2.0])
    return X, X @ w_true


LR_PRESETS = (("too small", 0.1), ("good", 1.5), ("too large", 1.95), ("divergent", 2.2))


def learning_rate_curves(*, lr: float = 0.5, steps: int = 50, seed: int = 0) -> Figure:
    """Gradient descent on one least-squares problem with five learning rates.

    The problem is built so that the curvature (the Hessian's eigenvalues) is 1 along one direction
    and 0.1 along the other: gradient descent converges for ``lr < 2`` and diverges above.

    - "too small (lr=0.1)": the loss creeps down.
    - "good (lr=1.5)": the loss falls fastest (straight down on a log axis).
    - "too large (lr=1.95)": it still converges, but slower, bouncing from wall to wall.
    - "divergent (lr=2.2)": the loss grows; the run is cut where it explodes (note "diverged at
      step N").
    - "your lr (lr=…)": the same run at the learner's rate.

    Notice: a larger rate is faster only up to a point; beyond ``2/curvature`` every step overshoots
    by more than it corrects. Plot with a log y axis. Ranges: ``0 < lr ≤ 5``, ``2 ≤ steps ≤ 500``.
    """
    lr = _float("lr", lr, 0.0, 5.0, open_lo=True)
    steps = _int("steps", steps, 2, 500)
    seed = _seed(seed)
    X, y = _lr_problem(seed)
    m = X.shape[0]
    w0 = np.zeros(2)
    notes: list[str] = []
    series = []
    for label, rate in LR_PRESETS + (("your lr", lr),):
        w = w0.copy()
        losses = []
        with np.errstate(all="ignore"):
            for _ in range(steps + 1):
                r = X @ w - y
                losses.append(float(r @ r) / (2 * m))
                w = w - rate * (X.T @ r) / m
        s = _series_with_cut(f"{label} (lr={_fmt(rate)})", losses, notes, x0=0, factor=1e3)
        series.append(Series(s.label, s.x, _positive_floor(s.y), note=s.note))
    return Figure(tuple(series), tuple(notes))


def landscape_steps(*, lr: float = 0.1, steps: int = 10, start: float = 2.5) -> Figure:
    """Gradient descent on the 1-D loss ``f(w) = w²`` (gradient ``2w``), drawn on the curve.

    Series: "loss f(w) = w²" (the curve on −3..3), "GD path" (a line joining the iterates
    ``(w_t, f(w_t))`` in order) and "iterates" (the points). Each step is ``w ← w − lr·2w =
    (1 − 2·lr)·w``:

    - ``lr < 0.5``: the iterates slide down one side of the bowl, in smaller and smaller steps.
    - ``lr = 0.5``: one step lands exactly on the minimum.
    - ``0.5 < lr < 1``: they jump from side to side (zig-zag) and still converge.
    - ``lr = 1``: they bounce between ``±start`` forever.
    - ``lr > 1``: every jump lands higher: the run diverges and is cut when it leaves the plot
      (note "diverged at step N").

    Notice: the step is ``lr`` times the slope, so on the steep sides it is long and near the
    bottom short; whether it overshoots depends on ``lr`` times the curvature (here 2), not on
    ``lr`` alone.

    Ranges: ``0 < lr ≤ 2``, ``1 ≤ steps ≤ 100``, ``−2.9 ≤ start ≤ 2.9``.
    """
    lr = _float("lr", lr, 0.0, 2.0, open_lo=True)
    steps = _int("steps", steps, 1, 100)
    start = _float("start", start, -2.9, 2.9)
    grid = np.linspace(-3.0, 3.0, 121)
    ws = [start]
    notes: list[str] = []
    note = ""
    w = start
    for t in range(1, steps + 1):
        w = w - lr * 2.0 * w
        if abs(w) > 3.0:
            note = f"diverged at step {t}"
            notes.append(f"GD path: {note} (|w| left the plot)")
            break
        ws.append(w)
    wa = np.array(ws)
    return Figure(
        (
            Series("loss f(w) = w²", grid, grid**2),
            Series("GD path", wa, wa**2, note=note),
            Series("iterates", wa, wa**2, kind="scatter"),
        ),
        tuple(notes),
    )


def _moons_problem(seed: int, m: int = 100, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    return _data.moons(m, _rng(seed, 1), noise=noise)


def lr_range_test_plot(
    *, lr_min: float = 1e-4, lr_max: float = 10.0, steps: int = 100, seed: int = 0
) -> Figure:
    """The learning-rate range test: train once while the rate grows exponentially.

    A 2→16→1 network (tanh) on the moons data (100 examples), one SGD mini-batch step (32 examples) per rate,
    the rate going from ``lr_min`` to ``lr_max`` geometrically (``tutor.core.lr_range_test``).
    Series: "smoothed loss" (the debiased moving average of the batch losses) and "batch loss"
    against the rate; plot with a log x axis. The run stops once the smoothed loss exceeds 4× its
    lowest value.

    Notice: the loss is flat while the rate is too small to matter, falls once the rate is useful,
    bottoms out, then explodes. The note gives the suggested rate: one decade below the rate at
    the lowest smoothed loss (the rule of ``lr_range_test``), a fast rate that is still safe.
    Ranges: ``1e-6 ≤ lr_min < lr_max ≤ 100``, ``10 ≤ steps ≤ 1000``.
    """
    lr_min = _float("lr_min", lr_min, 1e-6, 100.0)
    lr_max = _float("lr_max", lr_max, 1e-6, 100.0)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be > lr_min ({lr_min}), got {lr_max}")
    steps = _int("steps", steps, 10, 1000)
    seed = _seed(seed)
    X, Y = _moons_problem(seed)
    model = MLP([2, 16, 1], rng=_rng(seed, 2), activation="tanh", output="sigmoid", loss="cross_entropy")
    opt = make_optimizer("sgd", lr=lr_min)
    params = {"theta": model.theta}
    rng = _rng(seed, 3)
    batches: list[tuple[np.ndarray, np.ndarray]] = []

    def step_fn(rate: float) -> float:
        if not batches:
            perm = rng.permutation(X.shape[0])
            batches.extend((X[perm[k : k + 32]], Y[perm[k : k + 32]]) for k in range(0, X.shape[0], 32))
        Xb, Yb = batches.pop(0)
        with np.errstate(all="ignore"):
            J, g = model.loss_and_flat_grad(Xb, Yb, training=False, check=False)
            if math.isfinite(J):
                opt.lr = rate
                opt.step(params, {"dtheta": g})
        return J

    res = lr_range_test(step_fn, lr_min, lr_max, steps)
    notes = [f"suggested rate {_fmt(res.suggested)}", f"lowest smoothed loss at lr {_fmt(res.min_loss_lr)}"]
    note = ""
    if res.stopped_at is not None:
        note = f"loss exploded at lr {_fmt(lr_min * (lr_max / lr_min) ** (res.stopped_at / (steps - 1)))}"
        notes.append(f"{note}: the test stops there")
    return Figure(
        (
            Series("smoothed loss", res.lrs, res.smoothed, note=note),
            Series("batch loss", res.lrs, res.losses, kind="scatter"),
        ),
        tuple(notes),
    )


# ============================================================================== 7.3 decay


def schedule_shapes(
    *,
    lr0: float = 0.1,
    epochs: int = 50,
    drop: float = 0.5,
    epochs_per_drop: int = 10,
    k: float = 0.05,
    decay_rate: float = 0.1,
    warmup_steps: int = 5,
    lr_min: float = 0.0,
) -> Figure:
    """The learning rate per epoch under each schedule, side by side (x: epoch 0 … epochs−1).

    - "constant": ``lr0``.
    - "step decay": ``lr0·drop^⌊epoch/epochs_per_drop⌋``, a staircase.
    - "exponential": ``lr0·e^(−k·epoch)``, a smooth curve that keeps the same ratio per epoch.
    - "time-based": ``lr0/(1 + decay_rate·epoch)``, fast at first then a long tail.
    - "warm-up + cosine": ``warmup_cosine(epoch, epochs, lr0, warmup_steps, lr_min)``: a linear
      ramp over ``warmup_steps`` epochs up to ``lr0``, then half a cosine down to ``lr_min``.

    Notice: every schedule starts at (or ramps up to) ``lr0`` and ends lower; they differ in *when*
    they lower it — in jumps, by a constant ratio, fast then slowly, or slowly then fast then slowly
    (cosine). Warm-up is the only one that starts small on purpose.

    Ranges: ``0 < lr0 ≤ 10``, ``2 ≤ epochs ≤ 1000``, ``0 < drop ≤ 1``, ``1 ≤ epochs_per_drop ≤
    1000``, ``0 ≤ k ≤ 10``, ``0 ≤ decay_rate ≤ 100``, ``0 ≤ warmup_steps < epochs``,
    ``0 ≤ lr_min ≤ lr0``.
    """
    lr0 = _float("lr0", lr0, 0.0, 10.0, open_lo=True)
    epochs = _int("epochs", epochs, 2, 1000)
    drop = _float("drop", drop, 0.0, 1.0, open_lo=True)
    epochs_per_drop = _int("epochs_per_drop", epochs_per_drop, 1, 1000)
    k = _float("k", k, 0.0, 10.0)
    decay_rate = _float("decay_rate", decay_rate, 0.0, 100.0)
    warmup_steps = _int("warmup_steps", warmup_steps, 0, epochs - 1)
    lr_min = _float("lr_min", lr_min, 0.0, lr0)
    e = np.arange(epochs)
    x = e.astype(np.float64)
    return Figure(
        (
            Series("constant", x, np.full(epochs, lr0)),
            Series("step decay", x, np.array([step_decay(lr0, int(i), drop, epochs_per_drop) for i in e])),
            Series("exponential", x, np.array([exponential_decay(lr0, int(i), k) for i in e])),
            Series("time-based", x, np.array([time_decay(lr0, int(i), decay_rate) for i in e])),
            Series(
                "warm-up + cosine",
                x,
                np.array([warmup_cosine(int(i), epochs, lr0, warmup_steps, lr_min) for i in e]),
            ),
        )
    )


def _decay_problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = _rng(seed, 1)
    m, n = 200, 5
    X = rng.standard_normal((m, n))
    y = X @ np.linspace(1.0, -1.0, n) + 1.0 * rng.standard_normal(m)
    return X, y


def decay_training(*, lr0: float = 0.1, schedule: str = "step", epochs: int = 30, seed: int = 0) -> Figure:
    """Mini-batch SGD (batch 4) on noisy linear regression, with a constant rate and with decay.

    y is the training loss *above the best possible loss* (``J − J*``, ``J*`` from least squares),
    measured on the whole training set after each epoch (x: epoch 1 … epochs); use a log y axis.

    - "constant lr": falls quickly, then stalls on a noisy plateau: with a fixed rate the mini-batch
      noise keeps kicking the weights around the minimum.
    - "<schedule> decay": the same start, then it keeps going down as the rate shrinks, ending far
      below the plateau.

    Notice: a large rate early makes fast progress, a small rate late removes the noise; decay gets
    both. The notes give the final gaps.

    Schedules (epoch-based, starting at ``lr0``): step (×0.5 every 5 epochs), exponential
    (k = 0.1), time (decay_rate = 0.5), cosine (``warmup_cosine`` without warm-up, down to 0).
    Ranges: ``0 < lr0 ≤ 0.5``, ``schedule`` in step/exponential/time/cosine, ``2 ≤ epochs ≤ 200``.
    """
    lr0 = _float("lr0", lr0, 0.0, 0.5, open_lo=True)
    schedule = _choice("schedule", schedule, ("step", "exponential", "time", "cosine"))
    epochs = _int("epochs", epochs, 2, 200)
    seed = _seed(seed)
    X, y = _decay_problem(seed)
    m, n = X.shape
    Xa = np.hstack([X, np.ones((m, 1))])
    theta_star = np.linalg.lstsq(Xa, y, rcond=None)[0]
    r_star = Xa @ theta_star - y
    J_star = float(r_star @ r_star) / (2 * m)
    rates: dict[str, Callable[[int], float]] = {
        "step": lambda e: step_decay(lr0, e, 0.5, 5),
        "exponential": lambda e: exponential_decay(lr0, e, 0.1),
        "time": lambda e: time_decay(lr0, e, 0.5),
        "cosine": lambda e: warmup_cosine(e, epochs, lr0, 0),
    }
    notes: list[str] = []
    series = []
    for label, rate_of in (("constant lr", lambda e: lr0), (f"{schedule} decay", rates[schedule])):
        rng = _rng(seed, 2)
        w = np.zeros(n + 1)
        excess = []
        with np.errstate(all="ignore"):
            for e in range(epochs):
                lr = rate_of(e)
                perm = rng.permutation(m)
                for k in range(0, m, 4):
                    idx = perm[k : k + 4]
                    r = Xa[idx] @ w - y[idx]
                    w -= lr * (Xa[idx].T @ r) / len(idx)
                r = Xa @ w - y
                excess.append(float(r @ r) / (2 * m) - J_star)
        s = _series_with_cut(label, excess, notes, factor=1e6)
        series.append(Series(s.label, s.x, _positive_floor(s.y), note=s.note))
        if s.note == "":
            notes.append(f"{label}: final J − J* = {_fmt(max(excess[-1], 0.0))}")
    return Figure(tuple(series), tuple(notes))


# =========================================================================== 7.4 momentum


def _momentum_path(obj: _data.Objective, lr: float, beta: float, steps: int) -> tuple[np.ndarray, list[float]]:
    opt = make_optimizer("momentum", lr=lr, beta=beta) if beta > 0 else make_optimizer("sgd", lr=lr)
    return _objective_run(obj, opt, steps, obj.start)


def valley_paths(*, lr: float = 1.9, beta: float = 0.9, steps: int = 60, condition: float = 50.0) -> Figure:
    """Paths of plain gradient descent and momentum on an ill-conditioned bowl (x: w₁, y: w₂).

    ``f(w) = ½·(w₁²/condition + w₂²)``: a long shallow valley along w₁ with steep walls along w₂,
    starting at (−4, 1), minimum at (0, 0). Series: "SGD" and "momentum (β=…)" paths, "start" and
    "minimum" points. Momentum is ``v ← β·v + (1−β)·∇f``, ``w ← w − lr·v``.

    Notice, with the defaults: SGD zig-zags across the valley (its rate is near the walls' limit
    ``lr < 2``) and crawls along it; momentum averages the zig-zag away (the alternating components
    cancel in ``v``) and glides along the valley floor, ending much closer to the minimum. Raise β
    towards 0.99 and momentum overshoots and circles; raise ``lr`` above 2 and SGD diverges (its
    path is cut, note "diverged at step N") while momentum still converges.
    Ranges: ``0 < lr ≤ 10``, ``0 ≤ beta < 1``, ``1 ≤ steps ≤ 1000``, ``1 ≤ condition ≤ 1000``.
    """
    lr = _float("lr", lr, 0.0, 10.0, open_lo=True)
    beta = _float("beta", beta, 0.0, 0.999)
    steps = _int("steps", steps, 1, 1000)
    condition = _float("condition", condition, 1.0, 1000.0)
    obj = _data.quadratic_bowl(condition)
    notes: list[str] = []
    series = []
    for label, b in (("SGD", 0.0), (f"momentum (β={_fmt(beta)})", beta)):
        path, values = _momentum_path(obj, lr, b, steps)
        note = ""
        if not (np.all(np.isfinite(path[-1])) and math.isfinite(values[-1]) and values[-1] <= 1e4 * values[0]):
            note = f"diverged at step {len(values) - 1}"
            notes.append(f"{label}: {note}")
            path = path[:-1]
        series.append(Series(label, path[:, 0], path[:, 1], note=note))
        if not note:
            notes.append(f"{label}: distance to the minimum after {steps} steps {_fmt(float(np.linalg.norm(path[-1])))}")
    series.append(Series("start", obj.start[:1], obj.start[1:], kind="scatter"))
    series.append(Series("minimum", np.zeros(1), np.zeros(1), kind="scatter"))
    return Figure(tuple(series), tuple(notes))


def momentum_beta_sweep(*, lr: float = 1.9, steps: int = 100, condition: float = 50.0) -> Figure:
    """Loss per step on the ill-conditioned bowl of ``valley_paths`` for β ∈ {0, 0.5, 0.9, 0.99}.

    Same start, same ``lr``; β = 0 is plain gradient descent. Use a log y axis.

    Notice, with the defaults: β = 0 (no momentum) is slowest — it can only use a rate the steep
    walls allow, which crawls along the valley; β = 0.5 helps a little; β = 0.9 is far faster;
    β = 0.99 averages over ~100 steps, overshoots and oscillates slowly, so it is slow again: there
    is a sweet spot. Ranges: ``0 < lr ≤ 10``, ``1 ≤ steps ≤ 2000``, ``1 ≤ condition ≤ 1000``.
    """
    lr = _float("lr", lr, 0.0, 10.0, open_lo=True)
    steps = _int("steps", steps, 1, 2000)
    condition = _float("condition", condition, 1.0, 1000.0)
    obj = _data.quadratic_bowl(condition)
    notes: list[str] = []
    series = []
    for b in (0.0, 0.5, 0.9, 0.99):
        _, values = _momentum_path(obj, lr, b, steps)
        s = _series_with_cut(f"β={b:g}", values, notes, x0=0)
        series.append(Series(s.label, s.x, _positive_floor(s.y, 1e-300), note=s.note))
    return Figure(tuple(series), tuple(notes))


def ewa_bias_correction(*, beta: float = 0.9, steps: int = 50, seed: int = 0) -> Figure:
    """An exponentially weighted average of a noisy signal, with and without bias correction.

    The signal is ``θ_t = 10 + 2·sin(t/8) + N(0, 1)`` for ``t = 1 … steps`` ("signal", points).
    "EWA" is ``v_t = β·v_{t−1} + (1−β)·θ_t`` from ``v_0 = 0``; "EWA, bias-corrected" is
    ``v_t/(1 − β^t)``.

    Notice: the plain average starts near 0 — far below a signal that lives around 10 — and needs
    about ``1/(1−β)`` steps to catch up (for β = 0.9, v_1 = 1.0 when θ_1 ≈ 10). The corrected
    average follows the signal from the first step; later the two coincide, because ``β^t → 0``.
    Larger β: smoother, but a longer warm-up and a bigger lag. Ranges: ``0 ≤ beta ≤ 0.999``,
    ``2 ≤ steps ≤ 1000``.
    """
    beta = _float("beta", beta, 0.0, 0.999)
    steps = _int("steps", steps, 2, 1000)
    seed = _seed(seed)
    t = np.arange(1, steps + 1, dtype=np.float64)
    theta = 10.0 + 2.0 * np.sin(t / 8.0) + _rng(seed, 1).standard_normal(steps)
    v = np.empty(steps)
    acc = 0.0
    for i in range(steps):
        acc = beta * acc + (1 - beta) * theta[i]
        v[i] = acc
    corrected = v / (1 - beta**t)
    return Figure(
        (
            Series("signal", t, theta, kind="scatter"),
            Series("EWA", t, v),
            Series("EWA, bias-corrected", t, corrected),
        ),
        (f"first step: EWA {_fmt(v[0])}, corrected {_fmt(corrected[0])}, signal {_fmt(theta[0])}",),
    )


# ===================================================================== 7.5 AdaGrad, 7.6 RMSProp


def adagrad_effective_lr(*, lr: float = 0.5, steps: int = 200, seed: int = 0) -> Figure:
    """AdaGrad's effective rate ``lr/(√cache + ε)`` for a frequent and a rare feature.

    Logistic regression on sparse binary-like features, one example per step: the "frequent
    feature" is present (±1) in every example, the "rare feature" (value 1) in one example out of
    20, including the first; when a feature is absent its gradient is exactly 0. AdaGrad runs on the
    two weights; y is each weight's effective rate after each step (use a log y axis).

    Notice: both start at the same rate, but the frequent feature's rate shrinks steadily — its
    ``cache`` grows by a squared gradient at every step, roughly like ``1/√t`` — while the rare
    feature's rate only drops on the rare steps where it appears and stays several times higher
    (about ``√20`` here). AdaGrad gives rare features bigger steps, which is why it suits sparse
    data — and its rates only ever go down. Ranges: ``0 < lr ≤ 10``, ``20 ≤ steps ≤ 5000``.
    """
    lr = _float("lr", lr, 0.0, 10.0, open_lo=True)
    steps = _int("steps", steps, 20, 5000)
    seed = _seed(seed)
    rng = _rng(seed, 1)
    x1 = np.where(rng.random(steps) < 0.5, -1.0, 1.0)
    x2 = (np.arange(steps) % 20 == 0).astype(np.float64)
    X = np.column_stack([x1, x2])
    p_true = 1.0 / (1.0 + np.exp(-(0.8 * x1 + 2.0 * x2 - 0.5)))
    y = (rng.random(steps) < p_true).astype(np.float64)
    opt = make_optimizer("adagrad", lr=lr)
    params = {"W": np.zeros(2)}
    eff = np.empty((steps, 2))
    with np.errstate(all="ignore"):
        for i in range(steps):
            z = float(X[i] @ params["W"])
            p = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
            opt.step(params, {"dW": (p - y[i]) * X[i]})
            eff[i] = lr / (np.sqrt(opt.state["W"]["cache"]) + opt.eps)
    t = _steps_x(steps)
    notes = [
        f"after {steps} steps: frequent {_fmt(eff[-1, 0])}, rare {_fmt(eff[-1, 1])} "
        f"({_fmt(eff[-1, 1] / eff[-1, 0])}× larger)"
    ]
    return Figure(
        (Series("frequent feature", t, eff[:, 0]), Series("rare feature", t, eff[:, 1])),
        tuple(notes),
    )


def _polynomial_problem(seed: int, m: int = 50) -> tuple[np.ndarray, np.ndarray]:
    X, Y = _data.polynomial(m, _rng(seed, 1), coefs=(0.0, 1.0, 0.0, -2.0), noise=0.05, low=-1.2, high=1.2)
    return X, Y


def rmsprop_vs_adagrad(*, lr: float = 0.01, beta: float = 0.9, steps: int = 300, seed: int = 0) -> Figure:
    """AdaGrad and RMSProp training the same network for a long run, with the same ``lr``.

    A 2→16→16→1 ReLU classifier on the moons data (100 examples, full batch, cross-entropy),
    from the same initial weights. y is the training loss per step (use a log y axis).

    Notice: the two start alike, but AdaGrad's ``cache`` is a *sum* of squared gradients, so its
    steps keep shrinking and its curve flattens out; RMSProp's ``cache`` is a *moving average*
    (β), which forgets old gradients, so its step size stays useful and it keeps improving — by
    the end its loss is many times lower. Ranges: ``0 < lr ≤ 1``, ``0 ≤ beta ≤ 0.999``,
    ``10 ≤ steps ≤ 2000``.
    """
    lr = _float("lr", lr, 0.0, 1.0, open_lo=True)
    beta = _float("beta", beta, 0.0, 0.999)
    steps = _int("steps", steps, 10, 2000)
    seed = _seed(seed)
    X, Y = _moons_problem(seed)
    base = MLP([2, 16, 16, 1], rng=_rng(seed, 2), output="sigmoid", loss="cross_entropy")
    notes: list[str] = []
    series = []
    for label, opt in (
        ("AdaGrad", make_optimizer("adagrad", lr=lr)),
        (f"RMSProp (β={_fmt(beta)})", make_optimizer("rmsprop", lr=lr, beta=beta)),
    ):
        losses = _full_batch_run(base.copy(), X, Y, opt, steps)
        series.append(_series_with_cut(label, losses, notes))
    for s in series:
        if not s.note:
            notes.append(f"{s.label}: final loss {_fmt(s.y[-1])}")
    return Figure(tuple(series), tuple(notes))


# =============================================================================== 7.7 Adam


def adam_bias_correction(
    *,
    lr: float = 0.05,
    beta1: float = 0.9,
    beta2: float = 0.999,
    steps: int = 60,
    seed: int = 0,
    show: str = "loss",
) -> Figure:
    """Adam's first steps with full bias correction, without correcting ``v``, and with none.

    A linear regression (4 features, mini-batches of 16, so the gradients are noisy) from weights
    at 0; three Adam runs with the same batches: "corrected" (``v/(1−β1ᵗ)`` and ``s/(1−β2ᵗ)``: real
    Adam), "v uncorrected" (only ``s`` corrected) and "both uncorrected".
    ``show="loss"`` (default): the training loss before each step. ``show="step"``: the size of
    each update, ``‖Δw‖/(lr·√n)`` — 1 means "every weight moved by about lr".

    Notice (defaults): without correcting ``v`` the start is slow — ``v`` starts at 0, so the
    first updates are only ``1−β1ᵗ`` of their proper size (a tenth at step 1) and the loss lags
    behind for about 20 steps. With neither corrected the opposite happens (because β2 > β1):
    ``s`` is even more biased towards 0 than ``v``, so the early updates are several times too
    large (``(1−β1ᵗ)/√(1−β2ᵗ)``: 3.2× at step 1, about 5× around step 5); the loss plunges, then
    overshoots and bounces back up. With correction the steps have the right size from step 1.
    ``show="step"`` makes the three step sizes visible directly. Ranges: ``0 < lr ≤ 1``,
    ``0 ≤ beta1, beta2 ≤ 0.9999``, ``2 ≤ steps ≤ 1000``, ``show`` loss/step.
    """
    lr = _float("lr", lr, 0.0, 1.0, open_lo=True)
    beta1 = _float("beta1", beta1, 0.0, 0.9999)
    beta2 = _float("beta2", beta2, 0.0, 0.9999)
    steps = _int("steps", steps, 2, 1000)
    seed = _seed(seed)
    show = _choice("show", show, ("loss", "step"))
    rng = _rng(seed, 1)
    m, n = 256, 4
    X = rng.standard_normal((m, n))
    y = X @ np.array([1.0, -0.5, 0.25, 0.75]) + 0.3 * rng.standard_normal(m)
    batch_idx = [_rng(seed, 2).choice(m, 16, replace=False) for _ in range(steps)]
    eps = 1e-8
    notes: list[str] = []
    series = []
    for label, corr_v, corr_s in (
        ("corrected", True, True),
        ("v uncorrected", False, True),
        ("both uncorrected", False, False),
    ):
        w = np.zeros(n)
        v = np.zeros(n)
        s = np.zeros(n)
        vals = []
        with np.errstate(all="ignore"):
            for t in range(1, steps + 1):
                r = X @ w - y
                J = float(r @ r) / (2 * m)
                idx = batch_idx[t - 1]
                g = X[idx].T @ (X[idx] @ w - y[idx]) / idx.size
                v = beta1 * v + (1 - beta1) * g
                s = beta2 * s + (1 - beta2) * g * g
                v_hat = v / (1 - beta1**t) if corr_v else v
                s_hat = s / (1 - beta2**t) if corr_s else s
                dw = -lr * v_hat / (np.sqrt(s_hat) + eps)
                w = w + dw
                vals.append(J if show == "loss" else float(np.linalg.norm(dw) / (lr * math.sqrt(n))))
        s_ = _series_with_cut(label, vals, notes, factor=1e6)
        series.append(s_)
    return Figure(tuple(series), tuple(notes))


def adam_variants(*, lr: float = 0.01, steps: int = 200, seed: int = 0) -> Figure:
    """Adam, AdaMax and Nadam training the same network with the same ``lr`` (training loss per step).

    A 2→16→16→1 ReLU network on the moons data (100 examples, full batch), same initial weights.

    Notice: the three curves are close — they share the first moment ``v`` and differ in the
    denominator (AdaMax uses the running max of ``|g|``, ``u``) or in a Nesterov look-ahead (Nadam
    mixes the current gradient into ``v``, often a little faster early on). None is universally
    best; Adam's defaults are a solid first choice. Ranges: ``0 < lr ≤ 1``, ``10 ≤ steps ≤ 2000``.
    """
    lr = _float("lr", lr, 0.0, 1.0, open_lo=True)
    steps = _int("steps", steps, 10, 2000)
    seed = _seed(seed)
    X, Y = _moons_problem(seed)
    base = MLP([2, 16, 16, 1], rng=_rng(seed, 2), output="sigmoid", loss="cross_entropy")
    notes: list[str] = []
    series = []
    for name, label in (("adam", "Adam"), ("adamax", "AdaMax"), ("nadam", "Nadam")):
        losses = _full_batch_run(base.copy(), X, Y, make_optimizer(name, lr=lr), steps)
        s = _series_with_cut(label, losses, notes)
        series.append(s)
        if not s.note:
            notes.append(f"{label}: final loss {_fmt(s.y[-1])}")
    return Figure(tuple(series), tuple(notes))


# ========================================================================= 7.8 full code

RACE_OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "nadam", "adamw")
RACE_LABELS = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "adamax": "AdaMax",
    "nadam": "Nadam",
    "adamw": "AdamW",
}
# Learning rates per problem: each optimizer at a rate that works well for it (not tuned to win).
RACE_LR = {
    "moons": {"sgd": 1.0, "momentum": 3.0, "nesterov": 3.0, "adagrad": 0.1, "rmsprop": 0.01,
              "adam": 0.03, "adamax": 0.06, "nadam": 0.03, "adamw": 0.03},
    "regression": {"sgd": 0.1, "momentum": 1.0, "nesterov": 1.0, "adagrad": 0.1, "rmsprop": 0.01,
                   "adam": 0.03, "adamax": 0.06, "nadam": 0.03, "adamw": 0.03},
    "rosenbrock": {"sgd": 0.002, "momentum": 0.01, "nesterov": 0.01, "adagrad": 1.0, "rmsprop": 0.03,
                   "adam": 0.3, "adamax": 0.3, "nadam": 0.3, "adamw": 0.3},
}
PROBLEMS = ("moons", "rosenbrock", "regression")


def _make_race_optimizer(name: str, problem: str) -> object:
    lr = RACE_LR[problem][name]
    if name == "adamw":
        return make_optimizer(name, lr=lr, wd=0.01)
    return make_optimizer(name, lr=lr)


def _race_losses(problem: str, name: str, steps: int, seed: int, target: float | None = None) -> list[float]:
    """The loss at steps 0, 1, …, ``steps`` for one optimizer on ``problem`` (fewer entries when the
    run diverged — the exploding value is the last — or reached ``target``)."""
    opt = _make_race_optimizer(name, problem)
    if problem == "rosenbrock":
        obj = _data.rosenbrock()
        _, values = _objective_run(obj, opt, steps, obj.start, target)
        return values
    if problem == "moons":
        X, Y = _moons_problem(seed)
        model = MLP([2, 16, 16, 1], rng=_rng(seed, 2), output="sigmoid", loss="cross_entropy")
    else:
        X, Y = _polynomial_problem(seed)
        model = MLP([1, 16, 16, 1], rng=_rng(seed, 2), activation="tanh")
    losses = _full_batch_run(model, X, Y, opt, steps, target)
    if len(losses) == steps and math.isfinite(losses[-1]) and (target is None or losses[-1] >= target):
        with np.errstate(all="ignore"):
            losses.append(model.loss(X, Y))
    return losses


def _race_doc_lrs(problem: str) -> str:
    return ", ".join(f"{RACE_LABELS[k]} {v:g}" for k, v in RACE_LR[problem].items())


def optimizer_race(*, problem: str = "moons", steps: int = 150, seed: int = 0) -> Figure:
    """Every optimizer's training curve on one problem (loss per step, from the same start).

    Problems: "moons" (a 2→16→16→1 ReLU classifier, 100 examples, full batch, cross-entropy),
    "regression" (a 1→16→16→1 tanh network fitting a noisy cubic, 50 examples, mse) and "rosenbrock" (the 2-D
    banana valley from (−1.2, 1)). Each optimizer uses a learning rate that suits it (listed in
    the notes); AdamW uses wd = 0.01. Use a log y axis.

    Notice: plain SGD and AdaGrad are the slowest; momentum and Nesterov speed SGD up; the
    adaptive methods with momentum (Adam, Nadam, AdaMax, AdamW) reach low losses fastest on the
    networks. On Rosenbrock, the steep walls force SGD to a tiny rate and it barely moves along
    the curved valley. Ranges: ``problem`` moons/rosenbrock/regression, ``10 ≤ steps ≤ 1000``.
    """
    problem = _choice("problem", problem, PROBLEMS)
    steps = _int("steps", steps, 10, 1000)
    seed = _seed(seed)
    notes: list[str] = [f"learning rates: {_race_doc_lrs(problem)}"]
    series = []
    for name in RACE_OPTIMIZERS:
        losses = _race_losses(problem, name, steps, seed)
        s = _series_with_cut(RACE_LABELS[name], losses, notes, x0=0)
        series.append(Series(s.label, s.x, _positive_floor(s.y), note=s.note))
    return Figure(tuple(series), tuple(notes))


def steps_to_target(*, problem: str = "moons", target: float = 0.03, seed: int = 0, max_steps: int = 300) -> Figure:
    """A bar per optimizer: the updates it needs before the training loss drops below ``target``.

    The runs of :func:`optimizer_race` (same problems, rates and starts), each stopped as soon as
    its loss is below ``target``, or at ``max_steps``. One bar series per optimizer (x = its
    position 0…8, label = its name). An optimizer that does not get there gets a bar of
    ``max_steps`` and a note ("did not reach 0.03 in 300 steps", or "diverged at step N").

    Notice (moons, target 0.03): Adam, AdamW and Nadam need the fewest steps (about 70), momentum,
    Nesterov, RMSProp, AdaMax and AdaGrad roughly twice as many, plain SGD about four times as
    many. Fewer steps is not the whole story: a step does not cost the same for every
    optimizer (see ``optimizer_memory``), and the ranking changes with the problem and the target.
    Ranges: ``problem`` moons/rosenbrock/regression, ``0 < target ≤ 100``, ``10 ≤ max_steps ≤ 2000``.
    """
    problem = _choice("problem", problem, PROBLEMS)
    target = _float("target", target, 0.0, 100.0, open_lo=True)
    seed = _seed(seed)
    max_steps = _int("max_steps", max_steps, 10, 2000)
    notes: list[str] = []
    series = []
    for i, name in enumerate(RACE_OPTIMIZERS):
        losses = np.asarray(_race_losses(problem, name, max_steps, seed, target))
        label = RACE_LABELS[name]
        _, cut = _cut(losses)
        below = np.flatnonzero(np.isfinite(losses) & (losses < target))
        note = ""
        if below.size and (cut is None or below[0] < cut - 1):
            n = float(below[0])
        else:
            n = float(max_steps)
            note = f"diverged at step {cut - 1}" if cut is not None else f"did not reach {_fmt(target)} in {max_steps} steps"
            notes.append(f"{label}: {note}")
        series.append(Series(label, np.array([float(i)]), np.array([n]), kind="bar", note=note))
    return Figure(tuple(series), tuple(notes))


def optimizer_memory(*, n_params: int = 1_000_000) -> Figure:
    """Bytes of optimizer state for a model with ``n_params`` float64 parameters (one bar each).

    Measured: each optimizer makes one step on a parameter vector and reports ``state_bytes()``;
    the state is per element, so the bytes for ``n_params`` are scaled from a vector of at most
    100 000 entries. SGD keeps nothing; momentum, Nesterov, AdaGrad and RMSProp keep one array
    (8 bytes per parameter); Adam, AdaMax, Nadam and AdamW keep two (16 bytes per parameter).

    Notice: Adam's state is twice the size of the model itself — on a large model that is the
    difference between fitting in memory or not. Range: ``1 ≤ n_params ≤ 10¹⁰``.
    """
    n_params = _int("n_params", n_params, 1, 10**10)
    k = min(n_params, 100_000)
    series = []
    for i, name in enumerate(RACE_OPTIMIZERS):
        opt = OPTIMIZERS[name](lr=0.001) if name != "adamw" else make_optimizer("adamw", lr=0.001)
        opt.step({"W": np.zeros(k)}, {"dW": np.full(k, 0.1)})
        per = opt.state_bytes() / k
        series.append(Series(RACE_LABELS[name], np.array([float(i)]), np.array([per * n_params]), kind="bar"))
    return Figure(
        tuple(series),
        (f"the parameters themselves take {_fmt(8.0 * n_params / 2**20)} MiB",),
    )


# ============================================================ 7.5–7.7 the curvature (preconditioning) view

PRECONDITIONED = ("rmsprop", "adam", "adagrad")
PRECONDITIONED_LABELS = {"rmsprop": "RMSProp", "adam": "Adam", "adagrad": "AdaGrad"}


def _effective_steps(opt: object) -> np.ndarray:
    """The per-coordinate multiplier an adaptive optimizer applies to its (averaged) gradient:
    ``lr/(√cache + ε)`` for AdaGrad and RMSProp, ``lr/(√ŝ + ε)`` with ``ŝ = s/(1 − β₂ᵗ)`` for Adam."""
    state = opt.state["W"]  # type: ignore[attr-defined]
    if opt.name == "adam":  # type: ignore[attr-defined]
        s = state["s"] / (1.0 - opt.beta2**opt.t)  # type: ignore[attr-defined]
    else:
        s = state["cache"]
    return opt.lr / (np.sqrt(s) + opt.eps)  # type: ignore[attr-defined]


def preconditioning_paths(
    *, optimizer: str = "rmsprop", lr: float = 0.1, angle: float = 0.0, condition: float = 50.0, steps: int = 60
) -> Figure:
    """Paths of gradient descent and of an adaptive optimizer on an ill-conditioned bowl whose valley
    lies along an axis (``angle`` 0) or turned by ``angle`` degrees (x: w₁, y: w₂).

    ``f(w) = ½·(u₁²/condition + u₂²)`` with ``u`` = w turned back by ``angle``: curvature
    ``1/condition`` along the valley, 1 across it; start (−4, 1) turned likewise, minimum at 0.
    Series: "GD (lr=1)" (plain gradient descent at lr 1, the best constant rate for the steep
    walls), the ``optimizer`` ("RMSProp (lr=…)", "Adam (…)" or "AdaGrad (…)"), "start", "minimum".
    The notes give each distance to the minimum after ``steps`` steps and the optimizer's final
    multiplier ``lr/√s`` per coordinate.

    Dividing by √s is a *diagonal* preconditioner: one scale per coordinate (w₁, w₂), set by that
    coordinate's gradient size. Notice (defaults): with the valley along w₁ (angle 0) the shallow
    coordinate gets the larger multiplier, RMSProp moves both coordinates at about the same pace
    (≈ lr per step, whatever their curvature) and ends 0.01 from the minimum, while GD, whose one
    rate is set by the steep walls, is still 1.19 away. Turn the valley by 45°: each coordinate now
    mixes the steep and the shallow direction, both see the same large gradients, their
    multipliers are about equal — a scalar learning rate again — and RMSProp ends 0.5 away: most of
    its advantage is gone.
    A diagonal scaling cannot undo a rotation; only a full (non-diagonal) preconditioner such as
    Newton's ``H⁻¹`` could. Ranges: ``optimizer`` in rmsprop/adam/adagrad, ``0 < lr ≤ 2``,
    ``0 ≤ angle ≤ 90``, ``1 ≤ condition ≤ 1000``, ``1 ≤ steps ≤ 500``.
    """
    optimizer = _choice("optimizer", optimizer, PRECONDITIONED)
    lr = _float("lr", lr, 0.0, 2.0, open_lo=True)
    angle = _float("angle", angle, 0.0, 90.0)
    condition = _float("condition", condition, 1.0, 1000.0)
    steps = _int("steps", steps, 1, 500)
    obj = _data.quadratic_bowl(condition, angle=math.radians(angle))
    series = []
    notes: list[str] = []
    adaptive = make_optimizer(optimizer, lr=lr)
    runs = (("GD (lr=1)", make_optimizer("sgd", lr=1.0)),
            (f"{PRECONDITIONED_LABELS[optimizer]} (lr={_fmt(lr)})", adaptive))
    for label, opt in runs:
        path, values = _objective_run(obj, opt, steps, obj.start)
        note = ""
        if not (np.all(np.isfinite(path[-1])) and math.isfinite(values[-1]) and values[-1] <= 1e4 * values[0]):
            note = f"diverged at step {len(values) - 1}"
            notes.append(f"{label}: {note}")
            path = path[:-1]
        else:
            notes.append(f"{label}: distance to the minimum after {steps} steps {_fmt(_norm(path[-1]))}")
        series.append(Series(label, path[:, 0], path[:, 1], note=note))
    eff = _effective_steps(adaptive)
    if np.all(np.isfinite(eff)):
        notes.append(f"{PRECONDITIONED_LABELS[optimizer]}'s multiplier lr/√s at the end: "
                     f"w₁ {_fmt(float(eff[0]))}, w₂ {_fmt(float(eff[1]))}")
    series.append(Series("start", obj.start[:1], obj.start[1:], kind="scatter"))
    series.append(Series("minimum", np.zeros(1), np.zeros(1), kind="scatter"))
    return Figure(tuple(series), tuple(notes))


CURVATURE_DIMS = 12


def effective_step_vs_curvature(*, optimizer: str = "rmsprop", lr: float = 0.1, steps: int = 10, seed: int = 0) -> Figure:
    """The multiplier an adaptive optimizer gives each coordinate, against that coordinate's
    curvature (x: curvature h, log; y: step multiplier, log).

    A separable bowl ``f(w) = ½·Σ hᵢ·wᵢ²`` in 12 dimensions, curvatures hᵢ spread evenly (on a log
    scale) from 0.01 to 1, start wᵢ = ±(distance drawn log-uniformly in [0.5, 2]) from ``seed``.
    After ``steps`` steps of ``optimizer``: "<name>: lr/√s" (one point per coordinate, the
    multiplier of :func:`preconditioning_paths`), "Newton: 1/h" (the ideal scaling: one step to the
    minimum of every coordinate) and "GD: lr" (one rate for every coordinate). The note gives the
    slope of log(multiplier) against log(h) (Newton's is −1).

    Why: wᵢ's gradient is hᵢ·wᵢ, so √s ≈ hᵢ·|wᵢ| and the multiplier ≈ lr/(hᵢ·|wᵢ|): it falls like
    1/h — steep coordinates get small steps, shallow ones large, which is what curvature asks for.
    Notice (defaults): the points fall from left to right like Newton's line — a slope of −0.72
    (other seeds: −0.7 to −1.1): along the fitted line the shallowest coordinate's step is 27×
    the steepest one's (Newton's: 100×, GD's: 1×). But the optimizer sees the gradient, not the curvature: the factor lr/|wᵢ| scatters the
    points about the line — a coordinate that starts far away gets a smaller step than its
    curvature warrants, one that starts close a larger one. GD's single
    rate must suit the steepest coordinate (lr < 2/h_max) and is 100× too small for the
    shallowest. Ranges: ``optimizer`` in rmsprop/adam/adagrad, ``0 < lr ≤ 1``,
    ``1 ≤ steps ≤ 500``.
    """
    optimizer = _choice("optimizer", optimizer, PRECONDITIONED)
    lr = _float("lr", lr, 0.0, 1.0, open_lo=True)
    steps = _int("steps", steps, 1, 500)
    seed = _seed(seed)
    rng = _rng(seed, 1)
    h = np.logspace(-2.0, 0.0, CURVATURE_DIMS)
    start = np.exp(rng.uniform(np.log(0.5), np.log(2.0), CURVATURE_DIMS)) * rng.choice([-1.0, 1.0], CURVATURE_DIMS)
    opt = make_optimizer(optimizer, lr=lr)
    params = {"W": start.copy()}
    for _ in range(steps):
        opt.step(params, {"dW": h * params["W"]})
    eff = _effective_steps(opt)
    ok = np.isfinite(eff) & (eff > 0)
    eff = np.minimum(eff, 1e12)
    slope = float(np.polyfit(np.log(h[ok]), np.log(eff[ok]), 1)[0]) if ok.sum() >= 2 else math.nan
    label = PRECONDITIONED_LABELS[optimizer]
    span = math.exp(-slope * math.log(h[-1] / h[0])) if math.isfinite(slope) else math.nan
    notes = [f"{label}: slope of log(lr/√s) against log(h) {slope:.2f} (Newton's 1/h: −1, GD's lr: 0)",
             f"along the fitted line, the step at h = {h[0]:g} is {_fmt(span)}× the step at h = {h[-1]:g} "
             f"(Newton: {_fmt(h[-1] / h[0])}×)"]
    return Figure(
        (
            Series(f"{label}: lr/√s", h[ok], eff[ok], kind="scatter"),
            Series("Newton: 1/h", h, 1.0 / h),
            Series(f"GD: lr={_fmt(lr)}", h, np.full(h.size, lr)),
        ),
        tuple(notes),
    )


# ============================================================ 7.2 update/weight ratio, 7.8 gradient clipping

RATIO_TARGET = 1e-3


def update_ratio(*, lr: float = 0.3, steps: int = 150, seed: int = 0) -> Figure:
    """CS231n's health check: the size of each layer's update relative to its weights, step by step.

    A 2→32→32→1 ReLU classifier on the moons data (200 examples, cross-entropy), mini-batch SGD
    (batches of 32, learning rate ``lr``). After each step, for every weight matrix,
    ``‖ΔW‖/‖W‖`` = ``lr·‖dW‖/‖W‖``; the curves show it smoothed over the last ~10 steps (a
    bias-corrected moving average, β = 0.9: the raw per-batch ratios of three layers are too noisy to
    tell apart). x: step, log y. Series "W1", "W2", "W3" and the rough target "1e-3". The notes give
    each layer's median raw ratio over the second half of the run and the final training loss.

    Notice: the ratios rise with ``lr`` (not quite in proportion: the gradients change too). With
    the default 0.3 (which trains best of 0.003, 0.03, 0.3 and 3) the medians are 3e-3 … 2e-2; at
    0.003 they are 4e-5 … 2e-3 and the loss has barely moved (0.58 against 0.21); at 3 they are
    1e-2 … 3e-2 and the loss ends higher (0.28). "About 1e-3" is an
    order-of-magnitude guide, not a target to hit: far below it, training is probably too slow;
    far above, the weights are being rewritten every few steps. The layers differ (here the output
    layer's ratio is the largest), which is why it is checked per layer. If every unit of a layer
    dies, its gradient and the ratio become 0 (drawn at 1e-12; the note says from which step).
    Ranges: ``1e-4 ≤ lr ≤ 10``, ``10 ≤ steps ≤ 1000``.
    """
    lr = _float("lr", lr, 1e-4, 10.0)
    steps = _int("steps", steps, 10, 1000)
    seed = _seed(seed)
    X, Y = _moons_problem(seed, m=200)
    model = MLP([2, 32, 32, 1], rng=_rng(seed, 2), output="sigmoid", loss="cross_entropy")
    rng = _rng(seed, 3)
    L = model.n_layers
    ratios = np.zeros((steps, L))
    losses: list[float] = []
    notes: list[str] = []
    with np.errstate(all="ignore"):
        for step in range(steps):
            idx = rng.choice(X.shape[0], 32, replace=False)
            J, g = model.loss_and_grads(X[idx], Y[idx], training=False)
            losses.append(J)
            if not math.isfinite(J):
                break
            for l in range(1, L + 1):
                W = model.params[f"W{l}"]
                delta = lr * g[f"dW{l}"]
                ratios[step, l - 1] = _norm(delta) / max(_norm(W), 1e-300)
                W -= delta
                model.params[f"b{l}"] -= lr * g[f"db{l}"]
    done, cut = _cut(losses, factor=1e6)
    n = done.size if cut is None else max(cut - 1, 1)
    if cut is not None:
        notes.append(f"diverged at step {cut}")
    ratios = np.nan_to_num(ratios[:n], nan=0.0, posinf=1e12)
    x = _steps_x(n)
    smooth = np.empty_like(ratios)
    avg = np.zeros(L)
    for i in range(n):
        avg = 0.9 * avg + 0.1 * ratios[i]
        smooth[i] = avg / (1.0 - 0.9 ** (i + 1))
    series = [Series(f"W{l}", x, np.clip(smooth[:, l - 1], 1e-12, 1e12)) for l in range(1, L + 1)]
    series.append(Series("1e-3", x, np.full(n, RATIO_TARGET)))
    half = ratios[n // 2 :]
    notes.append("median ‖ΔW‖/‖W‖ over the second half: " + ", ".join(
        f"W{l} {float(np.median(half[:, l - 1])):.1e}" for l in range(1, L + 1)))
    dead = np.flatnonzero(np.all(ratios == 0.0, axis=1))
    if dead.size:
        notes.append(f"no update at all from step {int(dead[0]) + 1} (every gradient 0: dead units)")
    if cut is None:
        notes.append(f"training loss at the end {_fmt(model.loss(X, Y))}")
    return Figure(tuple(series), tuple(notes))


CLIP_VIEWS = ("loss", "grad_norm")


def _clipping_problem(seed: int, m: int = 500, n_val: int = 200) -> tuple[np.ndarray, ...]:
    """Linear regression (5 features, noise 0.3) where 2 % of the training targets are off by ±50;
    the validation targets are clean."""
    rng = _rng(seed, 1)
    X = rng.standard_normal((m + n_val, 5))
    w = rng.standard_normal(5)
    y = X @ w + 0.3 * rng.standard_normal(m + n_val)
    bad = rng.random(m) < 0.02
    y[:m][bad] += 50.0 * rng.choice([-1.0, 1.0], int(bad.sum()))
    return X[:m], y[:m], X[m:], y[m:]


def _clipped_sgd(
    X: np.ndarray, y: np.ndarray, X_val: np.ndarray, y_val: np.ndarray, lr: float, max_norm: float | None,
    steps: int, rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Mini-batch SGD (batches of 10) on ``(1/2B)·Σ (x·w + b − y)²``, the gradient ``g = (dw, db)``
    rescaled to ``g·max_norm/‖g‖`` when ``‖g‖ > max_norm``. Returns the validation loss after each
    step, ``‖g‖`` before clipping, and how many steps were clipped."""
    m, k = X.shape
    w = np.zeros(k)
    b = 0.0
    losses = np.empty(steps)
    norms = np.empty(steps)
    clipped = 0
    for step in range(steps):
        idx = rng.choice(m, 10, replace=False)
        r = (X[idx] @ w + b - y[idx]) / 10
        gw = r @ X[idx]
        gb = float(r.sum())
        norm = math.sqrt(float(gw @ gw) + gb * gb)
        norms[step] = norm
        if max_norm is not None and norm > max_norm:
            gw *= max_norm / norm
            gb *= max_norm / norm
            clipped += 1
        w -= lr * gw
        b -= lr * gb
        res = X_val @ w + b - y_val
        losses[step] = 0.5 * float(res @ res) / y_val.size
    return losses, norms, clipped


def gradient_clipping(*, max_norm: float = 1.0, lr: float = 0.1, steps: int = 200, show: str = "loss", seed: int = 0) -> Figure:
    """Mini-batch SGD with and without clipping the gradient by its norm, on data that produce
    occasional large gradients.

    Linear regression, 500 training examples with 5 features, 2 % of them with a target off by ±50
    (a corrupted label); batches of 10, learning rate ``lr``. A batch holding a corrupted example
    has a gradient tens of times the usual one. Clipping by norm: if ``‖g‖ > max_norm``, use
    ``g·max_norm/‖g‖`` (the direction kept, the length capped — PyTorch's ``clip_grad_norm_``).

    - ``show="loss"``: the loss on 200 clean validation examples after each step (log y), "no
      clipping" and "clipped (max_norm=…)".
    - ``show="grad_norm"``: ``‖g‖`` before clipping at each step of the clipped run, with the
      "max_norm" line (log y).

    Notice (defaults): without clipping the loss jumps up every time a corrupted example lands in a
    batch (to 2 and more) and spends the run recovering; with clipping the same batches move the
    weights by at most lr·max_norm and the loss stays near 0.05. In "grad_norm" the typical norm
    is ~0.3 and the spikes ~15: max_norm should sit above the typical norm (here 35 of 200 steps
    are clipped, nearly all spikes); set it below the typical norm and every step is clipped — a
    smaller, normalized step, slower but still stable. Clipping also changes what is optimized
    (a spike's pull is capped, as with a robust loss), which is why it helps against bad labels
    too. Ranges: ``0.01 ≤ max_norm ≤ 100``, ``0 < lr ≤ 1``, ``10 ≤ steps ≤ 2000``.
    """
    max_norm = _float("max_norm", max_norm, 0.01, 100.0)
    lr = _float("lr", lr, 0.0, 1.0, open_lo=True)
    steps = _int("steps", steps, 10, 2000)
    show = _choice("show", show, CLIP_VIEWS)
    seed = _seed(seed)
    data = _clipping_problem(seed)
    with np.errstate(all="ignore"):
        plain, _, _ = _clipped_sgd(*data, lr, None, steps, _rng(seed, 3))
        clip, norms, clipped = _clipped_sgd(*data, lr, max_norm, steps, _rng(seed, 3))
    notes: list[str] = []
    if show == "loss":
        series = (
            _series_with_cut("no clipping", plain, notes, factor=1e6),
            _series_with_cut(f"clipped (max_norm={_fmt(max_norm)})", clip, notes, factor=1e6),
        )
        for s_ in series:
            if not s_.note:
                notes.append(f"{s_.label}: median validation loss over the second half "
                             f"{_fmt(float(np.median(s_.y[s_.y.size // 2:])))}, highest {_fmt(float(s_.y[s_.y.size // 2:].max()))}")
    else:
        x = _steps_x(steps)
        finite = np.isfinite(norms)
        series = (
            Series("‖g‖ before clipping", x[finite], np.maximum(norms[finite], 1e-12)),
            Series("max_norm", x, np.full(steps, max_norm)),
        )
    notes.append(f"{clipped} of {steps} steps clipped; median ‖g‖ {_fmt(float(np.median(norms)))}, "
                 f"largest {_fmt(float(np.max(norms)))}")
    return Figure(tuple(series), tuple(notes))
