"""Everything a learner must read fits: formulas wrap instead of being cut, quiz choices wrap,
and exercise instructions get the full width (above the editor) unless the terminal is wide."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Markdown, RadioSet

import tutor.app
from tutor.app.markdown_text import plain_fences
from tutor.app.widgets.choice_button import ChoiceBox, ChoiceBoxes, ChoiceButton
from tutor.app.widgets.exercise import ExerciseView

from .conftest import settle

TCSS = [Path(tutor.app.__file__).parent / name for name in ("tutor.tcss", "steps.tcss")]
FORMULA = "dW = (1/m) · Xᵀ · (A − Y)     one product over all m examples"
LONG_CHOICE = "It adds 0; the data moves it off zero, then the pull drags it back"


class Page(App):
    CSS_PATH = TCSS

    def __init__(self, *widgets) -> None:
        super().__init__()
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="step-scroll"):
            yield from self.widgets


def visible_text(widget) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


async def test_a_formula_wider_than_the_pane_wraps_and_is_read_whole():
    app = Page(Markdown(plain_fences(f"Before.\n\n```\n{FORMULA}\nW  = W − α · dW\n```\n")))
    async with app.run_test(size=(50, 20)) as pilot:
        await pilot.pause(0.2)
        label = app.query_one("#code-content", Label)
        fence = label.parent
        assert label.region.right <= fence.region.right  # nothing hidden to the right
        text = " ".join(visible_text(label).split())
        assert " ".join(FORMULA.split()) in text
        assert "W = W − α · dW" in text


async def test_quiz_choices_wrap_and_show_their_text_as_written():
    async def check(widgets, cls) -> None:
        app = Page(*widgets)
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause(0.2)
            buttons = list(app.query(cls))
            long, literal = buttons[0], buttons[1]
            assert long.region.height >= 2
            assert " ".join(visible_text(long).split()).endswith("drags it back")
            assert "X[perm] keeps [b : 2b]" in visible_text(literal)
            assert "`" not in visible_text(buttons[2]) and "keep_prob" in visible_text(buttons[2])

    texts = [LONG_CHOICE, "X[perm] keeps [b : 2b]", "`mask > keep_prob` also works"]
    await check([RadioSet(*[ChoiceButton(t) for t in texts])], ChoiceButton)
    await check([ChoiceBoxes(*[ChoiceBox(t) for t in texts])], ChoiceBox)


async def test_exercise_instructions_above_the_editor_unless_the_terminal_is_wide(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        assert isinstance(view, ExerciseView)
        instructions, editor = view.query_one("#instructions"), view.editor
        assert instructions.region.bottom <= editor.region.y
        assert instructions.region.width >= 76
        await pilot.resize_terminal(210, 40)  # the outline shows: 176 columns for the step
        await pilot.pause(0.2)
        assert view.has_class("-side")
        assert instructions.region.right <= editor.region.x
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        assert not view.has_class("-side")
        assert instructions.region.bottom <= editor.region.y
