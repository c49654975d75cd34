"""The workspace file changed on disk while the editor held unsaved edits: which one to keep?

Dismisses with ``"mine"`` (write the editor's text over the file) or ``"disk"`` (load the file).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConflictScreen(ModalScreen[str]):
    BINDINGS = [
        Binding("m", "keep('mine')", "Keep the editor's"),
        Binding("d", "keep('disk')", "Keep the file's"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"{self.path} changed on disk, and the editor has edits that are not saved.\n"
                "Which version do you want to keep? The other one is lost.",
                classes="dialog-question",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Editor's (m)", id="mine", variant="primary")
                yield Button("File on disk (d)", id="disk")

    def on_mount(self) -> None:
        self.query_one("#mine", Button).focus()

    def action_keep(self, which: str) -> None:
        self.dismiss(which)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "mine")
