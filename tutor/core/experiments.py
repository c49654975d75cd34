"""The experiments behind every plot of the lessons (see docs/internals.md, "Figures and experiments").

Each experiment is a function whose parameters are all keyword-only with defaults: the settings a
plot step may expose. It returns a :class:`~tutor.core.figure.Figure` holding finite numbers only,
the same figure for the same settings (randomness comes from ``numpy.random.default_rng`` seeded
with ``seed``), in well under 300 ms with the defaults. A setting out of its stated range raises
``ValueError`` naming it. A run that diverges is cut at the divergence: its series stops there and
both the series' ``note`` and the figure's ``notes`` say ``"... diverged at step N"``.

The docstring of each experiment says what the plot shows and what a learner should notice; the
tests in ``tests/core/test_experiments.py`` check those claims on the defaults.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

from . import data as _data
from .dropout import dropout_forward
from .figure import Figure, Series
from .model import MLP
from .optimizers import OPTIMIZERS, make_optimizer
from .regularization import l1_grads, l2_grads
from .schedules import exponential_decay, lr_range_test, step_decay, time_decay, warmup_cosine
from .selection import early_stopping
from .training import _uniform_rule, cross_validate_lambda, fit_linear, lambda_path, train

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
    "dropout_kept_units",
    "dropout_test_time",
    "dropout_training",
    "dropout_train_val",
    "keep_prob_grid",
    "EXPERIMENTS",
]

# ----------------------------------------------------------------------------- setting checks


def _int(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)  # 100.0 from a slider or YAML is the integer 100
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    v = int(value)
    if not lo <= v <= hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {v}")
    return v


def _float(name: str, value: object, lo: float, hi: float, *, open_lo: bool = False) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number in {'(' if open_lo else '['}{lo}, {hi}], got {value!r}")
    v = float(value)
    ok = (lo < v if open_lo else lo <= v) and v <= hi and math.isfinite(v)
    if not ok:
        raise ValueError(f"{name} must be a number in {'(' if open_lo else '['}{lo}, {hi}], got {v}")
    return v


def _choice(name: str, value: object, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value  # type: ignore[return-value]


def _seed(seed: object) -> int:
    return _int("seed", seed, 0, 2**32 - 1)


def _rng(seed: int, stream: int) -> np.random.Generator:
    """An independent generator per use (data, init, shuffling...) derived from the seed."""
    return np.random.default_rng([seed, stream])


# --------------------------------------------------------------------------------- helpers


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def _steps_x(n: int, start: int = 1) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.float64)


def _cut(values: Sequence[float], *, factor: float = 1e4, floor: float = 0.0) -> tuple[np.ndarray, int | None]:
    """The finite, non-exploding prefix of ``values`` and the 1-based index where it stopped.

    A value explodes when it is not finite or exceeds ``factor × max(values[0], floor, 1e-300)``.
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0:
        return arr, None
    limit = factor * max(float(arr[0]) if np.isfinite(arr[0]) else 0.0, floor, 1e-300)
    bad = ~np.isfinite(arr) | (arr > limit)
    if not bad.any():
        return arr, None
    i = int(np.argmax(bad))
    return arr[:i], i + 1


def _series_with_cut(
    label: str, values: Sequence[float], notes: list[str], *, x0: int = 1, factor: float = 1e4,
    x: np.ndarray | None = None,
) -> Series:
    y, cut = _cut(values, factor=factor)
    note = ""
    if cut is not None:
        step = cut + x0 - 1
        note = f"diverged at step {step}"
        notes.append(f"{label}: {note}")
        if y.size == 0:
            y = np.asarray(values, dtype=np.float64)[:1]
            y = y if np.all(np.isfinite(y)) else np.zeros(1)
    xs = _steps_x(y.size, x0) if x is None else np.asarray(x, dtype=np.float64)[: y.size]
    return Series(label, xs, y, note=note)


def _norm(x: np.ndarray) -> float:
    """``‖x‖₂`` with a plain reduction (no BLAS call: threaded BLAS is slow on a busy machine)."""
    return float(np.sqrt(np.sum(x * x)))


def _positive_floor(y: np.ndarray, floor: float = 1e-16) -> np.ndarray:
    """Values for a log axis: anything below ``floor`` becomes ``floor`` (plotext cannot take 0)."""
    return np.maximum(y, floor)


def _full_batch_run(
    model: MLP, X: np.ndarray, Y: np.ndarray, optimizer: object, steps: int, target: float | None = None
) -> list[float]:
    """Full-batch training: the loss before each of ``steps`` updates.

    Stops at divergence (the exploding loss is the last entry) or, with ``target``, as soon as the
    loss is below it.
    """
    single = _uniform_rule(optimizer)  # one flat array when weights and biases follow one rule
    params = {"theta": model.theta} if single else model.groups()
    losses: list[float] = []
    first = None
    with np.errstate(all="ignore"):
        for _ in range(steps):
            J, g = model.loss_and_flat_grad(X, Y, training=False, check=False)
            if first is None:
                first = J
            losses.append(J)
            if not math.isfinite(J) or J > 1e4 * max(first, 1e-12):
                break
            if target is not None and J < target:
                break
            optimizer.step(params, {"dtheta": g} if single else model.split_grad(g))  # type: ignore[attr-defined]
    return losses


def _objective_run(
    objective: _data.Objective, optimizer: object, steps: int, start: np.ndarray, target: float | None = None
) -> tuple[np.ndarray, list[float]]:
    """Optimizer steps on a 2-D objective: the path ``(steps+1, 2)`` and the value at each point
    (stops early at divergence, or once the value is below ``target``)."""
    w = np.array(start, dtype=np.float64)
    params = {"W": w}
    path = [w.copy()]
    values = [float(objective.value(w))]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            optimizer.step(params, {"dW": objective.grad(params["W"])})  # type: ignore[attr-defined]
            p = params["W"]
            path.append(p.copy())
            values.append(float(objective.value(p)))
            if not np.all(np.isfinite(p)) or not math.isfinite(values[-1]) or values[-1] > 1e4 * max(values[0], 1e-12):
                break
            if target is not None and values[-1] < target:
                break
    return np.array(path), values


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


# ======================================================================= 8.1–8.5 regularization

# The over-fitting set of lessons 8.x: 30 training examples with 10 features of which 3 matter,
# noisy labels (classification, cross-entropy), 100 validation examples; a 10→40→40→1 ReLU
# network trained full-batch with Adam. (Sizes keep every matrix product below OpenBLAS's
# threading threshold: on a busy 2-core machine a threaded product of this size is 5× slower.) Cross-entropy makes over-fitting very visible: once the
# network has memorized its few examples it grows ever more confident, and the validation loss of
# the examples it gets wrong climbs.
OVERFIT_N_TRAIN = 30
OVERFIT_N_VAL = 100


def _overfit_problem(seed: int, n_train: int, n_val: int = OVERFIT_N_VAL, *, classification: bool = True,
                     noise: float = 0.5) -> tuple[np.ndarray, ...]:
    X, Y = _data.overfit_set(n_train + n_val, _rng(seed, 1), n_features=10, n_informative=3, noise=noise,
                             classification=classification)
    return X[:n_train], Y[:n_train], X[n_train:], Y[n_train:]


def _overfit_train(
    seed: int,
    *,
    hidden: int = 40,
    epochs: int = 150,
    n_train: int = OVERFIT_N_TRAIN,
    penalty: str = "none",
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    lr: float = 0.01,
    batch_size: int | None = None,
    eval_every: int = 1,
    classification: bool = True,
    noise: float = 0.5,
) -> tuple[MLP, object]:
    Xtr, Ytr, Xva, Yva = _overfit_problem(seed, n_train, classification=classification, noise=noise)
    model = MLP(
        [Xtr.shape[1], hidden, hidden, 1],
        rng=_rng(seed, 2),
        output="sigmoid" if classification else "linear",
        loss="cross_entropy" if classification else "mse",
        penalty=penalty,
        lambd=lambd,
        keep_probs=keep_prob if keep_prob < 1.0 else None,
    )
    hist = train(
        model, Xtr, Ytr, make_optimizer("adam", lr=lr), epochs, batch_size or n_train, _rng(seed, 3),
        Xva, Yva, eval_every=eval_every,
    )
    return model, hist


def _hist_series(label: str, hist: object, which: str, notes: list[str]) -> Series:
    y = np.asarray(getattr(hist, which))
    x = np.asarray(hist.epochs)  # type: ignore[attr-defined]
    note = ""
    if hist.diverged_at is not None:  # type: ignore[attr-defined]
        note = f"diverged at step {hist.diverged_at}"  # type: ignore[attr-defined]
        if f"{label}: {note}" not in notes:
            notes.append(f"{label}: {note}")
    return Series(label, x[: y.size], y, note=note)


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


# ================================================================================ 9 dropout


def dropout_kept_units(*, keep_prob: float = 0.8, units: int = 100, trials: int = 50, seed: int = 0) -> Figure:
    """Inverted dropout applied ``trials`` times to a layer of ``units`` activations all equal to 1.

    Each trial is one ``dropout_forward(A, keep_prob, rng)``. Series (x = trial): "share kept" (the
    fraction of units that survived), "keep_prob" (the expected share), "mean activation" (the mean
    of ``A·mask``: survivors are scaled by ``1/keep_prob``) and "mean without dropout" (1).

    Notice: the share kept scatters around ``keep_prob`` (less with more units: its standard
    deviation is ``√(p(1−p)/units)``), and the mean activation scatters around 1, the value without
    dropout: the ``1/keep_prob`` scaling keeps the expected activation unchanged, which is why
    nothing needs rescaling at test time. Ranges: ``0 < keep_prob ≤ 1``, ``1 ≤ units ≤ 10000``,
    ``1 ≤ trials ≤ 1000``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    units = _int("units", units, 1, 10_000)
    trials = _int("trials", trials, 1, 1000)
    seed = _seed(seed)
    rng = _rng(seed, 1)
    A = np.ones((1, units))
    share = np.empty(trials)
    mean = np.empty(trials)
    for i in range(trials):
        out, mask = dropout_forward(A, keep_prob, rng)
        share[i] = np.mean(mask > 0)
        mean[i] = out.mean()
    x = _steps_x(trials)
    sd = math.sqrt(keep_prob * (1 - keep_prob) / units)
    return Figure(
        (
            Series("share kept", x, share, kind="scatter"),
            Series("keep_prob", x, np.full(trials, keep_prob)),
            Series("mean activation", x, mean, kind="scatter"),
            Series("mean without dropout", x, np.ones(trials)),
        ),
        (
            f"share kept: mean {_fmt(float(share.mean()))}, expected {_fmt(keep_prob)} ± {_fmt(sd)}",
            f"mean activation: mean {_fmt(float(mean.mean()))}, expected 1",
        ),
    )


def dropout_test_time(*, keep_prob: float = 0.5, seed: int = 0) -> Figure:
    """Mean activation of a layer at training and at test time, with inverted and non-inverted dropout.

    Activations ``A = ReLU(z)``, ``z ~ N(0, 1)``, 200 examples × 100 units. Bars (x = 0 … 4):

    - "train, inverted": ``A·mask`` with ``mask = (r < p)/p`` — mean ≈ mean(A).
    - "test, inverted (no dropout)": ``A`` unchanged — the same mean: train and test agree.
    - "train, not inverted": ``A·(r < p)`` — mean ≈ p·mean(A).
    - "test, not inverted, unscaled" (the mistake): ``A`` — 1/p times what the next layer saw in
      training.
    - "test, not inverted, × p": the original paper's fix, scaling by p at test time — agrees again.

    Notice: inverted dropout does the scaling during training, so at test time you just switch
    dropout off; forgetting the scaling with the non-inverted form shifts every activation at test
    time. Ranges: ``0 < keep_prob ≤ 1``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    seed = _seed(seed)
    rng = _rng(seed, 1)
    A = np.maximum(rng.standard_normal((200, 100)), 0.0)
    dropped, mask = dropout_forward(A, keep_prob, rng)
    kept = (mask > 0).astype(np.float64)
    values = (
        ("train, inverted", float(dropped.mean())),
        ("test, inverted (no dropout)", float(A.mean())),
        ("train, not inverted", float((A * kept).mean())),
        ("test, not inverted, unscaled", float(A.mean())),
        ("test, not inverted, × p", float(A.mean() * keep_prob)),
    )
    series = tuple(
        Series(label, np.array([float(i)]), np.array([v]), kind="bar") for i, (label, v) in enumerate(values)
    )
    return Figure(series, (f"mean activation without dropout {_fmt(float(A.mean()))}; keep_prob {_fmt(keep_prob)}",))


# The dropout lessons use the regression version of the over-fitting set (20 examples, noise 0.3):
# with a squared loss the effect of dropout on the validation loss is easier to see than with
# cross-entropy, where a memorizing network's confidence dominates everything.
DROPOUT_N_TRAIN = 20


def _dropout_train(seed: int, keep_prob: float, epochs: int, *, eval_every: int = 1):
    return _overfit_train(seed, epochs=epochs, keep_prob=keep_prob, n_train=DROPOUT_N_TRAIN, eval_every=eval_every,
                          classification=False, noise=0.3)[1]


def dropout_training(*, keep_prob: float = 0.7, epochs: int = 150, seed: int = 0) -> Figure:
    """Training curves with and without dropout: the training loss as the optimizer sees it.

    A 10→40→40→1 ReLU regression network on 20 noisy examples (10 features, 3 useful), Adam
    (lr 0.01), full batch, trained twice from the same start: without dropout and with inverted
    dropout (``keep_prob`` on both hidden layers). y is the loss of each epoch's batch computed with
    dropout on — what a training log prints (x: epoch 1 … epochs; use a log y axis).

    Notice: without dropout the training loss dives towards 0; with dropout it is higher and
    noisier — every step trains a different thinned network, and a thinned network fits worse — and
    it levels off instead of reaching 0. That is expected, not a sign of a worse model: look at
    the validation loss (``dropout_train_val``). Ranges: ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 500``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 500)
    seed = _seed(seed)
    h0 = _dropout_train(seed, 1.0, epochs, eval_every=0)
    h1 = _dropout_train(seed, keep_prob, epochs, eval_every=0)
    notes: list[str] = []
    series = (
        _series_with_cut("without dropout", h0.epoch_loss, notes, factor=1e6),
        _series_with_cut(f"with dropout (keep_prob={_fmt(keep_prob)})", h1.epoch_loss, notes, factor=1e6),
    )
    series = tuple(Series(s_.label, s_.x, _positive_floor(s_.y), note=s_.note) for s_ in series)
    return Figure(series, tuple(notes))


def dropout_train_val(*, keep_prob: float = 0.7, epochs: int = 150, seed: int = 0) -> Figure:
    """Training and validation loss (evaluation mode: no dropout) with and without dropout.

    The runs of :func:`dropout_training` (100 validation examples); after each epoch both sets
    are evaluated with dropout off (x: epoch 0 … epochs). Series: "training, no dropout",
    "validation, no dropout", "training, dropout (keep_prob=…)", "validation, dropout (…)".

    Notice (defaults): without dropout the training loss drops to almost 0 while the validation
    loss stalls and creeps up — overfitting; with dropout the training loss stays well above 0 and
    the validation loss ends lower: the gap between the two is much smaller. On a network this
    small the gain on validation is modest and depends on the data (try other seeds); the smaller
    gap is always there. Ranges: ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 500``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 500)
    seed = _seed(seed)
    every = max(1, epochs // 200)
    h0 = _dropout_train(seed, 1.0, epochs, eval_every=every)
    h1 = _dropout_train(seed, keep_prob, epochs, eval_every=every)
    notes: list[str] = []
    lab = f"dropout (keep_prob={_fmt(keep_prob)})"
    series = (
        _hist_series("training, no dropout", h0, "train_loss", notes),
        _hist_series("validation, no dropout", h0, "val_loss", notes),
        _hist_series(f"training, {lab}", h1, "train_loss", notes),
        _hist_series(f"validation, {lab}", h1, "val_loss", notes),
    )
    series = tuple(Series(s_.label, s_.x, _positive_floor(s_.y), note=s_.note) for s_ in series)
    notes.append(f"final validation loss: no dropout {_fmt(series[1].y[-1])}, dropout {_fmt(series[3].y[-1])}")
    return Figure(series, tuple(notes))


KEEP_PROBS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def keep_prob_grid(*, epochs: int = 60, seed: int = 0) -> Figure:
    """Validation loss after ``epochs`` epochs for keep_prob ∈ {0.3, 0.4, …, 1.0} (a grid search).

    The setting of :func:`dropout_training`, one training run per keep_prob from the same start;
    losses measured in evaluation mode. Series (x = keep_prob): "validation loss" and "training
    loss". The note gives the best keep_prob.

    Notice: the training loss falls steadily as keep_prob rises — keep_prob = 1 (no dropout) fits
    the training set best; the validation loss does not follow it: very low keep_prob underfits
    (both high), keep_prob = 1 overfits, and the best validation loss lies in between (0.8 with the
    defaults; other seeds move it, and on some the data is easy enough that 1.0 wins). Ranges: ``5 ≤ epochs ≤ 300``.
    """
    epochs = _int("epochs", epochs, 5, 300)
    seed = _seed(seed)
    val = []
    tr = []
    for kp in KEEP_PROBS:
        h = _dropout_train(seed, kp, epochs, eval_every=epochs)
        val.append(h.val_loss[-1] if h.val_loss.size and h.diverged_at is None else math.nan)
        tr.append(h.train_loss[-1] if h.train_loss.size and h.diverged_at is None else math.nan)
    x = np.array(KEEP_PROBS)
    val_a, tr_a = np.array(val), np.array(tr)
    ok = np.isfinite(val_a) & np.isfinite(tr_a)
    notes = []
    if ok.any():
        best = int(np.argmin(np.where(ok, val_a, np.inf)))
        notes.append(f"best keep_prob {x[best]:g} (validation loss {_fmt(val_a[best])})")
    if not ok.all():
        notes.append("diverged for keep_prob " + ", ".join(f"{v:g}" for v in x[~ok]))
    if not ok.any():
        raise ValueError("every run diverged; lower the number of epochs")
    return Figure(
        (Series("validation loss", x[ok], val_a[ok]), Series("training loss", x[ok], _positive_floor(tr_a[ok]))),
        tuple(notes),
    )


EXPERIMENTS: dict[str, Callable[..., Figure]] = {name: globals()[name] for name in __all__ if name != "EXPERIMENTS"}
"""Every experiment by name."""
