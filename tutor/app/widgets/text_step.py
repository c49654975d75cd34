"""A text step: its Markdown, scrollable."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tutor.app.markdown_text import plain_fences
from tutor.app.widgets.base import StepView
from tutor.app.widgets.focus import Pane


class TextStepView(StepView):
    PANES = (Pane(".step-scroll", "Text", "↑↓ PgUp PgDn scroll · F8 next step"),)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="step-scroll", can_focus=True):
            yield Markdown(plain_fences(self.ref.step.markdown), classes="step-markdown")

    def focus_default(self) -> None:
        self.query_one(VerticalScroll).focus()
