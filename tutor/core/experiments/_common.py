"""What every experiment module shares: setting checks, seeded generators, cutting a diverging
run, full-batch and 2-D objective runs, and the over-fitting set of modules 8 and 9."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from .. import data as _data
from ..figure import Series
from ..model import MLP
from ..optimizers import make_optimizer
from ..training import train, _uniform_rule

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
    keep_prob: float | tuple[float, ...] = 1.0,
    input_keep_prob: float = 1.0,
    lr: float = 0.01,
    weight_decay: float = 0.0,
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
        keep_probs=keep_prob if keep_prob != 1.0 else None,
        input_keep_prob=input_keep_prob,
    )
    hist = train(
        model, Xtr, Ytr, make_optimizer("adam", lr=lr, weight_decay=weight_decay), epochs, batch_size or n_train, _rng(seed, 3),
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


def _histograms(
    samples: Sequence[np.ndarray], *, bins: int = 31, lo: float | None = None, hi: float | None = None,
    quantile: float = 0.995,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Counts of several samples over the same ``bins`` bins: ``(centres, [counts per sample])``.

    Without ``lo``/``hi`` the range is symmetric, ``±`` the ``quantile`` of every ``|value|``; values
    beyond the outer bins are counted in them (clipped), so every value is in some bin.
    """
    finite = [np.asarray(s, dtype=np.float64)[np.isfinite(s)] for s in samples]
    if lo is None or hi is None:
        both = np.abs(np.concatenate(finite)) if finite else np.zeros(1)
        lim = float(np.quantile(both, quantile)) if both.size else 1.0
        lim = lim if lim > 0 else 1.0
        lo, hi = -lim, lim
    edges = np.linspace(lo, hi, bins + 1)
    centres = 0.5 * (edges[1:] + edges[:-1])
    return centres, [np.histogram(np.clip(s, lo, hi), edges)[0].astype(np.float64) for s in finite]
