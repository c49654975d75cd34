"""The results panel of an exercise: the verdict per case, the matched mistake first, the
learner's printed output; then, for an optimizer, their curve against the reference's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tutor.grading.report import inline_spans, unwrap, visible

if TYPE_CHECKING:
    from tutor.grading.verdict import CaseVerdict, Verdict

OK = "$success bold"
BAD = "$error bold"
DIM = "$text-muted"
HEAD = "$accent bold"
WARN = "$warning bold"
# inline Markdown of the verdict's prose: `code` bold on a tint (also legible in monochrome),
# **strong** bold, *emphasis* italic
SPAN_STYLES = {"": "", "code": "bold $text-accent", "strong": "bold", "em": "italic"}


def markdown_content(text: str) -> Content:
    """A message written in Markdown (a mistake's, a summary) as styled text: the soft line breaks
    of its source joined, `code`/**strong**/*emphasis* styled, their markers dropped."""
    parts: list[str | tuple[str, str]] = []
    for i, line in enumerate(unwrap(visible(text)).splitlines()):
        if i:
            parts.append("\n")
        for piece, kind in inline_spans(line):
            style = SPAN_STYLES[kind]
            parts.append((piece, style) if style else piece)
    return Content.assemble(*parts)


def verdict_content(verdict: Verdict) -> Content:
    """The verdict as styled text (theme variables only, never fixed colors).

    Order: the summary, the matched known mistake, a failure of the whole run (syntax error,
    timeout) with its traceback, then every case (failed ones first, with their details), then
    the learner's printed output. Everything the learner's code produced is shown with terminal
    control characters escaped, so a printed ESC[2J or \\r cannot clear the panel or draw a
    fake verdict.
    """
    cases = verdict.cases
    parts: list[Content] = []

    def add(text: str, style: str = "") -> None:
        parts.append(Content.styled(visible(text), style) if style else Content(visible(text)))

    summary = verdict.summary
    if verdict.passed:
        add("✓ Passed: ", OK)
        parts.append(markdown_content(summary) if summary else Content(f"all {len(cases)} cases passed."))
    else:
        failed_count = len(cases) - verdict.cases_passed
        head = summary or (f"{failed_count} of {len(cases)} cases failed." if cases else "")
        add("✗ Not yet" + (": " if head else "."), BAD)
        if head:
            parts.append(markdown_content(head))
    for d in verdict.diagnosis:
        add(f"\n\nLikely mistake in {d.scope}: " if d.scope else "\n\nLikely mistake: ", HEAD)
        parts.append(markdown_content(d.message))
    if verdict.quantities is not None:  # issue 14: where inside the code the numbers go wrong
        add("\n\nInside your code: ", HEAD)
        parts.append(markdown_content(f"{verdict.quantities.message} — {verdict.quantities.call}, "
                                      f"case {verdict.quantities.case!r}"))
    for near in verdict.near:
        add("\n\nNear match: ", HEAD)
        parts.append(markdown_content(f"{near.text}. {near.message}"))
    if verdict.message and verdict.message != summary:
        add("\n\n")
        parts.append(markdown_content(verdict.message))
    if verdict.traceback:
        add("\n")
        add(_indent(verdict.traceback.rstrip()), DIM)
    failed = [c for c in cases if not c.passed]
    shown = failed + [c for c in cases if c.passed]
    if verdict.status != "ok":
        shown = []  # the whole run failed (syntax error, timeout...): the cases say nothing more
    if cases:
        add("\n")
    for c in shown:
        add("\n✓ " if c.passed else "\n✗ ", OK if c.passed else BAD)
        add(c.name)
        if c.passed:
            continue
        if c.message:
            add(": ")
            parts.append(markdown_content(c.message))
        details = case_details(c)
        if details:
            add("\n")
            add(_indent(details), DIM)
    if verdict.output.strip():
        add("\n\nYour printed output:\n", HEAD)
        add(verdict.output.rstrip("\n"))
    if verdict.sandbox and verdict.isolation_partial:  # as `tutor check` prints it (issue 10)
        from tutor.grading.sandbox import isolation_warning

        add("\n\n" + isolation_warning(verdict.sandbox), WARN)
    add(f"\n\nReplay this check: tutor check {verdict.exercise} --seed {verdict.seed}", DIM)
    return Content("").join(parts)


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def case_details(case: CaseVerdict) -> str:
    """The further lines of a failed case: where, expected vs got, traceback, mutated inputs."""
    lines: list[str] = list(case.details)
    if case.expected and not any(case.expected in line for line in lines):
        lines.append("expected: " + case.expected)
    if case.got and not any(case.got in line for line in lines):
        lines.append("got:      " + case.got)
    if case.traceback:
        lines.append(case.traceback.rstrip())
    if case.mutated and not any("modified" in line or "mutat" in line for line in lines):
        lines.append("changed in place: " + ", ".join(case.mutated))
    if case.inputs:
        lines.append("inputs: " + case.inputs)
    return "\n".join(lines)


class ResultsPanel(VerticalScroll):
    """Below the editor. Starts with a line that says how to check."""

    def __init__(self, prompt: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.verdict: Verdict | None = None

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

    def show_verdict(self, verdict: Verdict) -> None:
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
