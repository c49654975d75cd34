"""What every step view offers the main screen."""

from __future__ import annotations

from textual.containers import Vertical

from tutor.app.navigation import StepRef


class StepView(Vertical):
    """A view of one step. Subclasses build their widgets in ``compose``."""

    def __init__(self, ref: StepRef, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ref = ref

    def flush(self) -> None:
        """Save anything unsaved (called before the step is left and before quitting)."""

    def focus_default(self) -> None:
        """Give focus to the widget a learner most likely wants."""
