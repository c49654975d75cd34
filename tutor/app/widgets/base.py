"""The contract between the main screen and a step's view.

Every step view is a :class:`StepView`: the screen calls only the methods below, never
``hasattr`` on a particular view. Which view shows which step type is the table
:data:`tutor.app.widgets.registry.VIEWS` (module paths, so a view's widgets are imported only
when a step of its type is first shown); the same table says which of the screen's step actions
each view answers, and the screen enables those keys (and shows them in the footer) only.

The actions:

- ``check`` (ctrl+r / F5 on an exercise): grade the learner's code;
- ``rerun`` (ctrl+r / F5 on a plot): run the experiment again with the settings on screen;
- ``hint`` (ctrl+t), ``solution`` (ctrl+o), ``external_editor`` (F4): an exercise's help;
- ``toggle_series`` (1-9 on a plot): show or hide one series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Vertical

from tutor.app.navigation import StepRef
from tutor.app.widgets.focus import FocusTitles

if TYPE_CHECKING:
    from tutor.app.app import TutorApp


class StepView(FocusTitles, Vertical):
    """A view of one step. Subclasses build their widgets in ``compose`` and name their
    focusable panes in ``PANES`` (``tutor.app.widgets.focus``: the focused one is marked)."""

    def __init__(self, ref: StepRef, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ref = ref

    @classmethod
    def build(cls, ref: StepRef, app: TutorApp) -> StepView:
        """The view of ``ref``, given what the app knows (the store, the workspace)."""
        return cls(ref, classes="step-view")

    @property
    def tutor(self) -> TutorApp:
        """The app, typed: its services (``store``, ``workspace``, ``checker``, ``course``)."""
        return cast("TutorApp", self.app)

    def answers(self, action: str) -> bool:
        from tutor.app.widgets.registry import actions_of

        return action in actions_of(self.ref.step.type)

    # ---- what every view does -----------------------------------------------------------------
    def flush(self) -> None:
        """Save anything unsaved (called before the step is left and before quitting)."""

    def focus_default(self) -> None:
        """Give focus to the widget a learner most likely wants."""

    def enlarged_changed(self) -> None:
        """F6 enlarged one of this view's panes, or put it back."""

    # ---- the step actions (only those the registry lists are ever called) -----------------------------
    def check(self) -> None:
        """Grade the learner's work."""

    def rerun(self) -> None:
        """Run the step's experiment again."""

    def hint(self) -> None:
        """Reveal the next hint."""

    def solution(self) -> None:
        """Show the worked solution (after asking)."""

    def external_editor(self, argv: list[str]) -> None:
        """Open the learner's file in ``argv`` (their own editor)."""

    def toggle_series(self, number: int) -> None:
        """Show or hide the plot's series ``number`` (1-based)."""
