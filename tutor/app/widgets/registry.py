"""Which view shows which step type, and which step actions it answers.

No Textual import here: the main screen reads this table to enable its keys before any view is
imported (a view's module is imported only when a step of its type is first shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.app.widgets.base import StepView


@dataclass(frozen=True)
class ViewEntry:
    module: str
    name: str
    actions: frozenset[str]

    def load(self) -> type[StepView]:
        return getattr(import_module(self.module), self.name)


VIEWS: dict[str, ViewEntry] = {
    "text": ViewEntry("tutor.app.widgets.text_step", "TextStepView", frozenset()),
    "plot": ViewEntry("tutor.app.widgets.plot_step", "PlotStepView", frozenset({"rerun", "toggle_series"})),
    "quiz": ViewEntry("tutor.app.widgets.quiz", "QuizView", frozenset()),
    "exercise": ViewEntry(
        "tutor.app.widgets.exercise", "ExerciseView", frozenset({"check", "hint", "solution", "external_editor"})
    ),
}


def actions_of(step_type: str) -> frozenset[str]:
    entry = VIEWS.get(step_type)
    return entry.actions if entry is not None else frozenset()


def view_class(step_type: str) -> type[StepView]:
    entry = VIEWS.get(step_type)
    if entry is None:
        raise ValueError(f"unknown step type {step_type!r}")
    return entry.load()
