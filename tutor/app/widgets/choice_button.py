"""Quiz choices: a radio button (one answer) or a check box (several), whose text wraps under
itself instead of being cut to one line, and the list of check boxes (up/down move).

Textual's ``RadioButton`` is one line high and ends in an ellipsis; a choice is a sentence
(up to ~70 columns) that a learner must read whole. The text is taken as plain text, never as
markup (``X[perm]`` stays ``X[perm]``); a `code` span is shown bold, without its backticks.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox, RadioButton

_PAD = 1  # cells either side of the label, as the RadioButton draws it


def choice_content(text: str) -> Content:
    """``text`` as Content: plain, with `code` spans bold and their backticks dropped."""
    parts: list[str | tuple[str, str]] = []
    for i, piece in enumerate(text.split("`")):
        if piece:
            parts.append((piece, "bold") if i % 2 else piece)
    if text.count("`") % 2:  # an unpaired backtick: show the text as written
        return Content(text)
    return Content.assemble(*parts)


class Marked:
    """A toggle button that shows its state in its shape, not only its colour: ``[x]``/``[ ]``
    for a check box, ``(•)``/``( )`` for a radio button (Textual's ``▐X▌`` is the same glyph
    picked or not, told apart by colour alone)."""

    MARKS = ("[ ]", "[x]")
    value: bool

    @property
    def _button(self) -> Content:
        mark = self.MARKS[1 if self.value else 0]
        return Content.styled(mark, "bold" if self.value else "")


class FlagBox(Marked, Checkbox):
    """A check box for an on/off setting, ``[x] on`` / ``[ ] on``."""


class _Wrapping(Marked):
    """Render a toggle button's label wrapped, continuation lines indented under the label."""

    def _pointed(self) -> bool:
        """The keyboard is on this choice (a check box with the focus; the highlighted button of
        a focused radio set): a ``▸`` before it says so without colour."""
        parent = self.parent
        return self.has_focus or (self.has_class("-selected") and parent is not None and parent.has_focus)

    def _lines(self, width: int) -> list[Content]:
        room = max(width - 1 - self._button.cell_length - 2 * _PAD, 8)
        return self._label.wrap(room) or [Content("")]

    def render(self) -> Content:
        button = self._button
        label_style = self.get_visual_style("toggle--label")
        lines = self._lines(self.content_region.width or self.size.width)
        rows: list[Content] = []
        for i, line in enumerate(lines):
            text = line.pad(_PAD, _PAD).stylize_before(label_style)
            lead = button if i == 0 else Content(" " * button.cell_length)
            pointer = "▸" if i == 0 and self._pointed() else " "
            rows.append(Content.assemble(pointer, lead, text))
        return Content("\n").join(rows)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))


class ChoiceButton(_Wrapping, RadioButton):
    """One choice of a one-answer quiz (inside a ``RadioSet``)."""

    MARKS = ("( )", "(•)")

    DEFAULT_CSS = """
    ChoiceButton {
        height: auto;
        text-wrap: nowrap;
    }
    """

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(choice_content(text), **kwargs)


class ChoiceBox(_Wrapping, Checkbox):
    """One choice of a several-answers quiz (inside a ``ChoiceBoxes``)."""

    DEFAULT_CSS = """
    ChoiceBox {
        height: auto;
        width: 1fr;
        text-wrap: nowrap;
        border: none;
        padding: 0;
        background: transparent;
        &:focus {
            border: none;
            background-tint: 0%;
            & > .toggle--label {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(choice_content(text), **kwargs)


class ChoiceBoxes(Vertical):
    """The check boxes of a several-answers quiz; up/down move between them, space ticks."""

    DEFAULT_CSS = """
    ChoiceBoxes {
        height: auto;
        border: tall $border-blurred;
        background: $surface;
        padding: 0 1;
        &:focus-within {
            border: tall $border;
            background-tint: $foreground 5%;
        }
    }
    """
    BINDINGS = [
        Binding("down", "move(1)", "Next choice", show=False),
        Binding("up", "move(-1)", "Previous choice", show=False),
        Binding("tab", "leave(1)", "Next", show=False),
        Binding("shift+tab", "leave(-1)", "Previous", show=False),
    ]

    def action_leave(self, direction: int) -> None:
        """Tab leaves the list (to the Check button), as from a RadioSet: the boxes are one stop."""
        chain = self.screen.focus_chain
        inside = [i for i, w in enumerate(chain) if w in self.query(ChoiceBox)]
        if not inside:
            return
        target = inside[-1] + 1 if direction > 0 else inside[0] - 1
        if 0 <= target < len(chain):
            chain[target].focus()
        elif chain:
            chain[0 if direction > 0 else -1].focus()

    def action_move(self, delta: int) -> None:
        boxes = list(self.query(ChoiceBox))
        if not boxes:
            return
        focused = self.app.focused
        i = boxes.index(focused) if focused in boxes else -delta
        boxes[max(0, min(len(boxes) - 1, i + delta))].focus()

    def focus(self, scroll_visible: bool = True) -> "ChoiceBoxes":
        boxes = list(self.query(ChoiceBox))
        if boxes:
            boxes[0].focus(scroll_visible)
        return self

    @property
    def selected(self) -> list[int]:
        return [i for i, box in enumerate(self.query(ChoiceBox)) if box.value]

    def select(self, index: int) -> None:
        boxes = list(self.query(ChoiceBox))
        if 0 <= index < len(boxes):
            boxes[index].value = True
