"""Plots survive being drawn again: resizes on log axes (plotext logs its data in place), and a
drawing that fails shows a message in the plot area instead of closing the app."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult

from tutor.app.plotting import draw_figure
from tutor.app.widgets.figure_plot import FigurePlot
from tutor.core.figure import Series

from .conftest import settle

SIZES = [(90, 30), (100, 34), (80, 24), (120, 40), (90, 30), (100, 34)]


class PlotApp(App):
    def __init__(self, drawing) -> None:
        super().__init__()
        self.drawing = drawing

    def compose(self) -> ComposeResult:
        plot = FigurePlot(id="plot")
        plot.set_drawing(self.drawing)
        yield plot


def range_test(plt, width: int) -> None:
    series = [Series("s", np.array([1e-4, 1e-2, 1, 10]), np.array([0.6, 0.58, 0.45, 1.2]))]
    draw_figure(plt, series, xlabel="learning rate", ylabel="loss", xlog=True, width=width)


def plot_text(app: App) -> str:
    plot = app.query_one(FigurePlot)
    return "\n".join(line.text for line in plot.render_lines(plot.region.reset_offset))


async def test_a_log_plot_is_redrawn_right_after_many_resizes():
    app = PlotApp(range_test)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        first = plot_text(app)
        assert "1e-4" in first and "0.01" in first
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            plot = app.query_one(FigurePlot)
            assert plot.error == ""
            text = plot_text(app)
            # the same tick labels every time: the data was not logged twice
            assert "1e-4" in text and "0.01" in text and "learning rate" in text
            assert "could not be drawn" not in text
        assert app.is_running


async def test_a_failing_drawing_is_a_message_in_the_plot_not_a_crash():
    def broken(plt, width: int) -> None:
        raise ValueError("math domain error")

    app = PlotApp(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert app.is_running
        plot = app.query_one(FigurePlot)
        assert "math domain error" in plot.error
        assert "could not be drawn" in plot_text(app)


async def test_the_lesson_log_plot_survives_resizes(make_app):
    app = make_app(position=("7.1", "curves"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.3)
        view = app.main_screen.view
        assert view.figure is not None
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert view.query_one(FigurePlot).error == ""
        assert app.is_running


def histogram(plt, width: int) -> None:
    centres = np.linspace(-0.9790905342253744, 0.9790905342253744, 31)
    counts = np.exp(-(centres**2) / 0.02) * 1577
    series = [
        Series("without L2", centres, np.round(counts / 10), kind="bar"),
        Series("with L2", centres, np.round(counts), kind="bar"),
    ]
    draw_figure(plt, series, xlabel="weight value", ylabel="number of weights", width=width)


async def test_histogram_ticks_are_rounded_and_both_axis_labels_show():
    for size in ((80, 24), (100, 30), (60, 20)):
        app = PlotApp(histogram)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            text = plot_text(app)
            assert "0.8485451296619912" not in text and "-0.9790905342253744" not in text
            assert "-0.5" in text and "0.5" in text and "1500" in text
            # both labels are readable, whatever the width
            assert "weight value" in text and "number of weights" in text, text


def categories(plt, width: int) -> None:
    names = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaMax", "Nadam", "AdamW"]
    series = [Series(n, np.array([float(i)]), np.array([h]), kind="bar") for i, (n, h) in enumerate(zip(names, [263.0, 140, 108, 135, 114, 68, 116, 75, 69]))]
    draw_figure(plt, series, xlabel="optimizer", ylabel="steps to reach the target loss", width=width)


async def test_a_long_y_label_does_not_hide_the_x_label():
    app = PlotApp(categories)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = plot_text(app)
        assert "steps to reach the target loss" in text and "optimizer" in text, text
        assert "100" in text and "200" in text


def overlaid(plt, width: int) -> None:
    centres = np.linspace(-1, 1, 21)
    wide = np.full(21, 5.0)
    narrow = np.where(np.abs(centres) < 0.15, 100.0, 0.0)
    series = [Series("wide", centres, wide, kind="bar"), Series("narrow", centres, narrow, kind="bar")]
    draw_figure(plt, series, xlabel="weight value", ylabel="count", width=width)


async def test_empty_bins_of_one_histogram_do_not_blank_the_other():
    app = PlotApp(overlaid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = plot_text(app).split("\n")
        bottom = next(line for line in lines if line.lstrip().startswith("0┤"))
        inside = bottom.split("┤", 1)[1].rstrip("│ ")
        # the wide histogram's bars run along the whole axis, not cut where "narrow" is 0
        assert inside.count("█") >= 0.9 * len(inside), bottom


async def test_a_category_chart_of_its_needed_height_names_every_bar():
    from tutor.app.plotting import rows_needed

    names = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaMax", "Nadam", "AdamW"]
    series = [Series(n, np.array([float(i)]), np.array([100.0 + i]), kind="bar") for i, n in enumerate(names)]
    assert rows_needed(series) == 15
    app = PlotApp(lambda plt, width: draw_figure(plt, series, title="Steps", xlabel="optimizer", ylabel="steps", width=width))
    async with app.run_test(size=(80, rows_needed(series))) as pilot:
        await pilot.pause()
        text = plot_text(app)
        assert all(f"{n}┤" in text for n in names), text


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(c: tuple[int, int, int]) -> float:
        lin = [(v / 255) / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_series_colour_stands_out_on_its_theme_background():
    """Graphics need a 3:1 contrast with their background (WCAG 1.4.11): each palette against the
    background of the theme it is used with (Textual's dark and light themes)."""
    from textual.color import Color
    from textual.theme import BUILTIN_THEMES

    from tutor.app.plotting import PALETTE, PALETTE_LIGHT, color_of

    def rgb(theme: str, variable: str) -> tuple[int, int, int]:
        c = Color.parse(BUILTIN_THEMES[theme].to_color_system().generate()[variable])
        return (c.r, c.g, c.b)

    for variable in ("background", "surface"):  # the step's and the results panel's
        dark_bg, light_bg = rgb("textual-dark", variable), rgb("textual-light", variable)
        assert all(_contrast(c, dark_bg) >= 3 for c in PALETTE), [round(_contrast(c, dark_bg), 1) for c in PALETTE]
        assert all(_contrast(c, light_bg) >= 3 for c in PALETTE_LIGHT), [
            round(_contrast(c, light_bg), 1) for c in PALETTE_LIGHT
        ]
        assert min(_contrast(c, light_bg) for c in PALETTE) < 1.5  # why a light palette exists: the yellow
    assert len(PALETTE) == len(PALETTE_LIGHT)
    assert color_of(3) == PALETTE[3] and color_of(3, dark=False) == PALETTE_LIGHT[3]
