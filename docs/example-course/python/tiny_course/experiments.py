"""Experiments: keyword-only settings with defaults, deterministic, returning a Figure."""

from __future__ import annotations

import numpy as np

from tutor.core.figure import Figure, Series
from tiny_course.reference import ewa


def ewa_curve(*, beta: float = 0.9, steps: int = 60, seed: int = 0) -> Figure:
    """A noisy sine and its exponentially weighted average ``v_t = β·v_(t−1) + (1 − β)·x_t``."""
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    rng = np.random.default_rng(seed)
    t = np.arange(1, steps + 1, dtype=np.float64)
    xs = np.sin(t / 10.0) + 0.3 * rng.standard_normal(steps)
    return Figure(
        series=(
            Series("signal", t, xs, kind="scatter"),
            Series(f"average, β = {beta:g}", t, ewa(xs, beta)),
        )
    )
