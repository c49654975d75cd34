"""Drawing a :class:`tutor.core.figure.Figure` with a plotext ``Plot`` (the widget's ``plt``).

Never the global ``plotext`` module: each widget owns its plot. Points that plotext cannot draw
(inf, NaN, magnitudes near 1e308, and values ≤ 0 on a log axis) are dropped defensively, even
though experiments promise finite data. Series colours come from one of two palettes, for a dark
or a light background (``dark``: the app theme's), so that every curve stays legible on both.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.core.figure import Figure, Series

_HUGE = 1e300

# The series colours: textual-plotext's own sequence (its purple lightened to stand out on a dark
# background), given explicitly so that the legend, drawn under the plot (plotext's sits on top of
# the curves' upper left), can show the same ones. Each has a 3:1 contrast with the dark theme's
# background and surface (tests/app/test_app_plots.py).
PALETTE: tuple[tuple[int, int, int], ...] = (
    (0, 130, 200), (60, 180, 75), (230, 25, 75), (255, 225, 25), (245, 130, 48), (170, 80, 220),
    (70, 240, 240), (240, 50, 230), (180, 225, 40), (250, 190, 212), (0, 128, 128), (220, 190, 255),
)


# The same hues, darker, for the light theme (on its light grey the yellow, cyan, lime, pink and
# lavender above are close to invisible), each with a 3:1 contrast there; in the same order, so a
# curve keeps its hue when the theme changes.
PALETTE_LIGHT: tuple[tuple[int, int, int], ...] = (
    (0, 100, 170), (30, 130, 45), (200, 15, 60), (150, 110, 0), (185, 80, 10), (125, 20, 160),
    (0, 120, 125), (175, 20, 165), (85, 120, 0), (180, 55, 110), (0, 105, 105), (110, 70, 190),
)


def color_of(i: int, dark: bool = True) -> tuple[int, int, int]:
    palette = PALETTE if dark else PALETTE_LIGHT
    return palette[i % len(palette)]


def rows_needed(series: Sequence[Series]) -> int:
    """The plot height (rows) that shows every name of a category chart, one row per bar: the
    bars, the title line, the frame, the tick labels and the x label. 0 for other plots."""
    if is_categories(series):
        return len([s for s in series if s.kind == "bar"]) + 6
    return 0


PANEL_ROWS = 9  # rows of one small multiple: title, frame, 5 rows of curve, ticks
PANEL_MIN_WIDTH = 25  # columns of one small multiple (three side by side at 80 columns)
AXIS_COLUMNS = 8  # columns of the y tick labels and the frame


def panel_grid(count: int, width: int | None) -> tuple[int, int]:
    """(rows, columns) of the small multiples of ``count`` series in ``width`` cells."""
    cols = max(1, min(count, (width or 0) // PANEL_MIN_WIDTH, 4))
    rows = math.ceil(count / cols)
    cols = math.ceil(count / rows)  # 5 series in 3 + 2, not 4 + 1
    return rows, cols


def cells_needed(series: Sequence[Series], width: int, *, xlog: bool = False) -> list[int]:
    """Per series, the cells it must keep visible in an overlay to be seen as a curve: half the
    columns its x range spans (a line has at least one cell per column); 1 for points and bars."""
    xs = [drawable(s.x, s.y, xlog=xlog)[0] for s in series]
    scale = (lambda v: math.log10(v)) if xlog else (lambda v: v)
    every = [scale(v) for x in xs for v in x]
    if not every:
        return [1 for _ in series]
    lo, hi = min(every), max(every)
    columns = max(width - AXIS_COLUMNS, 1)
    out = []
    for s, x in zip(series, xs):
        if s.kind != "line" or len(x) < 2 or hi <= lo:
            out.append(1)
            continue
        share = (scale(max(x)) - scale(min(x))) / (hi - lo)
        out.append(max(1, int(0.5 * share * min(columns, len(x)))))
    return out


def panels_height(series: Sequence[Series], hidden: Collection[int], width: int | None) -> int:
    """The plot height that gives each shown series a panel of PANEL_ROWS (and the x label)."""
    count = sum(1 for i, s in enumerate(series) if i not in hidden and s.kind != "bar")
    rows, _ = panel_grid(count, width)
    return rows * PANEL_ROWS + 1


def is_categories(series: Sequence[Series]) -> bool:
    """A category chart: every series is a bar with one value (drawn as one horizontal bar each)."""
    bars = [s for s in series if s.kind == "bar"]
    return bool(bars) and all(len(s.x) == 1 for s in bars)


def legend(
    series: Sequence[Series], dark: bool = True, hidden: Collection[int] = ()
) -> list[tuple[str, str, tuple[int, int, int]]]:
    """(symbol, label, colour) per series, as ``draw_figure`` colours them; none for category bars
    (their names are on the axis). With several series each label starts with the number that
    shows or hides it (key 1-9, ``toggle``); a hidden one is drawn ``╌╌`` and says "(hidden)"."""
    symbols = {"line": "━━", "scatter": "••", "bar": "██"}
    numbered = toggleable(series)
    out = []
    for i, s in enumerate(series):
        if s.kind == "bar" and is_categories(series):
            continue
        label = s.label
        if i in numbered:
            label = f"{i + 1} {label}"
        if i in hidden:
            out.append(("╌╌", f"{label} (hidden)", color_of(i, dark)))
        else:
            out.append((symbols.get(s.kind, "━━"), label, color_of(i, dark)))
    return out


def toggleable(series: Sequence[Series]) -> list[int]:
    """The series a learner can show or hide (1-9): the curves of a plot with two or more."""
    if is_categories(series):
        return []
    index = [i for i, s in enumerate(series)][:9]
    return index if len(index) >= 2 else []


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
    width: int | None = None,
    dark: bool = True,
    hidden: Collection[int] = (),
    panels: bool = False,
) -> int:
    """Clear ``plt`` and draw every series (kind line/scatter/bar); return how many were drawn.

    ``width``: the plot's width in cells, so the axis labels can be laid out not to hide each other.
    ``dark``: the background is dark (the palette, ``color_of``). ``hidden``: indexes of series
    left out (each keeps its colour). ``panels``: small multiples, one panel per series on the
    same axes ranges (``draw_panels``), for curves that would hide each other in one plot.
    A log axis says so in its label ("loss (log scale)").
    """
    plt.clear_data()
    plt.clear_figure()
    if ylog and ylabel:
        ylabel = f"{ylabel} (log scale)"
    if xlog and xlabel:
        xlabel = f"{xlabel} (log scale)"
    if panels and not any(s.kind == "bar" for s in series):
        return draw_panels(plt, series, xlabel=xlabel, ylabel=ylabel, xlog=xlog, ylog=ylog, width=width, dark=dark, hidden=hidden)
    drawn = 0
    all_x: list[float] = []
    all_y: list[float] = []
    bars = [s for i, s in enumerate(series) if s.kind == "bar" and i not in hidden]
    # no plotext labels: the legend goes under the plot (``legend``), in the same colours
    for i, s in enumerate(series):
        kind = s.kind
        if kind == "bar" or i in hidden:
            continue
        x, y = drawable(s.x, s.y, xlog=xlog, ylog=ylog)
        if not x:
            continue
        all_x.extend(x)
        all_y.extend(y)
        if kind == "scatter":
            plt.scatter(x, y, marker="dot", color=color_of(i, dark))
        else:
            plt.plot(x, y, marker="braille", color=color_of(i, dark))
        drawn += 1
    if bars:
        colors = [color_of(i, dark) for i, s in enumerate(series) if s.kind == "bar" and i not in hidden]
        drawn += _draw_bars(plt, bars, colors, ylog=ylog)
    categories = bool(bars) and all(len(s.x) == 1 for s in bars)
    if categories:
        # categories are drawn as horizontal bars: the values run along x, the names down the left
        xlabel, ylabel = ylabel, xlabel
    top_left, top_centre, bottom = axis_labels(title, xlabel, ylabel, width, arrow=not categories)
    if top_left:
        plt.title(top_left)  # left-aligned: plotext centres the title only without an upper x label
        # the title, centred on the same line; plotext drops it if it would touch the y label
        plt.xlabel(top_centre or " ", xside="upper")
    elif top_centre:
        plt.title(top_centre)
    if bottom:
        plt.xlabel(bottom)
    if xlog and not bars:
        plt.xscale("log")
    if ylog and not categories:
        plt.yscale("log")
    if all_y and not bars:
        plt.yticks(*ticks(min(all_y), max(all_y), log=ylog))
    if all_x and not bars:
        integral = all(float(v).is_integer() for v in all_x)
        plt.xticks(*ticks(min(all_x), max(all_x), log=xlog, integral=integral))
    return drawn


def draw_panels(
    plt: Any,
    series: Sequence[Series],
    *,
    xlabel: str = "",
    ylabel: str = "",
    xlog: bool = False,
    ylog: bool = False,
    width: int | None = None,
    dark: bool = True,
    hidden: Collection[int] = (),
) -> int:
    """Small multiples: each shown series in its own panel (up to four side by side, 25 columns
    each), every panel on the same x and y ranges so they compare at a glance; the series' number
    and name head its panel, the x label is under the bottom row (the y label is the view's to
    show above the panels: ``panels_caption``)."""
    shown = [(i, s, *drawable(s.x, s.y, xlog=xlog, ylog=ylog)) for i, s in enumerate(series) if i not in hidden]
    shown = [item for item in shown if item[2]]
    if not shown:
        return 0
    all_x = [v for item in shown for v in item[2]]
    all_y = [v for item in shown for v in item[3]]
    rows, cols = panel_grid(len(shown), width)
    panel_width = (width or 80) // cols
    plt.subplots(rows, cols)
    xt = ticks(min(all_x), max(all_x), log=xlog, n=4, integral=all(float(v).is_integer() for v in all_x))
    ylo, yhi = min(all_y), max(all_y)
    for k, (i, s, x, y) in enumerate(shown):
        sp = plt.subplot(k // cols + 1, k % cols + 1)
        if s.kind == "scatter":
            sp.scatter(x, y, marker="dot", color=color_of(i, dark))
        else:
            sp.plot(x, y, marker="braille", color=color_of(i, dark))
        # the same y range in every panel, unless it would squash this curve to a third of its
        # panel (spikes of another curve): then its own range, and its title says so
        lo, hi = (ylo, yhi) if _shares_range(min(y), max(y), ylo, yhi, ylog) else (min(y), max(y))
        own = (lo, hi) != (ylo, yhi)
        sp.title(clip(f"{i + 1} {s.label}" + (" (own y)" if own else ""), panel_width - AXIS_COLUMNS - 2))
        if xlog:
            sp.xscale("log")
        if ylog:
            sp.yscale("log")
        # the same ranges in every panel (plotext takes the limits of a log axis as log10)
        if max(all_x) > min(all_x):
            sp.xlim(*_limits(min(all_x), max(all_x), xlog))
        if hi > lo:
            sp.ylim(*_limits(lo, hi, ylog))
        sp.xticks(*xt)
        sp.yticks(*ticks(lo, hi, log=ylog, n=3))
        if xlabel and k >= len(shown) - cols:
            sp.xlabel(clip(xlabel, panel_width - 4))
    return len(shown)


def panels_caption(ylabel: str, ylog: bool) -> str:
    """The line above small multiples: what y is, and why there are panels."""
    what = f"↑ {ylabel}" + (" (log scale)" if ylog else "") if ylabel else ""
    why = "one panel per curve (drawn together they hid each other)"
    return f"{what} · {why}" if what else why


def _shares_range(lo: float, hi: float, all_lo: float, all_hi: float, log: bool) -> bool:
    """Whether a curve spanning [lo, hi] keeps at least a third of a panel spanning [all_lo, all_hi]
    (in decades on a log axis)."""
    f = math.log10 if log else (lambda v: v)
    whole = f(all_hi) - f(all_lo)
    return whole <= 0 or (f(hi) - f(lo)) >= whole / 3


def _limits(lo: float, hi: float, log: bool) -> tuple[float, float]:
    return (math.log10(lo), math.log10(hi)) if log else (lo, hi)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis (plotext drops a string that does not fit)."""
    width = max(width, 1)
    return text if len(text) <= width else text[: width - 1] + "…"


def axis_labels(
    title: str, xlabel: str, ylabel: str, width: int | None, *, arrow: bool = True
) -> tuple[str, str, str]:
    """Where the labels go: (top left, top centre, bottom centre).

    The y label goes above the y axis, ``↑ loss``, at the top left; the title (the step's own,
    also shown in the title bar) is centred on the same line when it fits; the x label is
    centred under the plot. plotext's own y label sits at the bottom left, where a long one hid
    the x label. Every string is cut to the width, since plotext drops what does not fit.
    ``arrow=False`` for the names of horizontal bars (the label heads their column).
    """
    w = 10_000 if width is None else max(width, 4)
    top_left = clip(f"↑ {ylabel}" if arrow else ylabel, w) if ylabel else ""
    top_centre = clip(title, w) if title else ""
    bottom = clip(xlabel, w - 2) if xlabel else ""
    return top_left, top_centre, bottom


def fmt(value: float) -> str:
    """A short tick label: 3 significant digits, exponent form when very small or large."""
    if value == 0:
        return "0"
    a = abs(value)
    if a >= 1e5 or a < 1e-3:
        mant, exp = f"{value:.2e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}e{int(exp)}"
    if a >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"


def ticks(lo: float, hi: float, *, log: bool = False, n: int = 5, integral: bool = False) -> tuple[list[float], list[str]]:
    """Tick positions and short labels for [lo, hi]: powers of ten on a log axis, else n even steps."""
    if log and lo > 0:
        k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        powers = [k for k in range(k0, k1 + 1) if lo / 1.0001 <= 10.0**k <= hi * 1.0001]
        step = max(1, math.ceil(len(powers) / n))
        values = [10.0**k for k in powers[::step]]
        if len(values) >= 2:
            return values, [fmt(v) for v in values]
        values = [lo, math.sqrt(lo * hi), hi] if hi > lo else [lo]
        return values, [fmt(v) for v in values]
    if hi <= lo:
        return [lo], [fmt(lo)]
    if not integral:
        return nice_ticks(lo, hi, n=n)
    # whole numbers (steps, epochs): round ones, and the first and last when not too close
    values, labels = nice_ticks(lo, hi, n=n, integral=True)
    if len(values) >= 2:
        half = (values[1] - values[0]) / 2
        first, last = float(round(lo)), float(round(hi))
        if values[0] - first >= half:
            values, labels = [first, *values], [fmt(first), *labels]
        if last - values[-1] >= half:
            values, labels = [*values, last], [*labels, fmt(last)]
    return values, labels


def nice_ticks(lo: float, hi: float, *, n: int = 5, integral: bool = False) -> tuple[list[float], list[str]]:
    """Round tick positions in [lo, hi]: multiples of a step 1, 2 or 5 × 10ᵉ, at most ``n`` of them
    (at least 2 where a step allows it); labels carry the step's decimals (0.6, 0.8, 1.0).

    ``integral``: whole-number steps only (counts).
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo], [fmt(lo)]
    k = math.floor(math.log10((hi - lo) / max(n - 1, 1)))
    candidates = [(m, e) for e in (k - 1, k, k + 1, k + 2) for m in (1, 2, 5)]
    if integral:
        candidates = [(m, e) for m, e in candidates if e >= 0] or [(1, 0)]

    def at(m: int, e: int) -> list[float]:
        step = m * 10.0**e
        first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
        return [round(i * step, 12) + 0.0 for i in range(first, last + 1)]

    chosen: tuple[list[float], int] = ([], 0)
    for m, e in candidates:
        values = at(m, e)
        if len(values) <= n:
            if len(values) >= 2 or not chosen[0]:
                chosen = (values, e)
            break
        chosen = (values, e)
    values, e = chosen
    if not values:
        return [lo, hi], [fmt(lo), fmt(hi)]
    big = max(abs(v) for v in values)
    if big >= 1e5 or big < 1e-3:
        return values, [fmt(v) for v in values]
    return values, [f"{v:.{min(max(0, -e), 8)}f}" for v in values]


def _draw_bars(plt: Any, bars: Sequence[Any], colors: Sequence[Any], *, ylog: bool) -> int:
    """Categories (one bar per series at x = [i]) as one chart of horizontal bars, a row per name
    (side by side, long names hid each other); histograms as overlaid vertical bars.

    Tick labels are rounded (``nice_ticks``; powers of ten on a log y axis), never plotext's own
    ``str(x)`` of every bin centre.
    """
    if all(len(s.x) == 1 for s in bars):
        names = [s.label for s in bars]
        heights = [float(s.y[0]) if math.isfinite(float(s.y[0])) else 0.0 for s in bars]
        if ylog:
            keep = [(n, h) for n, h in zip(names, heights) if h > 0]
            names = [n for n, _ in keep]
            heights = [h for _, h in keep]
        if names:
            plt.bar(names[::-1], heights[::-1], width=0.6, orientation="horizontal", color=colors[0])
            if ylog:
                plt.xscale("log")
                plt.xticks(*ticks(min(heights), max(heights), log=True))
            else:
                plt.xticks(*nice_ticks(min(0.0, min(heights)), max(0.0, max(heights))))
        return len(names)
    drawn = 0
    all_x: list[float] = []
    all_y: list[float] = []
    for s, color in zip(bars, colors):
        x, y = drawable(s.x, s.y, ylog=ylog)
        if not x:
            continue
        all_x.extend(x)
        all_y.extend(y)
        # empty bins are left out: plotext draws them as blanks over the histogram beneath
        spacing = (max(x) - min(x)) / (len(x) - 1) if len(x) > 1 else 1.0
        kept = [(xi, yi) for xi, yi in zip(x, y) if yi != 0]
        if not kept:
            continue
        kx, ky = [k[0] for k in kept], [k[1] for k in kept]
        # plotext scales the width by the spacing of the bars it is given: keep the bins' width
        if len(kx) > 1 and max(kx) > min(kx):
            width = 0.8 * spacing / ((max(kx) - min(kx)) / (len(kx) - 1))
        else:
            width = 0.8 * spacing
        plt.bar(kx, ky, fill=False, width=min(width, 1.0), color=color)
        drawn += 1
    if all_x:
        # the bins' full range, empty ones included
        half = 0.5 * (max(all_x) - min(all_x)) / max(len(bars[0].x) - 1, 1)
        if max(all_x) > min(all_x):
            plt.xlim(min(all_x) - half, max(all_x) + half)
        plt.xticks(*nice_ticks(min(all_x), max(all_x)))
        if ylog:
            plt.yticks(*ticks(min(all_y), max(all_y), log=True))
        else:
            integral = all(float(v).is_integer() for v in all_y)
            plt.yticks(*nice_ticks(min(0.0, min(all_y)), max(0.0, max(all_y)), integral=integral))
    return drawn


def legend_content(entries: Sequence[tuple[str, str, tuple[int, int, int]]]) -> Any:
    """The legend as Textual ``Content``: each series' symbol in its colour, then its label."""
    from textual.content import Content

    parts: list[Any] = []
    for i, (symbol, label, (r, g, b)) in enumerate(entries):
        if i:
            parts.append("   ")
        parts.extend([(symbol, f"rgb({r},{g},{b})"), f"\u00a0{label}".replace(" ", "\u00a0")])
    return Content.assemble(*parts)


def notes_text(figure: Figure) -> str:
    """The figure's notes and each series' note, one per line."""
    figure_notes = tuple(figure.notes)
    lines = list(figure_notes)
    for s in figure.series:
        note = s.note
        line = f"{s.label}: {note}"
        if note and line not in lines and not any(note in n for n in figure_notes):
            lines.append(line)
    return "\n".join(lines)
