"""The Python editor of an exercise: ``TextArea.code_editor`` with the habits of a code editor.

- Enter keeps the current line's indentation, and adds one level after a line ending in ``:``.
- Home toggles between the first non-blank character of the line and column 0.
- Backspace in a line's leading whitespace goes back to the previous indent stop (a multiple of
  the indent width), not one space.
- Esc leaves the editor (the footer says so while the editor has the focus); Tab indents.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea


def next_indent(line_before_cursor: str, indent_width: int = 4) -> str:
    """The indentation of a new line typed after ``line_before_cursor``."""
    stripped = line_before_cursor.lstrip(" \t")
    indent = line_before_cursor[: len(line_before_cursor) - len(stripped)]
    if stripped.rstrip().endswith(":"):
        indent += " " * indent_width
    return indent


def home_column(line: str, column: int) -> int:
    """Smart Home: the first non-blank column, or 0 when the cursor is already there (or the line
    is blank). ``first = len(line) − len(line.lstrip())``."""
    first = len(line) - len(line.lstrip(" \t"))
    if first == len(line):  # a blank line
        first = 0
    return 0 if column == first else first


def backspace_column(line: str, column: int, indent_width: int = 4) -> int:
    """Where Backspace at ``column`` deletes back to: in leading spaces, the previous indent stop
    (⌈column / w⌉·w − w, e.g. 8 → 4, 6 → 4); elsewhere one character back."""
    if column > 0 and line[:column].strip(" ") == "" and indent_width > 1:
        return (column - 1) // indent_width * indent_width
    return max(column - 1, 0)


class CodeEditor(TextArea):
    BINDINGS = [
        Binding("escape", "leave", "Leave", key_display="Esc", tooltip="Leave the editor (Tab then moves between panes)"),
    ]

    def action_leave(self) -> None:
        self.screen.focus_next()

    def action_cursor_line_start(self, select: bool = False) -> None:
        if self.soft_wrap:  # a wrapped line: Textual's own Home (start of the visual line)
            super().action_cursor_line_start(select)
            return
        row, column = self.cursor_location
        self.move_cursor((row, home_column(self.document.get_line(row), column)), select=select)

    def action_delete_left(self) -> None:
        if self.read_only:
            return
        start, end = self.selection
        if start == end and self.indent_type == "spaces":
            row, column = end
            target = backspace_column(self.document.get_line(row), column, self.indent_width)
            if target < column - 1:
                self._delete_via_keyboard((row, target), end)
                return
        super().action_delete_left()

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            top = min(start, end)
            line = self.document.get_line(top[0])[: top[1]]
            self._replace_via_keyboard("\n" + next_indent(line, self.indent_width), start, end)
            return
        await super()._on_key(event)
