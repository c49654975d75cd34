"""A visible focus for every pane, in any theme and without colour.

A pane (the instructions, the editor, the results, a step's text, the outline) has a rule along
its top with its name in it. The pane holding the focus gets a heavy rule (``━`` instead of
``─``) and a title that starts with ``▶`` and says which keys act there ("Esc leaves · Tab
indents" in the editor): the line weight and the words survive ``NO_COLOR``, 16-colour terminals
and both themes, where a tint or an accent colour alone does not.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import events
from textual.widget import Widget

FOCUS_MARK = "▶"


class Pane(NamedTuple):
    selector: str  # CSS selector of the pane inside the widget
    title: str  # its name, always shown
    keys: str = ""  # shown after the name while the pane has the focus


def pane_title(pane: Pane, focused: bool, enlarged: bool = False) -> str:
    if not focused:
        return pane.title
    keys = pane.keys
    if enlarged:
        keys = "F6 restores" + (f" · {keys}" if keys else "")
    return f"{FOCUS_MARK} {pane.title}" + (f" · {keys}" if keys else "")


class FocusTitles(Widget):
    """Mixin for a container: keeps the titles (and the ``-focused`` class) of its ``PANES`` true
    to where the focus is. Each pane gets the ``pane`` class, whose rule the stylesheet draws."""

    PANES: ClassVar[tuple[Pane, ...]] = ()

    def on_mount(self) -> None:
        for pane in self.PANES:
            for widget in self.query(pane.selector):
                widget.add_class("pane")
        self.show_focus()

    def _on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.show_focus()

    def _on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.show_focus()

    def show_focus(self) -> None:
        """Retitle the panes for where the focus is now (and whether a pane is enlarged)."""
        if not self.is_mounted:
            return
        enlarged = self.screen.maximized if self.is_attached else None
        for pane in self.PANES:
            for widget in self.query(pane.selector):
                focused = widget.has_focus_within
                widget.set_class(focused, "-focused")
                widget.border_title = pane_title(pane, focused, enlarged is widget)
