"""A plot step: the lesson's experiment, drawn with textual-plotext, with its settings on screen.

The experiment (NumPy) runs in a thread worker, so the screen never freezes; NumPy and plotext
are imported only when this view is first shown. Changing a setting and pressing Enter (or F5)
re-runs it and redraws the curves.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tutor.app.markdown_text import plain_fences
from tutor.app.plotting import draw_figure, legend, legend_content, notes_text, rows_needed
from tutor.app.widgets.base import StepView
from tutor.app.widgets.figure_plot import FigurePlot
from tutor.app.widgets.focus import Pane
from tutor.app.widgets.settings_form import SettingsError, SettingsForm
from tutor.course.model import PlotStep

if TYPE_CHECKING:
    from tutor.app.navigation import StepRef


def experiment_defaults(fn: Any) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(fn).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


class PlotStepView(StepView):
    PANES = (Pane(".step-scroll", "Experiment", "Tab: next setting · Enter re-runs · 1-9 hide/show a curve"),)

    def __init__(self, ref: StepRef, saved: dict[str, Any] | None = None, **kwargs) -> None:
        super().__init__(ref, **kwargs)
        self.saved = dict(saved or {})
        self._generation = 0
        self._last_values: dict[str, Any] | None = None
        self.figure: Any = None

    def _dark(self) -> bool:
        return bool(self.app.current_theme.dark)

    @property
    def step(self) -> PlotStep:
        return self.ref.step

    def compose(self) -> ComposeResult:
        step = self.step
        with VerticalScroll(classes="step-scroll"):
            if step.settings:
                values = {**dict(step.defaults), **self.saved}
                yield SettingsForm(step.settings, values, id="settings")
            yield Static("Running the experiment…", id="plot-status")
            yield FigurePlot(id="plot")
            yield Static("", id="plot-legend")
            yield Static("", id="plot-notes")
            if step.caption:
                yield Markdown(plain_fences(step.caption), id="plot-caption")

    def on_mount(self) -> None:
        # the curves pick their palette at every redraw; the legend under them is redone here
        self.app.theme_changed_signal.subscribe(self, lambda theme: self._show_legend())
        self.rerun()

    def _show_legend(self) -> None:
        if self.figure is not None:
            self.query_one("#plot-legend", Static).update(legend_content(legend(self.figure.series, self._dark())))

    def focus_default(self) -> None:
        inputs = self.query("#settings Input, #settings Select, #settings Checkbox")
        if inputs:
            inputs.first().focus()
        else:
            self.query_one(VerticalScroll).focus()

    def current_values(self) -> dict[str, Any]:
        values = dict(self.step.defaults)
        if self.step.settings:
            values.update(self.query_one(SettingsForm).values())
        return values

    def rerun(self) -> None:
        """Read the settings and run the experiment in a worker; a bad setting is shown, not run."""
        status = self.query_one("#plot-status", Static)
        try:
            values = self.current_values()
        except SettingsError as exc:
            status.update(f"⚠ {exc}")
            status.add_class("-error")
            return
        status.remove_class("-error")
        status.update("Running the experiment…")
        self._generation += 1
        self._last_values = values
        self._run(self._generation, values)

    def on_settings_form_submitted(self, event: SettingsForm.Submitted) -> None:
        event.stop()
        try:
            values = self.current_values()
        except SettingsError as exc:
            status = self.query_one("#plot-status", Static)
            status.update(f"⚠ {exc}")
            status.add_class("-error")
            return
        if values != self._last_values:
            self.rerun()

    @work(thread=True, exit_on_error=False, group="experiment")
    def _run(self, generation: int, values: dict[str, Any]) -> None:
        try:
            from tutor.course.resolve import resolve

            fn = resolve(self.step.experiment, self.tutor.course.python_path)
            defaults = experiment_defaults(fn)
            figure = fn(**values)
        except Exception as exc:  # noqa: BLE001 - any failure is shown, never closes the app
            self.app.call_from_thread(self._failed, generation, exc)
            return
        self.app.call_from_thread(self._draw, generation, figure, defaults)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation or not self.is_mounted:
            return
        status = self.query_one("#plot-status", Static)
        status.add_class("-error")
        message = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        status.update(f"⚠ The experiment failed: {message}")

    def _draw(self, generation: int, figure: Any, defaults: dict[str, Any]) -> None:
        if generation != self._generation or not self.is_mounted:
            return
        self.figure = figure
        step = self.step
        if step.settings:
            self.query_one(SettingsForm).set_missing(defaults)
        series = figure.series
        plot = self.query_one(FigurePlot)
        # a category chart needs a row per name (plotext drops the names that do not fit)
        plot.styles.min_height = max(12, rows_needed(series)) if rows_needed(series) else None
        plot.set_drawing(
            lambda plt, width: draw_figure(
                plt,
                series,
                title=step.title,
                xlabel=step.xlabel,
                ylabel=step.ylabel,
                xlog=step.xlog,
                ylog=step.ylog,
                width=width,
                dark=self._dark(),
            )
        )
        status = self.query_one("#plot-status", Static)
        status.remove_class("-error")
        if step.settings:
            status.update("Change a setting, then Enter (or F5) re-runs the experiment.")
        else:
            status.update("")
        self._show_legend()
        self.query_one("#plot-notes", Static).update(notes_text(figure))
