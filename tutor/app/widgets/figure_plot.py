"""A plotext plot that redraws its figure from the data on every render.

textual-plotext builds the plotext figure again on each render (every resize, theme change or
refresh), and plotext 5.3 applies a log scale to the stored data *in place*: a second build takes
the log of the log (values below 1 crash with ``math domain error``, values above 1 are drawn
wrong). So the figure is not kept in plotext between renders: ``FigurePlot`` keeps a drawing
function and calls it on a cleared plot right before each build. Any exception while drawing or
building is shown as a message in the plot area; it never reaches the app.

Curves drawn in one plot can hide each other (a braille cell takes the colour of the last curve
drawn in it): after each build the plot counts the cells of every series' colour in what it
drew. When one keeps fewer than it needs (half the columns its curve spans: a staircase under
four other curves keeps only its risers) and a ``panels`` drawing is given, the figure is drawn again as small multiples
(one panel per series) and stays so until the next ``set_drawing``; the plot asks for the
height the panels need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.message import Message
from textual_plotext import PlotextPlot

Drawing = Callable[[Any, int], object]
RGB = tuple[int, int, int]


def cells_by_colour(text: Text) -> dict[RGB, int]:
    """How many drawn (non-blank) cells of a built plot (``Text.from_ansi`` of plotext's) have
    each foreground colour."""
    out: dict[RGB, int] = {}
    plain = text.plain
    for span in text.spans:
        color = getattr(span.style, "color", None)
        if color is None or color.triplet is None:
            continue
        drawn = sum(1 for ch in plain[span.start : span.end] if not ch.isspace())
        if drawn:
            key = (color.triplet.red, color.triplet.green, color.triplet.blue)
            out[key] = out.get(key, 0) + drawn
    return out


def hidden_series(text: Text, expected: Sequence[tuple[RGB, int]]) -> list[RGB]:
    """The colours among ``expected`` (colour, cells it needs) with fewer visible cells."""
    cells = cells_by_colour(text)
    return [colour for colour, need in expected if cells.get(colour, 0) < need]


class FigurePlot(PlotextPlot):
    """``set_drawing(fn)``: ``fn(plt, width)`` draws the figure; it runs before every build."""

    class Layout(Message):
        """The plot is now drawn as small multiples (``panels``), or overlaid again."""

        def __init__(self, plot: FigurePlot, panels: bool) -> None:
            super().__init__()
            self.plot = plot
            self.panels = panels

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawing: Drawing | None = None
        self._panels: Drawing | None = None
        self._expected: Callable[[int], Sequence[tuple[RGB, int]]] | None = None
        self._panels_height: Callable[[int], int] | None = None
        self.error: str = ""
        self.panels = False  # drawn as small multiples
        self.missing: list[RGB] = []  # colours of series with no visible cell in the last build

    def set_drawing(
        self,
        drawing: Drawing | None,
        *,
        panels: Drawing | None = None,
        expected: Callable[[int], Sequence[tuple[RGB, int]]] | None = None,
        panels_height: Callable[[int], int] | None = None,
    ) -> None:
        """``panels``: the small-multiples drawing used when a series of ``drawing`` is hidden by
        the others; ``expected(width)``: (colour, cells) of each series, the cells it must keep
        visible; ``panels_height(width)``: the rows the panels need."""
        self._drawing = drawing
        self._panels = panels
        self._expected = expected
        self._panels_height = panels_height
        if self.panels:
            self.panels = False
            self.post_message(self.Layout(self, False))
        self.refresh()

    def _build(self, drawing: Drawing) -> Text:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        drawing(plt, self.size.width)
        result = super().render()
        assert isinstance(result, Text)
        return result

    def render(self) -> RenderResult:
        try:
            if self._drawing is None:
                return self._build(lambda plt, width: None)
            expected = list(self._expected(self.size.width)) if self._expected is not None else []
            alone = [(c, 1) for c, _ in expected]  # in its own panel a curve needs one cell
            if self.panels and self._panels is not None:
                result = self._build(self._panels)
                self.missing = hidden_series(result, alone)
            else:
                result = self._build(self._drawing)
                self.missing = hidden_series(result, expected)
                if self.missing and self._panels is not None:
                    self.panels = True
                    self.post_message(self.Layout(self, True))
                    result = self._build(self._panels)
                    self.missing = hidden_series(result, alone)
            if self.panels and self._panels_height is not None:
                need = self._panels_height(self.size.width)
                if self.size.height < need:
                    self.call_after_refresh(self._grow, need)
        except Exception as exc:  # noqa: BLE001 - a plot that cannot be drawn is a message, not a crash
            self.error = f"{type(exc).__name__}: {exc}"
            return Text(f"⚠ The plot could not be drawn ({self.error}).", style="bold")
        self.error = ""
        return result

    def _grow(self, rows: int) -> None:
        self.styles.min_height = rows
