"""Cases and known mistakes of the learning-rate schedules (lesson 7.3).

Each case sweeps the epoch (or step) counter for one set of hyper-parameters; its outputs are
named ``"epoch 0"``, ``"epoch 1"`` … so a failure says at which epoch the schedule goes wrong.
Epochs and ``warmup_cosine``'s ``step`` are 0-based.

Mistake implementations are self-contained (``math`` and ``numpy`` only): the dev check runs each
one as if a learner had written it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tutor.grading.cases import log_uniform, sweep_case

# --------------------------------------------------------------------------- step decay


def step_decay_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = [
        sweep_case("lr0 = 0.1, drop = 0.5, every 4 epochs", "step_decay", "epoch", range(13),
                   lr0=0.1, drop=0.5, epochs_per_drop=4),
        sweep_case("drop every epoch (epochs_per_drop = 1)", "step_decay", "epoch", range(6),
                   lr0=1.0, drop=0.9, epochs_per_drop=1),
        sweep_case("drop = 1: constant", "step_decay", "epoch", [0, 5, 50], lr0=0.03, drop=1.0, epochs_per_drop=3),
        sweep_case("long run: epoch 100, every 10", "step_decay", "epoch", [0, 9, 10, 99, 100],
                   lr0=0.5, drop=0.7, epochs_per_drop=10),
    ]
    for i in range(8):
        n = int(rng.integers(1, 8))
        lr0 = round(log_uniform(rng, 1e-4, 1.0), 6)
        drop = round(float(rng.uniform(0.1, 0.95)), 3)
        epochs = sorted({0, *(int(e) for e in rng.integers(0, 4 * n + 3, size=6)), n - 1, n, 2 * n})
        cases.append(
            sweep_case(f"random {i + 1}: lr0 = {lr0}, drop = {drop}, every {n}", "step_decay", "epoch",
                       [e for e in epochs if e >= 0], lr0=lr0, drop=drop, epochs_per_drop=n)
        )
    return cases


def step_decay_round(lr0, epoch, drop, epochs_per_drop):
    """``round(epoch / epochs_per_drop)`` instead of ``floor``: drops half a period early."""
    return lr0 * drop ** round(epoch / epochs_per_drop)


def step_decay_no_floor(lr0, epoch, drop, epochs_per_drop):
    """``drop ** (epoch / epochs_per_drop)``: a smooth decay, not steps."""
    return lr0 * drop ** (epoch / epochs_per_drop)


def step_decay_one_based(lr0, epoch, drop, epochs_per_drop):
    """``floor((epoch + 1) / epochs_per_drop)``: epochs counted from 1, drops one epoch early."""
    return lr0 * drop ** math.floor((epoch + 1) / epochs_per_drop)


# --------------------------------------------------------------------------- exponential decay


def exponential_decay_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = [
        sweep_case("lr0 = 0.1, k = 0.1", "exponential_decay", "epoch", range(8), lr0=0.1, k=0.1),
        sweep_case("k = 0: constant", "exponential_decay", "epoch", [0, 3, 30], lr0=0.02, k=0.0),
        sweep_case("fast decay, k = 1.5", "exponential_decay", "epoch", [0, 1, 2, 5], lr0=1.0, k=1.5),
        sweep_case("slow decay over 200 epochs", "exponential_decay", "epoch", [0, 50, 100, 200], lr0=0.3, k=0.005),
    ]
    for i in range(8):
        lr0 = round(log_uniform(rng, 1e-4, 1.0), 6)
        k = round(log_uniform(rng, 1e-3, 1.0), 5)
        epochs = sorted({0, 1, *(int(e) for e in rng.integers(0, 60, size=5))})
        cases.append(
            sweep_case(f"random {i + 1}: lr0 = {lr0}, k = {k}", "exponential_decay", "epoch", epochs, lr0=lr0, k=k)
        )
    return cases


def exponential_decay_sign(lr0, epoch, k):
    """``exp(+k*epoch)``: the rate grows instead of decaying."""
    return lr0 * math.exp(k * epoch)


def exponential_decay_power_of_k(lr0, epoch, k):
    """``lr0 * k**epoch``: k used as a decay factor, not as a rate in the exponent."""
    return lr0 * k**epoch


def exponential_decay_one_based(lr0, epoch, k):
    """``exp(-k*(epoch + 1))``: epochs counted from 1, so epoch 0 is already decayed."""
    return lr0 * math.exp(-k * (epoch + 1))


# --------------------------------------------------------------------------- time-based decay


def time_decay_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = [
        sweep_case("lr0 = 0.1, decay_rate = 1", "time_decay", "epoch", range(6), lr0=0.1, decay_rate=1.0),
        sweep_case("decay_rate = 0: constant", "time_decay", "epoch", [0, 4, 40], lr0=0.05, decay_rate=0.0),
        sweep_case("small rate over a long run", "time_decay", "epoch", [0, 10, 100, 1000], lr0=0.5, decay_rate=0.01),
    ]
    for i in range(8):
        lr0 = round(log_uniform(rng, 1e-4, 1.0), 6)
        rate = round(log_uniform(rng, 1e-3, 3.0), 5)
        epochs = sorted({0, 1, *(int(e) for e in rng.integers(0, 80, size=5))})
        cases.append(
            sweep_case(f"random {i + 1}: lr0 = {lr0}, decay_rate = {rate}", "time_decay", "epoch", epochs,
                       lr0=lr0, decay_rate=rate)
        )
    return cases


def time_decay_precedence(lr0, epoch, decay_rate):
    """``lr0 / 1 + decay_rate * epoch``: parentheses missing around the denominator."""
    return lr0 / 1 + decay_rate * epoch


def time_decay_one_based(lr0, epoch, decay_rate):
    """``lr0 / (1 + decay_rate*(epoch + 1))``: epochs counted from 1."""
    return lr0 / (1 + decay_rate * (epoch + 1))


def time_decay_compounded(lr0, epoch, decay_rate):
    """``lr0 / (1 + decay_rate)**epoch``: the division repeated each epoch (an exponential decay)."""
    return lr0 / (1 + decay_rate) ** epoch


# --------------------------------------------------------------------------- warm-up + cosine


def _cosine_steps(rng: np.random.Generator, total: int, warmup: int) -> list[int]:
    fixed = {0, total, max(0, warmup - 1), warmup, min(total, warmup + 1), total - 1, (warmup + total) // 2}
    extra = {int(s) for s in rng.integers(0, total + 1, size=4)}
    return sorted(s for s in fixed | extra if 0 <= s <= total)


def warmup_cosine_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = [
        sweep_case("total 10, warm-up 3, lr_max 0.1", "warmup_cosine", "step", range(11),
                   total_steps=10, lr_max=0.1, warmup_steps=3),
        sweep_case("lr_min = 0.01 (not 0)", "warmup_cosine", "step", [0, 1, 2, 4, 7, 10, 12],
                   total_steps=12, lr_max=0.1, warmup_steps=2, lr_min=0.01),
        sweep_case("no warm-up (warmup_steps = 0)", "warmup_cosine", "step", [0, 1, 5, 9, 10],
                   total_steps=10, lr_max=0.5, warmup_steps=0),
        sweep_case("warm-up of all but one step", "warmup_cosine", "step", [0, 3, 4, 5],
                   total_steps=5, lr_max=0.2, warmup_steps=4, lr_min=0.02),
        sweep_case("long schedule: 1000 steps, warm-up 100", "warmup_cosine", "step", [0, 49, 99, 100, 101, 550, 999, 1000],
                   total_steps=1000, lr_max=0.003, warmup_steps=100, lr_min=0.0001),
    ]
    for i in range(8):
        total = int(rng.integers(2, 200))
        warmup = int(rng.integers(0, total))
        lr_max = round(log_uniform(rng, 1e-4, 1.0), 6)
        fixed: dict[str, Any] = {"total_steps": total, "lr_max": lr_max, "warmup_steps": warmup}
        if rng.random() < 0.6:
            fixed["lr_min"] = round(lr_max * float(rng.uniform(0.0, 0.5)), 8)
        label = f"random {i + 1}: total {total}, warm-up {warmup}, lr_max {lr_max}"
        if "lr_min" in fixed:
            label += f", lr_min {fixed['lr_min']}"
        cases.append(sweep_case(label, "warmup_cosine", "step", _cosine_steps(rng, total, warmup), **fixed))
    return cases


def warmup_cosine_off_by_one(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """Warm-up ``lr_max * step / warmup_steps``: the first step gets a rate of 0."""
    if step < warmup_steps:
        return lr_max * step / warmup_steps
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))


def warmup_cosine_p_over_total(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """``p = (step - warmup_steps) / total_steps``: the cosine never reaches ``lr_min``."""
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = (step - warmup_steps) / total_steps
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))


def warmup_cosine_ignores_lr_min(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """The cosine runs from ``lr_max`` to 0, ignoring ``lr_min``."""
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return 0.5 * lr_max * (1 + math.cos(math.pi * p))


def warmup_cosine_boundary(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """``step <= warmup_steps`` for the warm-up: one step too many, above ``lr_max``."""
    if step <= warmup_steps and warmup_steps > 0:
        return lr_max * (step + 1) / warmup_steps
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))


# --------------------------------------------------------------------------- more mistakes (issue 14)


def step_decay_ceil(lr0, epoch, drop, epochs_per_drop):
    """``ceil(epoch / epochs_per_drop)``: the first drop comes at epoch 1, not at ``epochs_per_drop``."""
    return lr0 * drop ** math.ceil(epoch / epochs_per_drop)


def step_decay_times_not_power(lr0, epoch, drop, epochs_per_drop):
    """``lr0 * drop * floor(epoch / epochs_per_drop)``: multiplied by the count instead of raised to it."""
    return lr0 * drop * math.floor(epoch / epochs_per_drop)


def exponential_decay_epoch_outside_exp(lr0, epoch, k):
    """``lr0 * exp(-k) * epoch``: the epoch multiplies the result instead of sitting in the exponent."""
    return lr0 * math.exp(-k) * epoch


def exponential_decay_base_two(lr0, epoch, k):
    """``lr0 * 2 ** (-k * epoch)``: another base than e."""
    return lr0 * 2 ** (-k * epoch)


def time_decay_multiplies(lr0, epoch, decay_rate):
    """``lr0 * (1 + decay_rate * epoch)``: multiplied instead of divided, so the rate grows."""
    return lr0 * (1 + decay_rate * epoch)


def time_decay_sqrt(lr0, epoch, decay_rate):
    """``lr0 / sqrt(1 + decay_rate * epoch)``: an inverse square-root schedule."""
    return lr0 / math.sqrt(1 + decay_rate * epoch)


def warmup_cosine_p_from_step(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """``p = step / total_steps``: the cosine starts counting at step 0, not at the end of warm-up."""
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = step / max(1, total_steps)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))


def warmup_cosine_missing_half(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """``lr_min + (lr_max − lr_min)*(1 + cos(πp))``: the 1/2 forgotten, so the decay starts at 2·lr_max."""
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * p))


def time_decay_linear(lr0, epoch, decay_rate):
    """``lr0 * (1 − decay_rate*epoch)``: a linear decay, which goes negative."""
    return lr0 * (1 - decay_rate * epoch)
