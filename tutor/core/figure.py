"""The data of one plot: a few labelled series and notes, produced by an experiment.

An experiment (``tutor.core.experiments``) returns a :class:`Figure`; the app draws it. The lesson
supplies the title, the axis labels and the log flags; the figure holds only data, always finite
(plotext cannot draw ``inf`` or NaN), so a run that diverges is cut where it diverged and its series
carries a ``note`` such as ``"diverged at step 12"``.

Conventions for ``kind``:

- ``"line"``: ``y`` against ``x`` (``x`` is usually a step or epoch counter).
- ``"scatter"``: points ``(x[i], y[i])``.
- ``"bar"``: bars of height ``y`` at positions ``x``. A bar chart of categories (one bar per
  optimizer) uses one series per category, ``x = [i]`` for the i-th category and the category's
  name as the label; a histogram uses one series per distribution, ``x`` = bin centres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = ("line", "scatter", "bar")


def _as_finite_vector(name: str, label: str, values: object) -> np.ndarray:
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Series {label!r}: {name} must be numbers ({exc})") from None
    if arr.ndim != 1:
        raise ValueError(f"Series {label!r}: {name} must be 1-D, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"Series {label!r}: {name} must be finite (no inf or NaN)")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Series:
    """One labelled curve, point cloud or set of bars.

    ``x`` and ``y`` are 1-D float64 arrays of equal length, finite, and read-only (copied on
    construction, so the figure cannot change under the app's feet).
    """

    label: str
    x: np.ndarray
    y: np.ndarray
    kind: str = "line"
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.label, str):
            raise ValueError(f"label must be a str, got {type(self.label).__name__}")
        if self.kind not in KINDS:
            raise ValueError(f"Series {self.label!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if not isinstance(self.note, str):
            raise ValueError(f"Series {self.label!r}: note must be a str")
        x = _as_finite_vector("x", self.label, self.x)
        y = _as_finite_vector("y", self.label, self.y)
        if x.shape != y.shape:
            raise ValueError(
                f"Series {self.label!r}: x and y must have the same length, got {x.size} and {y.size}"
            )
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Series):
            return NotImplemented
        return (
            self.label == other.label
            and self.kind == other.kind
            and self.note == other.note
            and np.array_equal(self.x, other.x)
            and np.array_equal(self.y, other.y)
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Figure:
    """The series of one plot and the notes shown under it ("suggested rate 0.032", ...)."""

    series: tuple[Series, ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        series = tuple(self.series)
        if not series:
            raise ValueError("series must hold at least one Series")
        for s in series:
            if not isinstance(s, Series):
                raise ValueError(f"series must hold Series objects, got {type(s).__name__}")
        notes = tuple(self.notes)
        for n in notes:
            if not isinstance(n, str):
                raise ValueError(f"notes must be strings, got {type(n).__name__}")
        object.__setattr__(self, "series", series)
        object.__setattr__(self, "notes", notes)

    def labels(self) -> tuple[str, ...]:
        """The series labels, in order."""
        return tuple(s.label for s in self.series)

    def get(self, label: str) -> Series:
        """The series with this label (``KeyError`` if absent)."""
        for s in self.series:
            if s.label == label:
                return s
        raise KeyError(label)

    __hash__ = None  # type: ignore[assignment]
