"""The results panel of an exercise: the verdict per case, the matched mistake first, the
learner's printed output; then, for an optimizer, their curve against the reference's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tutor.grading.report import visible

OK = "$success bold"
BAD = "$error bold"
DIM = "$text-muted"
HEAD = "$accent bold"


def verdict_content(verdict: Any) -> Content:
    """The verdict as styled text (theme variables only, never fixed colors).

    Order: the summary, the matched known mistake, a failure of the whole run (syntax error,
    timeout) with its traceback, then every case (failed ones first, with their details), then
    the learner's printed output.
    """
    cases: Sequence[Any] = tuple(getattr(verdict, "cases", ()) or ())
    passed = bool(getattr(verdict, "passed", False))
    n_ok = sum(1 for c in cases if getattr(c, "passed", False))
    parts: list[Any] = []
    summary = str(getattr(verdict, "summary", "") or "")
    if passed:
        parts.append(("✓ Passed: " + (summary or f"all {len(cases)} cases passed."), OK))
    else:
        head = summary or (f"{len(cases) - n_ok} of {len(cases)} cases failed." if cases else "")
        parts.append(("✗ Not yet: " + head if head else "✗ Not yet.", BAD))
    for d in getattr(verdict, "diagnosis", ()) or ():
        scope = str(getattr(d, "scope", "") or "")
        parts.append((f"\n\nLikely mistake in {scope}: " if scope else "\n\nLikely mistake: ", HEAD))
        parts.append(str(getattr(d, "message", d)))
    quantities = getattr(verdict, "quantities", None)  # issue 14: where inside the code
    if quantities is not None:
        parts.append(("\n\nInside your code: ", HEAD))
        parts.append(f"{quantities.message} — {quantities.call}, case {quantities.case!r}")
    for near in getattr(verdict, "near", ()) or ():
        parts.append(("\n\nNear match: ", HEAD))
        parts.append(f"{near.text}. {near.message}")
    message = str(getattr(verdict, "message", "") or "")
    if message and message != summary:
        parts.append("\n\n" + message)
    traceback = str(getattr(verdict, "traceback", "") or "")
    if traceback:
        parts.append("\n")
        parts.append((_indent(traceback.rstrip()), DIM))
    failed = [c for c in cases if not getattr(c, "passed", False)]
    shown = failed + [c for c in cases if getattr(c, "passed", False)]
    if getattr(verdict, "status", "ok") != "ok":
        shown = []  # the whole run failed (syntax error, timeout...): the cases say nothing more
    if cases:
        parts.append("\n")
    for c in shown:
        ok = bool(getattr(c, "passed", False))
        parts.append(("\n✓ " if ok else "\n✗ ", OK if ok else BAD))
        parts.append(str(getattr(c, "name", "case")))
        if ok:
            continue
        msg = str(getattr(c, "message", "") or "")
        if msg:
            parts.append(": " + msg)
        details = case_details(c)
        if details:
            parts.append("\n")
            parts.append((_indent(details), DIM))
    output = str(getattr(verdict, "output", "") or "")
    if output.strip():
        parts.append(("\n\nYour printed output:\n", HEAD))
        parts.append(output.rstrip("\n"))
    seed = getattr(verdict, "seed", None)
    if seed is not None:
        ex = getattr(verdict, "exercise", "")
        parts.append((f"\n\nReplay this check: tutor check {ex} --seed {seed}", DIM))
    # everything the learner's code produced is shown with terminal control characters escaped,
    # so a printed ESC[2J or \r cannot clear the panel or draw a fake verdict
    return Content.assemble(*(visible(p) if isinstance(p, str) else (visible(p[0]), p[1]) for p in parts))


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def case_details(case: Any) -> str:
    """The further lines of a failed case: where, expected vs got, traceback, mutated inputs."""
    lines: list[str] = []
    for d in getattr(case, "details", ()) or ():
        lines.append(str(d))
    expected = str(getattr(case, "expected", "") or "")
    got = str(getattr(case, "got", "") or "")
    if expected and not any(expected in line for line in lines):
        lines.append("expected: " + expected)
    if got and not any(got in line for line in lines):
        lines.append("got:      " + got)
    traceback = str(getattr(case, "traceback", "") or "")
    if traceback:
        lines.append(traceback.rstrip())
    mutated = tuple(getattr(case, "mutated", ()) or ())
    if mutated and not any("modified" in line or "mutat" in line for line in lines):
        lines.append("changed in place: " + ", ".join(mutated))
    inputs = str(getattr(case, "inputs", "") or "")
    if inputs:
        lines.append("inputs: " + inputs)
    return "\n".join(lines)


class ResultsPanel(VerticalScroll):
    """Below the editor. Starts with a line that says how to check."""

    def __init__(self, prompt: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.verdict: Any = None

    def compose(self) -> ComposeResult:
        yield Static(self.prompt, id="results-text")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda theme: self._recolor_race_key())

    def _race_key(self) -> Any:
        """The race's key: its curves' colours follow the theme (``color_of``)."""
        from tutor.app.plotting import color_of, legend_content

        dark = self.app.current_theme.dark
        return legend_content([("━━", "reference", color_of(0, dark)), ("━━", "yours", color_of(1, dark))])

    def _recolor_race_key(self) -> None:
        for key in self.query(".race-legend"):
            if isinstance(key, Static):
                key.update(self._race_key())

    @property
    def text(self) -> Static:
        return self.query_one("#results-text", Static)

    def show_running(self) -> None:
        self.text.update(Content.assemble(("Checking…", DIM), " the editor stays usable meanwhile."))
        self._remove_race()

    def show_verdict(self, verdict: Any) -> None:
        self.verdict = verdict
        self.text.update(verdict_content(verdict))
        self.scroll_home(animate=False)

    def show_error(self, message: str) -> None:
        self.text.update(Content.assemble(("⚠ The check could not run: ", BAD), visible(message)))

    def _remove_race(self) -> None:
        for w in self.query(".race"):
            w.remove()

    def show_race(self, learner: Any, reference: Any, name: str, problem: str) -> None:
        """Draw the learner's loss curve against the reference's (plotext imported here)."""
        from tutor.app.plotting import color_of, drawable, ticks
        from tutor.app.widgets.figure_plot import FigurePlot

        self._remove_race()
        steps = range(len(reference))
        rx, ry = drawable(steps, reference, ylog=True)
        lx, ly = drawable(range(len(learner)), learner, ylog=True)
        last = max(len(reference), len(learner)) - 1

        def drawing(plt: Any, width: int) -> None:
            # fresh lists on every build: plotext takes the log of the data in place
            dark = self.app.current_theme.dark
            plt.plot(list(rx), list(ry), marker="braille", color=color_of(0, dark))
            plt.plot(list(lx), list(ly), marker="braille", color=color_of(1, dark))
            plt.yscale("log")
            ys = ry + ly
            if ys:
                plt.yticks(*ticks(min(ys), max(ys), log=True))
            plt.xticks(*ticks(0, max(last, 0), integral=True))
            plt.xlabel("step")
            plt.ylabel("loss")

        plot = FigurePlot(classes="race")
        plot.set_drawing(drawing)
        title = Static(Content.assemble(("Your ", HEAD), (name, HEAD), (" against the reference", HEAD), f" — {problem}"), classes="race race-title")
        key = Static(self._race_key(), classes="race race-legend")
        self.mount(title)
        self.mount(plot)
        self.mount(key)

    def show_race_error(self, message: str) -> None:
        self._remove_race()
        self.mount(Static(Content.assemble(("Your optimizer could not be raced: ", DIM), visible(message)), classes="race"))
