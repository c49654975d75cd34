"""A full-screen Markdown page closed with Escape: the notation and glossary, a solution."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from tutor.app.markdown_text import plain_fences


class DocumentScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__()
        self.doc_title = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Static(self.doc_title, classes="doc-title")
        with VerticalScroll(classes="doc-body", can_focus=True):
            yield Markdown(plain_fences(self.markdown))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
