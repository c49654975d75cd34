"""The Python editor of an exercise: ``TextArea.code_editor`` plus auto-indent on Enter.

Enter keeps the current line's indentation, and adds one level after a line ending in ``:``.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


def next_indent(line_before_cursor: str, indent_width: int = 4) -> str:
    """The indentation of a new line typed after ``line_before_cursor``."""
    stripped = line_before_cursor.lstrip(" \t")
    indent = line_before_cursor[: len(line_before_cursor) - len(stripped)]
    if stripped.rstrip().endswith(":"):
        indent += " " * indent_width
    return indent


class CodeEditor(TextArea):
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
