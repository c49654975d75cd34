"""Argument validation shared by the core: every failure is a ``ValueError`` naming the argument.

These helpers never modify their inputs. ``array`` returns a float64 view of an array that already
is float64 (no copy) and a float64 copy otherwise, so the callers can compute new arrays from it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np


def array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float64 ndarray (no copy when it already is one)."""
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        return value
    try:
        out = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers, got {type(value).__name__}") from exc
    return out


def same_shape(**arrays: np.ndarray) -> None:
    """All arrays have the first one's shape."""
    items = list(arrays.items())
    first_name, first = items[0]
    for name, arr in items[1:]:
        if arr.shape != first.shape:
            raise ValueError(
                f"{name} must have the shape of {first_name} {first.shape}, got {arr.shape}"
            )


def number(name: str, value: Any) -> float:
    """A finite real number as a Python float."""
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise ValueError(f"{name} must be a number, got an array of shape {value.shape}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {type(value).__name__}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def integer(name: str, value: Any, minimum: int | None = None) -> int:
    """An integer (Python or NumPy, or a 0-d integer array), optionally ``>= minimum``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    out = int(value)
    if minimum is not None and out < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {out}")
    return out


def positive(name: str, value: Any) -> float:
    """A number > 0."""
    out = number(name, value)
    if out <= 0:
        raise ValueError(f"{name} must be > 0, got {out}")
    return out


def nonnegative(name: str, value: Any) -> float:
    """A number >= 0."""
    out = number(name, value)
    if out < 0:
        raise ValueError(f"{name} must be >= 0, got {out}")
    return out


def beta(name: str, value: Any) -> float:
    """A decay rate in [0, 1)."""
    out = number(name, value)
    if not 0.0 <= out < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {out}")
    return out


def keep_prob(value: Any) -> float:
    """A keep probability in (0, 1]."""
    out = number("keep_prob", value)
    if not 0.0 < out <= 1.0:
        raise ValueError(f"keep_prob must be in (0, 1], got {out}")
    return out


def generator(name: str, value: Any) -> np.random.Generator:
    """A ``numpy.random.Generator``."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator (numpy.random.default_rng(seed)), "
            f"got {type(value).__name__}"
        )
    return value


def mapping(name: str, value: Any) -> Mapping:
    """A dict-like object."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a dict, got {type(value).__name__}")
    return value
