"""A plotext plot that redraws its figure from the data on every render.

textual-plotext builds the plotext figure again on each render (every resize, theme change or
refresh), and plotext 5.3 applies a log scale to the stored data *in place*: a second build takes
the log of the log (values below 1 crash with ``math domain error``, values above 1 are drawn
wrong). So the figure is not kept in plotext between renders: ``FigurePlot`` keeps a drawing
function and calls it on a cleared plot right before each build. Any exception while drawing or
building is shown as a message in the plot area; it never reaches the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

Drawing = Callable[[Any, int], object]


class FigurePlot(PlotextPlot):
    """``set_drawing(fn)``: ``fn(plt, width)`` draws the figure; it runs before every build."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawing: Drawing | None = None
        self.error: str = ""

    def set_drawing(self, drawing: Drawing | None) -> None:
        self._drawing = drawing
        self.refresh()

    def render(self) -> RenderResult:
        plt = self.plt
        try:
            plt.clear_data()
            plt.clear_figure()
            if self._drawing is not None:
                self._drawing(plt, self.size.width)
            result = super().render()
        except Exception as exc:  # noqa: BLE001 - a plot that cannot be drawn is a message, not a crash
            self.error = f"{type(exc).__name__}: {exc}"
            return Text(f"⚠ The plot could not be drawn ({self.error}).", style="bold")
        self.error = ""
        return result
