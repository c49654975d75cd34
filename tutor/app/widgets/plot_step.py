"""A plot step: the lesson's experiment, drawn with textual-plotext, with its settings on screen.

The experiment (NumPy) runs in a thread worker, so the screen never freezes; NumPy and plotext
are imported only when this view is first shown. Changing a setting and pressing Enter (or F5)
re-runs it and redraws the curves.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Markdown, Static

from tutor.app.markdown_text import plain_fences
from tutor.app.plotting import (
    cells_needed,
    color_of,
    draw_figure,
    legend,
    legend_content,
    notes_text,
    panels_caption,
    panels_height,
    rows_needed,
    toggleable,
)
from tutor.app.widgets.base import StepView
from tutor.app.widgets.figure_plot import FigurePlot
from tutor.app.widgets.focus import Pane
from tutor.app.widgets.settings_form import SettingsError, SettingsForm
from tutor.course.model import PlotStep

if TYPE_CHECKING:
    from tutor.app.navigation import StepRef
    from tutor.core.figure import Figure


READY = "Change a setting, then Enter (or F5) re-runs the experiment."


def experiment_defaults(fn: Any) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(fn).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


class PlotStepView(StepView):
    PANES = (Pane(".step-scroll", "Experiment", "Tab: settings · Enter re-runs · Esc 1-9 hides/shows a curve"),)
    BINDINGS = [Binding("escape", "leave_settings", "Leave settings", show=False)]

    def __init__(self, ref: StepRef, saved: dict[str, Any] | None = None, **kwargs) -> None:
        super().__init__(ref, **kwargs)
        self.saved = dict(saved or {})
        self._generation = 0
        self._last_values: dict[str, Any] | None = None
        self.figure: Figure | None = None
        self.hidden: set[int] = set()  # series the learner hid (1-9)

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
            yield Static("", id="plot-axes")
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
            entries = legend(self.figure.series, self._dark(), self.hidden)
            self.query_one("#plot-legend", Static).update(legend_content(entries))

    # ---- showing and hiding series ------------------------------------------------------------
    def action_leave_settings(self) -> None:
        """Esc in a setting: the focus goes to the plot's pane, where 1-9 show or hide curves."""
        self.query_one(".step-scroll", VerticalScroll).focus()

    def toggle_series(self, number: int) -> None:
        """Key 1-9: hide the series ``number`` (1-based), or show it again; at least one stays."""
        if self.figure is None:
            return
        i = number - 1
        if i not in toggleable(self.figure.series):
            return
        if i in self.hidden:
            self.hidden.discard(i)
        elif len(self.hidden) + 1 < len(self.figure.series):
            self.hidden.add(i)
        else:
            self.app.notify("At least one curve stays shown.", timeout=3)
            return
        self._show_figure()

    def on_figure_plot_layout(self, event: FigurePlot.Layout) -> None:
        event.stop()
        axes = self.query_one("#plot-axes", Static)
        axes.update(panels_caption(self.step.ylabel, self.step.ylog) if event.panels else "")
        axes.display = event.panels

    # ---- F6: the plot takes the enlarged pane's height ----------------------------------------
    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_plot)

    def enlarged_changed(self) -> None:
        self.call_after_refresh(self._fit_plot)

    def _fit_plot(self) -> None:
        """Enlarged (F6), the plot fills the screen under the settings and the status; the
        legend and the caption follow it (scroll down)."""
        scrolls = self.query(".step-scroll")
        plots = self.query(FigurePlot)
        if not (self.is_mounted and scrolls and plots):  # not composed yet, or being removed
            return
        scroll, plot = scrolls.first(), plots.first()
        if scroll.has_class("-maximized"):
            above = sum(w.outer_size.height for w in scroll.children if w.display and w.region.y < plot.region.y)
            plot.styles.height = max(12, scroll.scrollable_content_region.height - above - 1)
        else:
            plot.styles.height = None

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

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say at once what is wrong with a setting as it is typed ("0.05" in a whole-number field)."""
        forms = self.query(SettingsForm)
        if not forms or event.input.parent is None or event.input not in forms.first().query(Input):
            return
        message = forms.first().check(event.input)
        status = self.query_one("#plot-status", Static)
        if message:
            status.update(f"⚠ {message}")
            status.add_class("-error")
        elif status.has_class("-error") and self.figure is not None:
            status.remove_class("-error")
            status.update(READY)

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
        if self.figure is None or len(figure.series) != len(self.figure.series):
            self.hidden.clear()
        self.figure = figure
        step = self.step
        if step.settings:
            self.query_one(SettingsForm).set_missing(defaults)
        self._show_figure()
        status = self.query_one("#plot-status", Static)
        status.remove_class("-error")
        if step.settings:
            status.update(READY)
        else:
            status.update("")
        self.query_one("#plot-notes", Static).update(notes_text(figure))

    def _show_figure(self) -> None:
        """Draw the figure with the series not hidden: overlaid, or as small multiples when a
        curve would be hidden by the others (``FigurePlot``)."""
        figure = self.figure
        if figure is None:
            return
        step = self.step
        series = figure.series
        hidden = frozenset(self.hidden)
        plot = self.query_one(FigurePlot)
        # a category chart needs a row per name (plotext drops the names that do not fit)
        plot.styles.min_height = max(12, rows_needed(series)) if rows_needed(series) else None

        def drawing(plt: Any, width: int, panels: bool = False) -> None:
            draw_figure(
                plt,
                series,
                title=step.title,
                xlabel=step.xlabel,
                ylabel=step.ylabel,
                xlog=step.xlog,
                ylog=step.ylog,
                width=width,
                dark=self._dark(),
                hidden=hidden,
                panels=panels,
            )

        def expected(width: int) -> list[tuple[tuple[int, int, int], int]]:
            dark = self._dark()
            shown = [(i, s) for i, s in enumerate(series) if i not in hidden and s.kind != "bar"]
            need = cells_needed([s for _, s in shown], width, xlog=step.xlog)
            return [(color_of(i, dark), n) for (i, _), n in zip(shown, need)]

        plot.set_drawing(
            drawing,
            panels=lambda plt, width: drawing(plt, width, panels=True),
            expected=expected,
            panels_height=lambda width: panels_height(series, hidden, width),
        )
        self._show_legend()
