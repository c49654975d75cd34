"""Drawing a :class:`tutor.core.figure.Figure` with a plotext ``Plot`` (the widget's ``plt``).

Never the global ``plotext`` module: each widget owns its plot. Points that plotext cannot draw
(inf, NaN, magnitudes near 1e308, and values ≤ 0 on a log axis) are dropped defensively, even
though experiments promise finite data. Colors are left to the widget's theme.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

_HUGE = 1e300


def drawable(xs: Iterable[float], ys: Iterable[float], *, xlog: bool = False, ylog: bool = False) -> tuple[list[float], list[float]]:
    """The points plotext can draw: finite, not near overflow, positive on a log axis."""
    out_x: list[float] = []
    out_y: list[float] = []
    for x, y in zip(xs, ys):
        x = float(x)
        y = float(y)
        if not (math.isfinite(x) and math.isfinite(y)) or abs(x) > _HUGE or abs(y) > _HUGE:
            continue
        if (xlog and x <= 0) or (ylog and y <= 0):
            continue
        out_x.append(x)
        out_y.append(y)
    return out_x, out_y


def draw_figure(
    plt: Any,
    series: Sequence[Any],
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    xlog: bool = False,
    ylog: bool = False,
) -> int:
    """Clear ``plt`` and draw every series (kind line/scatter/bar); return how many were drawn."""
    plt.clear_data()
    plt.clear_figure()
    drawn = 0
    all_x: list[float] = []
    all_y: list[float] = []
    bars = [s for s in series if getattr(s, "kind", "line") == "bar"]
    for s in series:
        kind = getattr(s, "kind", "line")
        if kind == "bar":
            continue
        x, y = drawable(s.x, s.y, xlog=xlog, ylog=ylog)
        if not x:
            continue
        all_x.extend(x)
        all_y.extend(y)
        label = s.label + (f" ({s.note})" if getattr(s, "note", "") else "")
        if kind == "scatter":
            plt.scatter(x, y, label=label, marker="dot")
        else:
            plt.plot(x, y, label=label, marker="braille")
        drawn += 1
    if bars:
        drawn += _draw_bars(plt, bars, ylog=ylog)
    if title:
        plt.title(title)
    if xlabel:
        plt.xlabel(xlabel)
    if ylabel:
        plt.ylabel(ylabel)
    if xlog and not bars:
        plt.xscale("log")
    if ylog:
        plt.yscale("log")
    if all_y and not bars:
        plt.yticks(*ticks(min(all_y), max(all_y), log=ylog))
    if all_x and not bars:
        integral = all(float(v).is_integer() for v in all_x)
        plt.xticks(*ticks(min(all_x), max(all_x), log=xlog, integral=integral))
    return drawn


def fmt(value: float) -> str:
    """A short tick label: 3 significant digits, exponent form when very small or large."""
    if value == 0:
        return "0"
    a = abs(value)
    if a >= 1e5 or a < 1e-3:
        mant, exp = f"{value:.2e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}e{int(exp)}"
    return f"{value:.3g}"


def ticks(lo: float, hi: float, *, log: bool = False, n: int = 5, integral: bool = False) -> tuple[list[float], list[str]]:
    """Tick positions and short labels for [lo, hi]: powers of ten on a log axis, else n even steps."""
    if log and lo > 0:
        k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        powers = list(range(k0, k1 + 1))
        step = max(1, math.ceil(len(powers) / n))
        chosen = powers[::step]
        values = [10.0**k for k in chosen if lo / 1.0001 <= 10.0**k <= hi * 1.0001]
        if len(values) >= 2:
            return values, [fmt(v) for v in values]
        values = [lo, math.sqrt(lo * hi), hi] if hi > lo else [lo]
        return values, [fmt(v) for v in values]
    if hi <= lo:
        return [lo], [fmt(lo)]
    values = [lo + (hi - lo) * i / (n - 1) for i in range(n)]
    if integral:
        values = sorted({float(round(v)) for v in values})
    return values, [fmt(v) for v in values]


def _draw_bars(plt: Any, bars: Sequence[Any], *, ylog: bool) -> int:
    """Categories (one bar per series at x = [i]) as one labelled bar chart; histograms overlaid."""
    if all(len(s.x) == 1 for s in bars):
        names = [s.label for s in bars]
        heights = [float(s.y[0]) if math.isfinite(float(s.y[0])) else 0.0 for s in bars]
        if ylog:
            heights = [h if h > 0 else float("nan") for h in heights]
            keep = [(n, h) for n, h in zip(names, heights) if math.isfinite(h)]
            names = [n for n, _ in keep]
            heights = [h for _, h in keep]
        if names:
            plt.bar(names, heights, width=0.6)
        return len(names)
    drawn = 0
    for s in bars:
        x, y = drawable(s.x, s.y, ylog=ylog)
        if x:
            plt.bar(x, y, label=s.label, fill=False, width=0.8)
            drawn += 1
    return drawn


def notes_text(figure: Any) -> str:
    """The figure's notes and each series' note, one per line."""
    lines = list(getattr(figure, "notes", ()))
    for s in getattr(figure, "series", ()):
        note = getattr(s, "note", "")
        if note and f"{s.label}: {note}" not in lines and note not in lines:
            lines.append(f"{s.label}: {note}")
    return "\n".join(lines)
