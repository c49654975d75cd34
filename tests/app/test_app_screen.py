"""The learner's screen at 80×24 (issue 13): the focus is visible, the verdict reads in full after
a check, plots can hide curves, settings say at once what is wrong, quizzes give two tries,
progress is legible, the editor has a code editor's habits, the step views keep their contract."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tutor.app.widgets.code_editor import backspace_column, home_column
from tutor.grading.report import first_sentence, inline_spans, plain, render, unwrap

from .conftest import settle, type_text

SMALL = (80, 24)


def screen_lines(app) -> list[str]:
    """The text on screen, one string per row (from Textual's SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[int, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text[^>]*\bx="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(int(m.group(2)), []).append((float(m.group(1)), unescape(m.group(3)).replace("\xa0", " ")))
    return ["".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items())]


def screen_text(app) -> str:
    return " ".join(" ".join(screen_lines(app)).split())


# ---- the focus ------------------------------------------------------------------------------
async def test_the_focused_pane_is_marked_and_f6_twice_gives_the_focus_back_visibly(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        editor, results = view.query_one("#editor"), view.query_one("#results")
        assert app.focused is editor
        assert str(editor.border_title).startswith("▶ Your code") and "Esc leaves" in str(editor.border_title)
        assert not str(results.border_title).startswith("▶")
        await pilot.press("f6")
        await pilot.pause()
        assert app.main_screen.maximized is editor and "F6 restores" in str(editor.border_title)
        await pilot.press("f6")
        await pilot.pause()
        assert app.main_screen.maximized is None and app.focused is editor
        assert str(editor.border_title).startswith("▶ Your code") and "F6 restores" not in str(editor.border_title)
        assert "▶ Your code" in screen_text(app)  # on screen, not only in the widget
        await pilot.press("escape")  # leaves the editor: the results get the mark
        await pilot.pause()
        assert app.focused is not editor
        assert not str(editor.border_title).startswith("▶")
        assert "Esc Leave " not in screen_lines(app)[-1]
        assert editor.has_class("-focused") is False


async def test_esc_to_leave_the_editor_is_in_the_footer(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "Esc Leave" in screen_lines(app)[-1]


# ---- the verdict ----------------------------------------------------------------------------
async def test_after_a_failing_check_the_named_mistake_reads_in_full_at_80x24(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        text = screen_text(app)
        assert "✗ Not yet: 4 of 8 cases failed" in text
        assert "Likely mistake: You stepped with the raw gradient instead of the moving average v." in text
        assert "no-average" not in text  # the mistake's id is for --json


def test_verdict_markdown_is_rendered_not_shown_raw():
    from tutor.app.widgets.results import markdown_content

    content = markdown_content("Use **below**, not `m // b`:\nthe last\nbatch.")
    assert content.plain == "Use below, not m // b: the last batch."
    styles = {content.plain[s.start : s.end]: str(s.style) for s in content.spans}
    assert "bold" in styles["below"] and "bold" in styles["m // b"]


# ---- the CLI report -------------------------------------------------------------------------
def test_plain_text_of_a_mistake_message():
    message = "You kept only the `m // b` full\nbatches, **not** the last.\n\n- one\n- two *items*\n"
    assert unwrap(message).splitlines()[0] == "You kept only the `m // b` full batches, **not** the last."
    assert plain(message) == "You kept only the m // b full batches, not the last.\n\n- one\n- two items"
    assert first_sentence("Keep it, e.g. by slicing. Then more.") == "Keep it, e.g. by slicing."
    assert inline_spans("2*3*4 x") == [("2*3*4 x", "")]  # arithmetic is not emphasis


def test_the_cli_report_has_no_markdown_markers_and_no_mistake_id():
    from tutor.grading.verdict import CaseVerdict, Diagnosis, Verdict

    verdict = Verdict(
        "minibatches",
        False,
        7,
        "ok",
        "1 of 2 cases failed",
        (CaseVerdict("a", True), CaseVerdict("b", False, "result: expected a list of 4 items, got 3")),
        diagnosis=(
            Diagnosis(
                "drop-remainder",
                "You kept only the `m // batch_size` full batches: when `batch_size` does not divide `m`, the\n"
                "last `m mod batch_size` examples are **never** trained on.",
            ),
        ),
    )
    text = render(verdict, title="Shuffled mini-batches")
    assert "drop-remainder" not in text
    assert "`" not in text and "**" not in text
    assert "Likely mistake:" in text and "m // batch_size full batches" in text
    assert all(len(line) <= 80 for line in text.splitlines() if not line.startswith("Replay"))


# ---- plots ----------------------------------------------------------------------------------
async def test_a_curve_can_be_hidden_and_shown_and_a_log_axis_says_so(make_app):
    from tutor.app.widgets.figure_plot import FigurePlot

    app = make_app(position=("7.1", "curves"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, 0.3)
        view = app.main_screen.view
        legend = str(view.query_one("#plot-legend").render()).replace("\xa0", " ")
        assert "1 lr/2" in legend and "3 2·lr" in legend
        await pilot.press("alt+2")  # from the setting's field
        await pilot.pause()
        assert view.hidden == {1}
        assert "2 lr (hidden)" in str(view.query_one("#plot-legend").render()).replace("\xa0", " ")
        assert app.focused is not None and app.focused.id == "setting-lr"
        assert app.focused.value == "0.1"  # nothing typed into the field
        await pilot.press("escape", "2")  # Esc leaves the field; 2 shows the curve again
        await pilot.pause()
        assert view.hidden == set()
        plot = view.query_one(FigurePlot)
        assert "loss (log scale)" in plot.render().plain


async def test_f6_gives_the_plot_the_enlarged_height(make_app):
    from tutor.app.widgets.figure_plot import FigurePlot

    app = make_app(position=("7.1", "curves"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, 0.3)
        plot = app.main_screen.view.query_one(FigurePlot)
        before = plot.size.height
        app.main_screen.view.query_one(".step-scroll").focus()
        await pilot.press("f6")
        await settle(pilot)
        assert plot.size.height > before
        await pilot.press("f6")
        await settle(pilot)
        assert plot.size.height == before


def test_small_multiples_share_axes_unless_a_curve_would_be_squashed():
    import numpy as np
    from textual_plotext.plot import Plot

    from tutor.app.plotting import draw_figure, panel_grid
    from tutor.core.figure import Series

    x = np.arange(20.0)
    series = [Series("calm", x, 1 + 0.1 * x), Series("spiky", x, 1 + 1000 * (x % 2))]
    plt = Plot()
    assert draw_figure(plt, series, ylabel="loss", width=80, panels=True) == 2
    plt.plotsize(80, 12)
    text = plt.build()
    assert "calm (own y)" in text and "spiky" in text
    assert panel_grid(5, 78) == (2, 3) and panel_grid(3, 50) == (2, 2) and panel_grid(1, 80) == (1, 1)


# ---- settings -------------------------------------------------------------------------------
async def test_a_setting_says_at_once_what_is_wrong_with_what_was_typed(make_app):
    app = make_app(position=("7.1", "curves"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, 0.3)
        view = app.main_screen.view
        field = view.query_one("#setting-steps")
        field.focus()
        field.value = ""
        await type_text(pilot, "0.05")
        await pilot.pause()
        assert field.value == "0.05"  # nothing silently dropped
        status = str(view.query_one("#plot-status").render())
        assert "whole number" in status and "'0.05'" in status
        assert field.has_class("-invalid")
        await pilot.press("backspace", "backspace", "backspace", "backspace", "3", "0")
        await pilot.pause()
        assert "whole number" not in str(view.query_one("#plot-status").render())


# ---- quizzes --------------------------------------------------------------------------------
async def test_a_wrong_answer_gets_a_second_try_before_the_answer_is_shown(make_app):
    app = make_app(position=("7.1", "pick-one"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        assert "2 tries before the answer" in screen_text(app)
        view.query_one("#quiz-one").focus()
        await pilot.press("enter")  # 0.1: wrong
        await pilot.pause()
        verdict = str(view.query_one("#quiz-verdict").render())
        assert "Try again" in verdict and "1.5" not in verdict
        assert view.query_one("#quiz-explanation")._markdown == ""
        await pilot.press("down", "enter")  # 0.5: wrong again, now the answer shows
        await pilot.pause()
        verdict = str(view.query_one("#quiz-verdict").render())
        assert "Right: 1.5" in verdict
        assert "7.1/pick-one" not in app.store.done_steps()
        await pilot.press("down", "enter")  # the right one still counts
        await pilot.pause()
        assert "7.1/pick-one" in app.store.done_steps()


async def test_picked_choices_differ_in_shape_not_only_colour(make_app):
    app = make_app(position=("7.2", "after"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("space")  # ticks the first box
        await pilot.pause()
        lines = screen_lines(app)
        assert any("▸[x] Momentum" in line for line in lines)
        assert any(" [ ] Plain SGD" in line for line in lines)


# ---- progress -------------------------------------------------------------------------------
async def test_partial_progress_and_why_a_lesson_is_not_done(make_app):
    from tutor.app.screens.main import why_not_done

    app = make_app(position=("7.1", "intro"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert "7.1 1/4 Fixture lesson one" in screen_text(app)
        message = why_not_done(screen.index, screen.current, screen.done)
        assert message.startswith("1 of 4 steps done")
        assert "Which rate diverges?: answer it right" in message and "Loss curves" in message
        await pilot.press("w")
        await pilot.pause()
        assert any("Still to do" in str(n.message) for n in app._notifications)


# ---- the editor -----------------------------------------------------------------------------
def test_smart_home_and_backspace_to_the_indent_stop():
    assert home_column("    return x", 10) == 4
    assert home_column("    return x", 4) == 0
    assert home_column("    return x", 0) == 4
    assert home_column("    ", 2) == 0
    assert backspace_column("        x", 8) == 4
    assert backspace_column("      x", 6) == 4
    assert backspace_column("    x = 1", 9) == 8  # after text: one character
    assert backspace_column("  ", 1) == 0


async def test_editor_home_and_backspace(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        editor = app.main_screen.view.query_one("#editor")
        editor.cursor_location = (4, 10)  # in `    raise NotImplementedError`
        await pilot.press("home")
        assert editor.cursor_location == (4, 4)
        await pilot.press("home")
        assert editor.cursor_location == (4, 0)
        editor.cursor_location = (4, 4)
        await pilot.press("backspace")
        assert editor.document.get_line(4) == "raise NotImplementedError"


# ---- the step-view contract -----------------------------------------------------------------
def test_every_step_type_has_a_view_that_answers_its_actions():
    from tutor.app.widgets.base import StepView
    from tutor.app.widgets.registry import VIEWS, view_class

    for kind, entry in VIEWS.items():
        cls = view_class(kind)
        assert issubclass(cls, StepView)
        for action in entry.actions:
            method = {"external_editor": "external_editor", "toggle_series": "toggle_series"}.get(action, action)
            assert getattr(cls, method) is not getattr(StepView, method), f"{kind} does not implement {action}"
    with pytest.raises(ValueError):
        view_class("video")


async def test_the_enlarged_editor_wraps_long_lines(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        editor = app.main_screen.view.query_one("#editor")
        assert editor.soft_wrap is False
        await pilot.press("f6")
        await pilot.pause()
        assert editor.soft_wrap is True
        await pilot.press("f6")
        await pilot.pause()
        assert editor.soft_wrap is False
