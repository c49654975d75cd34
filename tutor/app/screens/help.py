"""Every key binding of the app, with what it does (``?`` or F1)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

HELP = """\
| key | does |
|---|---|
| **F8** or **n** | next step |
| **F7** or **p** | previous step |
| **F9** or **l** | first step of the next lesson |
| **Enter** in the outline | open the step under the cursor |
| **Tab** / **Shift+Tab** | move between the outline and the step |
| **F2** or **o** | hide or show the outline |
| **F3** or **g** | notation and glossary |
| **F6** | enlarge the pane you are in (instructions, editor, results, text, plot) to the whole screen; **F6** or **Esc** puts it back |
| **w** | why is this lesson not done? (lists the steps left and what each needs) |
| **t** | light or dark theme (kept for next time) |
| **ctrl+p** | command palette: jump to any lesson or exercise by name |
| **F1** or **?** | this help |
| **ctrl+q** | quit (everything is saved) |

**In a plot step**

| key | does |
|---|---|
| **Enter** in a setting, **F5** or **ctrl+r** | re-run the experiment with these settings |
| **1**-**9** (or **Esc** then **1**-**9** from a setting) | hide or show that curve (numbered in the legend) |

When curves drawn together would hide each other, the plot shows one small panel per curve.

**In a quiz**

| key | does |
|---|---|
| **↑ ↓** then **Enter** or **Space** | choose an answer (checked at once) |
| **Enter** in the number field | check a number |

A question counts as done once answered right; after two wrong tries the answer is shown.

**In an exercise**

| key | does |
|---|---|
| **ctrl+r** or **F5** | check your code (runs in the background) |
| **ctrl+t** | show the next hint |
| **ctrl+o** | show the worked solution (asks first) |
| **F4** | open the file in your `$EDITOR` |
| **Esc** | leave the editor (then Tab, n, p work) |
| **Tab** | indent (only while the editor has the focus: its title starts with ▶) |
| **Home** | first non-blank of the line, again: column 0 |
| **Backspace** in the indentation | back to the previous indent stop |

The pane that has the focus has a heavy rule on top and a title starting with ▶.

Your code is saved as you type, in the workspace folder (`tutor progress` shows it),
so any editor can open it, and `tutor check ID` grades it from the shell.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        yield Static("Keys", classes="doc-title")
        with VerticalScroll(classes="doc-body", can_focus=True):
            yield Markdown(HELP)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
