"""Learning-rate schedules and the learning-rate range test.

The schedules return a Python float. ``epoch`` and ``warmup_cosine``'s ``step`` are 0-based.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _check

__all__ = [
    "step_decay",
    "exponential_decay",
    "time_decay",
    "warmup_cosine",
    "LRRangeResult",
    "lr_range_test",
]


def _epoch(epoch: float) -> float:
    return _check.nonnegative("epoch", epoch)


def step_decay(lr0: float, epoch: int, drop: float, epochs_per_drop: int) -> float:
    """Step decay: ``lr0 * drop ** floor(epoch / epochs_per_drop)``.

    Valid: ``lr0 > 0``, ``epoch >= 0``, ``0 < drop <= 1``, ``epochs_per_drop > 0``.
    """
    lr0 = _check.positive("lr0", lr0)
    epoch_f = _epoch(epoch)
    drop = _check.positive("drop", drop)
    if drop > 1:
        raise ValueError(f"drop must be in (0, 1], got {drop}")
    n = _check.positive("epochs_per_drop", epochs_per_drop)
    return float(lr0 * drop ** math.floor(epoch_f / n))


def exponential_decay(lr0: float, epoch: int, k: float) -> float:
    """Exponential decay: ``lr0 * exp(-k * epoch)``. Valid: ``lr0 > 0``, ``epoch >= 0``, ``k >= 0``."""
    lr0 = _check.positive("lr0", lr0)
    epoch_f = _epoch(epoch)
    k = _check.nonnegative("k", k)
    return float(lr0 * math.exp(-k * epoch_f))


def time_decay(lr0: float, epoch: int, decay_rate: float) -> float:
    """Time-based decay: ``lr0 / (1 + decay_rate * epoch)``.

    Valid: ``lr0 > 0``, ``epoch >= 0``, ``decay_rate >= 0``.
    """
    lr0 = _check.positive("lr0", lr0)
    epoch_f = _epoch(epoch)
    decay_rate = _check.nonnegative("decay_rate", decay_rate)
    return float(lr0 / (1 + decay_rate * epoch_f))


def warmup_cosine(
    step: int, total_steps: int, lr_max: float, warmup_steps: int, lr_min: float = 0.0
) -> float:
    """Linear warm-up, then cosine annealing from ``lr_max`` to ``lr_min``.

    ``step`` is 0-based. ``step < warmup_steps``: ``lr_max * (step + 1) / warmup_steps``; else with
    ``p = (step - warmup_steps) / max(1, total_steps - warmup_steps)``:
    ``lr_min + 0.5 * (lr_max - lr_min) * (1 + cos(pi * p))``.

    Valid: ``0 <= warmup_steps < total_steps``, ``0 <= step <= total_steps``,
    ``0 <= lr_min <= lr_max`` (the contract's ranges: ``lr_max = 0`` is allowed).
    """
    total_steps = _check.integer("total_steps", total_steps, minimum=1)
    warmup_steps = _check.integer("warmup_steps", warmup_steps, minimum=0)
    if warmup_steps >= total_steps:
        raise ValueError(
            f"warmup_steps must be < total_steps ({total_steps}), got {warmup_steps}"
        )
    step = _check.integer("step", step, minimum=0)
    if step > total_steps:
        raise ValueError(f"step must be in [0, total_steps={total_steps}], got {step}")
    lr_max = _check.nonnegative("lr_max", lr_max)
    lr_min = _check.nonnegative("lr_min", lr_min)
    if lr_min > lr_max:
        raise ValueError(f"lr_min must be <= lr_max ({lr_max}), got {lr_min}")
    if step < warmup_steps:
        return float(lr_max * (step + 1) / warmup_steps)
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return float(lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p)))


@dataclass(frozen=True)
class LRRangeResult:
    """The outcome of :func:`lr_range_test`.

    ``lrs``, ``losses`` (raw) and ``smoothed`` (debiased EWA) hold the steps that ran, all finite.
    ``suggested`` is the suggested rate (see :func:`lr_range_test`); ``min_loss_lr`` the rate at the
    lowest smoothed loss; ``steepest_lr`` the rate where the smoothed loss fell fastest per decade.
    ``stopped_at`` is the 0-based step where the loss exploded, or ``None`` if the run completed.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggested: float
    min_loss_lr: float
    steepest_lr: float
    stopped_at: int | None


def lr_range_test(
    step_fn: Callable[[float], float],
    lr_min: float,
    lr_max: float,
    steps: int,
    beta: float = 0.98,
    explode: float = 4.0,
) -> LRRangeResult:
    """The learning-rate range test (Smith 2017): one short run with an exponentially rising rate.

    At step ``i = 0 .. steps-1`` the rate is ``lr_i = lr_min * (lr_max/lr_min) ** (i/(steps-1))``
    and ``loss_i = step_fn(lr_i)``: ``step_fn`` performs one training step (one mini-batch) at that
    rate on the *same* model, which keeps training across calls, and returns the loss it saw.
    The loss is smoothed with a debiased exponentially weighted average::

        avg_i = beta*avg_{i-1} + (1-beta)*loss_i      (avg_{-1} = 0)
        smoothed_i = avg_i / (1 - beta**(i+1))

    The run stops early, at step ``i`` (``stopped_at``), when ``loss_i`` is not finite or
    ``smoothed_i > explode * min(smoothed_0..i)``: the loss has exploded and later rates say nothing.
    That step is not recorded, so every returned number is finite.

    Suggested rate: ``min_loss_lr / 10``, one decade below the rate of the lowest smoothed loss
    (clipped to ``lr_min``). Why this rule and not the steepest descent of the curve: the lowest
    point is where training is already on the edge of diverging, so one decade lower is a fast but
    safe rate; the minimum of a smoothed curve is stable from run to run, whereas the point of
    steepest slope is a derivative of a noisy curve and jumps between seeds, especially on short
    runs. ``steepest_lr`` is reported too, for the lesson that compares the two rules.

    Valid: ``0 < lr_min < lr_max``, ``steps >= 2``, ``0 <= beta < 1``, ``explode > 1``.
    """
    if not callable(step_fn):
        raise ValueError(f"step_fn must be a callable step_fn(lr) -> loss, got {type(step_fn).__name__}")
    lr_min = _check.positive("lr_min", lr_min)
    lr_max = _check.positive("lr_max", lr_max)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be > lr_min ({lr_min}), got {lr_max}")
    steps = _check.integer("steps", steps, minimum=2)
    beta = _check.beta("beta", beta)
    explode = _check.number("explode", explode)
    if explode <= 1:
        raise ValueError(f"explode must be > 1, got {explode}")

    schedule = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    lrs: list[float] = []
    losses: list[float] = []
    smoothed: list[float] = []
    avg = 0.0
    best = math.inf
    stopped_at: int | None = None
    for i, lr in enumerate(schedule):
        loss = float(step_fn(float(lr)))
        if not math.isfinite(loss):
            stopped_at = i
            break
        avg = beta * avg + (1 - beta) * loss
        value = avg / (1 - beta ** (i + 1))
        if i > 0 and value > explode * best:
            stopped_at = i
            break
        best = min(best, value)
        lrs.append(float(lr))
        losses.append(loss)
        smoothed.append(value)
    if not lrs:
        raise ValueError(f"the loss was not finite at the first rate lr_min={lr_min}; lower lr_min")

    lrs_a = np.array(lrs)
    smoothed_a = np.array(smoothed)
    i_min = int(np.argmin(smoothed_a))
    min_loss_lr = float(lrs_a[i_min])
    if len(lrs_a) >= 2:
        slope = np.gradient(smoothed_a, np.log10(lrs_a))
        steepest_lr = float(lrs_a[int(np.argmin(slope[: i_min + 1]))])
    else:
        steepest_lr = min_loss_lr
    return LRRangeResult(
        lrs=lrs_a,
        losses=np.array(losses),
        smoothed=smoothed_a,
        suggested=max(lr_min, min_loss_lr / 10),
        min_loss_lr=min_loss_lr,
        steepest_lr=steepest_lr,
        stopped_at=stopped_at,
    )
