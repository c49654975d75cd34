"""A quiz step: one right choice (RadioSet), several (check boxes) or a number (Input).

Answered at once: the verdict and the explanation appear, the answer is saved
(``store.record_quiz``) and restored when the step is shown again. A right answer marks the
step done.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Markdown, RadioButton, RadioSet, Static

from tutor.app.markdown_text import plain_fences
from tutor.app.widgets.choice_button import ChoiceBox, ChoiceBoxes, ChoiceButton
from tutor.app.widgets.base import StepView
from tutor.app.widgets.focus import Pane
from tutor.course.model import QuizStep

if TYPE_CHECKING:
    from tutor.app.app import TutorApp
    from tutor.app.navigation import StepRef


TRIES = 2  # wrong answers before the right one is shown
RULE = (
    f"The question counts as done once answered right. You have {TRIES} tries before the answer "
    "is shown; after that you can still pick it."
)


@dataclass(frozen=True)
class QuizResult:
    answer: str  # saved form: "2" (a choice), "0,2" (several), "0.1" (a number)
    correct: bool


def judge(step: QuizStep, answer: str) -> QuizResult:
    """Whether ``answer`` (in its saved form) is right for ``step``."""
    if step.is_numeric:
        try:
            value = float(answer)
        except ValueError:
            return QuizResult(answer, False)
        ok = math.isfinite(value) and abs(value - float(step.answer)) <= step.tolerance + 1e-12 * max(
            1.0, abs(float(step.answer))
        )
        return QuizResult(answer, ok)
    chosen = parse_choices(answer)
    right = {i for i, c in enumerate(step.choices) if c.correct}
    return QuizResult(answer, chosen == right)


def to_store(step: QuizStep, answer: str) -> object:
    """The JSON form the store keeps: a number, an index, or a list of indices."""
    if step.is_numeric:
        try:
            return float(answer)
        except ValueError:
            return answer
    chosen = sorted(parse_choices(answer))
    return chosen if step.multiple else (chosen[0] if chosen else None)


def from_store(step: QuizStep, value: object) -> str | None:
    """The saved form back as the view's text form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (list, tuple)):
        return ",".join(str(int(v)) for v in value if isinstance(v, (int, float)))
    if isinstance(value, float) and not step.is_numeric:
        return str(int(value))
    if isinstance(value, (int, float)):
        return f"{value:g}" if step.is_numeric else str(int(value))
    return str(value)


def parse_choices(answer: str) -> set[int]:
    out: set[int] = set()
    for part in answer.split(","):
        part = part.strip()
        if part.isdigit():
            out.add(int(part))
    return out


class QuizView(StepView):
    PANES = (Pane(".step-scroll", "Question", "↑↓ choose · Enter or space answers · Tab moves"),)

    class Answered(Message):
        def __init__(self, view: QuizView, result: QuizResult) -> None:
            super().__init__()
            self.view = view
            self.result = result

    @classmethod
    def build(cls, ref: StepRef, app: TutorApp) -> QuizView:
        return cls(ref, saved=app.saved_quiz_answer(ref), classes="step-view")

    def __init__(self, ref: StepRef, saved: str | None = None, **kwargs) -> None:
        super().__init__(ref, **kwargs)
        self.saved = saved
        self._restoring = False
        self.tries = 0  # wrong answers given since the step was shown

    @property
    def step(self) -> QuizStep:
        return self.ref.step

    def compose(self) -> ComposeResult:
        step = self.step
        with VerticalScroll(classes="step-scroll"):
            yield Markdown(plain_fences(step.question), classes="quiz-question")
            yield Static(RULE, classes="hint-line quiz-rule")
            if step.is_numeric:
                field = Input(placeholder="a number, then Enter", type="number", id="quiz-number")
                field.cursor_blink = not self.tutor.deterministic
                yield field
            elif step.multiple:
                yield Static("Several answers are right: pick all of them, then press Check.", classes="hint-line")
                with ChoiceBoxes(id="quiz-many"):
                    for c in step.choices:
                        yield ChoiceBox(c.text)
                yield Button("Check answer", id="quiz-check", variant="primary")
            else:
                with RadioSet(id="quiz-one"):
                    for c in step.choices:
                        yield ChoiceButton(c.text)
            yield Static("", id="quiz-verdict")
            yield Markdown("", id="quiz-explanation")

    def on_mount(self) -> None:
        if self.saved is not None:
            self._restore(self.saved)

    def _restore(self, answer: str) -> None:
        step = self.step
        self._restoring = True
        try:
            if step.is_numeric:
                self.query_one("#quiz-number", Input).value = answer
            elif step.multiple:
                sl = self.query_one("#quiz-many", ChoiceBoxes)
                for i in parse_choices(answer):
                    if i < len(step.choices):
                        sl.select(i)
            else:
                chosen = parse_choices(answer)
                buttons = list(self.query(RadioButton))
                for i in chosen:
                    if i < len(buttons):
                        buttons[i].value = True
        finally:
            self.call_after_refresh(self._end_restore)
        self._show(judge(step, answer), reveal=True)

    def _end_restore(self) -> None:
        self._restoring = False

    def focus_default(self) -> None:
        step = self.step
        target = "#quiz-number" if step.is_numeric else "#quiz-many" if step.multiple else "#quiz-one"
        self.query_one(target).focus()

    def answer(self, answer: str) -> QuizResult:
        """Judge ``answer``, show the verdict and tell the screen (which saves it)."""
        result = judge(self.step, answer)
        if not result.correct:
            self.tries += 1
        self._show(result, reveal=result.correct or self.tries >= TRIES)
        self.post_message(self.Answered(self, result))
        return result

    def _show(self, result: QuizResult, *, reveal: bool) -> None:
        """The verdict; the right answer and the explanation only once ``reveal``."""
        verdict = self.query_one("#quiz-verdict", Static)
        verdict.set_class(result.correct, "-right")
        verdict.set_class(not result.correct, "-wrong")
        explanation = self.query_one("#quiz-explanation", Markdown)
        if not reveal:
            left = TRIES - self.tries
            verdict.update(f"✗ Not quite. Try again: {left} more {'try' if left == 1 else 'tries'} before the answer is shown.")
            explanation.update("")
            return
        if result.correct:
            verdict.update("✓ Right.")
        elif self.step.is_numeric:
            verdict.update(f"✗ Not quite: the answer is {self.step.answer:g}.")
        else:
            right = [c.text for c in self.step.choices if c.correct]
            verdict.update("✗ Not quite. Right: " + "; ".join(right))
        explanation.update(plain_fences(self.step.explanation))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if self._restoring or event.index < 0:
            return
        self.answer(str(event.index))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        try:
            float(text)
        except ValueError:
            verdict = self.query_one("#quiz-verdict", Static)
            verdict.update("Type a number, such as 0.01 or 1e-3.")
            return
        self.answer(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "quiz-check":
            event.stop()
            chosen = sorted(self.query_one("#quiz-many", ChoiceBoxes).selected)
            self.answer(",".join(str(i) for i in chosen))
