"""The app driven with Textual's Pilot: navigation, quiz, exercise, hints, resume, themes."""

from __future__ import annotations

import asyncio

import pytest
from .conftest import RIGHT, WRONG, settle, type_text

from tutor.app.widgets.exercise import ExerciseView
from tutor.app.widgets.outline import Outline


def title(app) -> str:
    return str(app.main_screen.query_one("#step-title").render())


async def test_first_run_opens_the_first_step_with_a_welcome(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen.current.key == "7.1/intro"
        assert screen.query("#welcome")
        assert app.store.position() == ("7.1", "intro")
        md = screen.query_one(".step-markdown")
        assert "w = w − α · dw" in md.source


async def test_next_and_previous_step_and_next_lesson(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert app.main_screen.current.key == "7.1/curves"
        assert "7.1 · 2/4  Loss curves" in title(app)
        await pilot.press("f7")
        await settle(pilot)
        assert app.main_screen.current.key == "7.1/intro"
        await pilot.press("f9")
        await settle(pilot)
        assert app.main_screen.current.key == "7.2/momentum"
        assert app.store.position() == ("7.2", "momentum")
        # the welcome line goes once the learner moves on
        assert not app.main_screen.query("#welcome")


async def test_jump_from_the_outline(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        outline = app.main_screen.query_one(Outline)
        assert outline.upgraded
        tree = outline.tree
        tree.focus()
        await pilot.pause()
        # the cursor sits on the current step; two lines down is the first quiz
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.main_screen.current.key == "7.1/pick-one"
        # the outline keeps the focus, so the learner can keep browsing
        assert app.focused is tree


async def test_outline_hides_on_narrow_terminals_and_toggles(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        outline = app.main_screen.query_one(Outline)
        assert not outline.display
        await pilot.press("f2")
        await pilot.pause()
        assert outline.display
        await pilot.press("f2")
        await pilot.pause()
        assert not outline.display


async def test_text_and_plot_steps_are_marked_done_when_seen(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert {"7.1/intro", "7.1/curves"} <= app.store.done_steps()
        label = str(app.main_screen.query_one("#progress-label").render())
        assert label.startswith("2 of 7")


async def test_plot_step_draws_and_reruns_with_new_settings(make_app):
    app = make_app(position=("7.1", "curves"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.3)
        view = app.main_screen.view
        assert view.figure is not None
        assert [s.label for s in view.figure.series] == ["lr/2", "lr", "2·lr"]
        lr = view.query_one("#setting-lr")
        lr.value = "1.2"
        lr.focus()
        await pilot.press("enter")
        await settle(pilot, 0.3)
        # 2·lr = 2.4 diverges on the bowl: the note says so
        notes = str(view.query_one("#plot-notes").render())
        assert "diverged at step" in notes
        # an out-of-range setting is explained, not run
        lr.value = "50"
        await pilot.press("f5")
        await settle(pilot)
        assert "at most 2" in str(view.query_one("#plot-status").render())


async def test_quiz_answer_is_checked_saved_and_restored(make_app, home):
    app = make_app(position=("7.1", "pick-one"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        radio = view.query_one("#quiz-one")
        radio.focus()
        await pilot.press("down", "down", "enter")  # the third choice: 1.5, right
        await pilot.pause()
        assert "Right" in str(view.query_one("#quiz-verdict").render())
        saved = app.store.quiz_answer("7.1/pick-one")
        assert saved.answer == 2 and saved.correct
        assert "7.1/pick-one" in app.store.done_steps()
    app2 = make_app()
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app2.main_screen.view
        assert view.ref.key == "7.1/pick-one"
        assert "Right" in str(view.query_one("#quiz-verdict").render())
        assert view.query_one("#quiz-one").pressed_index == 2


async def test_numeric_quiz_wrong_then_right(make_app):
    app = make_app(position=("7.1", "a-number"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        view.query_one("#quiz-number").focus()
        await type_text(pilot, "0.2\n")
        assert "Not quite" in str(view.query_one("#quiz-verdict").render())
        assert "7.1/a-number" not in app.store.done_steps()
        view.query_one("#quiz-number").value = ""
        await type_text(pilot, "-0.2\n")
        assert "Right" in str(view.query_one("#quiz-verdict").render())
        assert app.store.quiz_answer("7.1/a-number").answer == -0.2


async def test_multiple_choice_quiz(make_app):
    app = make_app(position=("7.2", "after"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        sl = view.query_one("#quiz-many")
        sl.focus()
        await pilot.press("space")  # Momentum
        await pilot.press("down", "down", "space")  # Adam
        # the choices are one tab stop: tab goes to the Check button
        await pilot.press("tab")
        assert app.focused is view.query_one("#quiz-check")
        await pilot.press("enter")
        await pilot.pause()
        assert "Right" in str(view.query_one("#quiz-verdict").render())
        assert app.store.quiz_answer("7.2/after").answer == [0, 2]


async def test_editor_is_syntax_aware_and_holds_the_workspace_file(make_app, home):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        assert isinstance(view, ExerciseView)
        assert view.editor.is_syntax_aware
        assert view.editor.language == "python"
        path = home / "workspace" / "momentum.py"
        assert path.read_text() == view.editor.text
        assert "raise NotImplementedError" in view.editor.text
        assert app.focused is view.editor


async def test_typing_autosaves_within_two_seconds(make_app, home):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        view.editor.move_cursor((5, 0))
        await type_text(pilot, "# my note\n")
        path = home / "workspace" / "momentum.py"
        assert "# my note" not in path.read_text()
        await pilot.pause(1.6)
        assert "# my note" in path.read_text()
        assert not view.dirty


async def test_enter_keeps_indentation(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.main_screen.view.editor
        editor.select_all()
        await type_text(pilot, "def f(x):\nif x:\nreturn 1")
        assert editor.text == "def f(x):\n    if x:\n        return 1"


async def _type_solution(pilot, editor, text: str) -> None:
    """Replace the editor's text by typing ``text`` (leading indentation comes from auto-indent)."""
    editor.select_all()
    lines = text.rstrip("\n").split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        current = len(editor.document.get_line(editor.cursor_location[0]))
        want = len(line) - len(stripped)
        for _ in range(max(0, current - want)):
            await pilot.press("backspace")
        await type_text(pilot, stripped)
        if i < len(lines) - 1:
            await pilot.press("enter")


async def test_wrong_then_right_solution_with_the_real_grader(make_app, home):
    app = make_app(position=("7.2", "momentum"), checker=None)  # None: the real sandboxed grader
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        await _type_solution(pilot, view.editor, WRONG)
        assert view.editor.text.strip() == WRONG.strip()
        await pilot.press("ctrl+r")
        for _ in range(200):
            await pilot.pause(0.1)
            if not view.checking:
                break
        results = str(view.results.text.render())
        assert "Not yet" in results
        assert "Likely mistake" in results and "raw gradient" in results
        assert "stepping" in results  # the learner's printed output
        assert results.index("Likely mistake") < results.index("✗ random")
        assert app.store.attempts("momentum")[-1].passed is False
        assert "7.2/momentum" not in app.store.done_steps()

        await _type_solution(pilot, view.editor, RIGHT)
        await pilot.press("f5")
        for _ in range(200):
            await pilot.pause(0.1)
            if not view.checking:
                break
        results = str(view.results.text.render())
        assert "Passed" in results, results
        assert app.store.exercise_done("momentum")
        assert "7.2/momentum" in app.store.done_steps()
        outline = app.main_screen.query_one(Outline)
        assert "7.2/momentum" in outline.done
        # the file holds what was checked
        assert (home / "workspace" / "momentum.py").read_text().strip() == RIGHT.strip()
        # momentum is an optimizer: the learner's curve is raced against the reference's
        for _ in range(100):
            await pilot.pause(0.1)
            if view.results.query(".race"):
                break
        await settle(pilot)
        assert view.results.query("PlotextPlot.race"), str(view.results.query(".race").first().render())
        # its log axis is drawn again after resizes, without error
        for size in ((100, 34), (90, 30), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert view.results.query_one("PlotextPlot.race").error == ""


async def test_check_does_not_freeze_the_editor(make_app):
    import threading

    release = threading.Event()

    class SlowChecker:
        def check(self, exercise, source, filename):
            release.wait(5)
            from .conftest import fixed_verdict

            return fixed_verdict(False)

        def warm(self):
            pass

        def close(self):
            release.set()

    app = make_app(position=("7.2", "momentum"), checker=SlowChecker())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        await pilot.press("f5")
        await pilot.pause(0.1)
        assert view.checking
        view.editor.move_cursor((0, 0))
        await type_text(pilot, "# typing while checking\n")
        assert view.editor.text.startswith("# typing while checking")
        release.set()
        for _ in range(50):
            await pilot.pause(0.1)
            if not view.checking:
                break
        assert "Not yet" in str(view.results.text.render())


async def test_a_failing_check_is_shown_not_fatal(make_app):
    class Broken:
        def check(self, exercise, source, filename):
            raise RuntimeError("sandbox exploded")

        def warm(self):
            pass

        def close(self):
            pass

    app = make_app(position=("7.2", "momentum"), checker=Broken())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert app.is_running
        assert "sandbox exploded" in str(app.main_screen.view.results.text.render())


async def test_hints_one_at_a_time(make_app):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        hints = view.query_one("#hints")
        assert "Hint 1" not in hints.source
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Hint 1 of 2" in hints.source and "Hint 2" not in hints.source
        assert app.store.hints_revealed("momentum") == 1
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+t")  # no third hint: the count stays at 2
        await pilot.pause()
        assert "Hint 2 of 2" in hints.source
        assert app.store.hints_revealed("momentum") == 2


async def test_solution_needs_confirmation(make_app):
    from tutor.app.screens.confirm import ConfirmScreen
    from tutor.app.screens.document import DocumentScreen

    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not app.store.solution_revealed("momentum")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        assert app.store.solution_revealed("momentum")
        assert "beta * v" in app.screen.markdown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen


async def test_file_changed_on_disk_reloads_without_unsaved_edits(make_app, home):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        (home / "workspace" / "momentum.py").write_text("# edited elsewhere\n")
        await pilot.pause(1.3)
        assert view.editor.text == "# edited elsewhere\n"


async def test_file_changed_on_disk_with_unsaved_edits_asks(make_app, home):
    from tutor.app.screens.conflict import ConflictScreen

    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        path = home / "workspace" / "momentum.py"
        view.editor.move_cursor((0, 0))
        await type_text(pilot, "# mine\n")
        path.write_text("# theirs\n")  # before the autosave fires
        for _ in range(30):
            await pilot.pause(0.1)
            if isinstance(app.screen, ConflictScreen):
                break
        assert isinstance(app.screen, ConflictScreen)
        assert path.read_text() == "# theirs\n"  # never overwritten without asking
        await pilot.press("m")
        await pilot.pause()
        assert path.read_text().startswith("# mine\n")
        assert view.editor.text.startswith("# mine\n")


async def test_conflict_keep_the_file_on_disk(make_app, home):
    from tutor.app.screens.conflict import ConflictScreen

    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        path = home / "workspace" / "momentum.py"
        view.editor.move_cursor((0, 0))
        await type_text(pilot, "# mine\n")
        path.write_text("# theirs\n")
        for _ in range(30):
            await pilot.pause(0.1)
            if isinstance(app.screen, ConflictScreen):
                break
        await pilot.press("d")
        await pilot.pause()
        assert view.editor.text == "# theirs\n"
        assert path.read_text() == "# theirs\n"


async def test_resume_after_restart_with_the_draft(make_app, home):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        view.editor.move_cursor((0, 0))
        await type_text(pilot, "# draft in progress\n")
        await pilot.press("ctrl+q")  # quits at once: the draft must be flushed
    assert (home / "workspace" / "momentum.py").read_text().startswith("# draft in progress\n")
    app2 = make_app()
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app2.main_screen.current.key == "7.2/momentum"
        assert app2.main_screen.view.editor.text.startswith("# draft in progress\n")
        assert not app2.main_screen.query("#welcome")


async def test_lesson_option_opens_that_lesson(make_app):
    app = make_app(lesson_id="7.2", position=("7.1", "curves"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.main_screen.current.key == "7.2/momentum"


async def test_theme_toggle_is_saved(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert app.store.get_setting("theme") == "textual-light"
    app2 = make_app()
    async with app2.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app2.theme == "textual-light"


async def test_help_and_notation_screens(make_app):
    from tutor.app.screens.document import DocumentScreen
    from tutor.app.screens.help import HelpScreen

    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")  # works from inside the editor too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        assert "moving average of the gradients" in app.screen.markdown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen


async def test_footer_shows_the_check_keys_only_on_exercises(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}
        assert "check" not in shown and "next_step" in shown
        await pilot.press("f9")
        await settle(pilot)
        active = {b.binding.action: b for b in app.screen.active_bindings.values()}
        assert active["check"].enabled
        keys = {k for k, b in app.screen.active_bindings.items() if b.binding.action == "check"}
        assert {"ctrl+r", "f5"} <= keys


async def test_command_palette_jumps_to_an_exercise(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await type_text(pilot, "momentum")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert app.main_screen.current.key == "7.2/momentum"


async def test_step_styles_apply_after_the_first_paint_and_survive_a_theme_change(make_app):
    """steps.tcss is read after the first paint; its rules reach the step, the next steps, the
    dialogs, and stay after the theme changes (Textual re-parses every source then)."""
    from textual.widgets import Markdown

    from tutor.app.app import STEP_CSS

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.stylesheet.has_source(str(STEP_CSS))
        md = app.main_screen.query_one(Markdown)
        assert md.styles.padding.left == 0  # Textual's own Markdown has side padding; steps.tcss removes it
        await pilot.press("t")
        await pilot.press("f8")
        await settle(pilot)
        md = app.main_screen.query_one(Markdown)
        assert md.styles.padding.left == 0
        await pilot.press("f1")
        await pilot.pause()
        title_bar = app.screen.query_one(".doc-title")
        assert title_bar.styles.text_style.bold and title_bar.region.height == 1


async def test_the_step_is_mounted_only_once_the_footer_keys_are_on_screen(make_app, monkeypatch):
    """Mounting the first step (Markdown: ~100 ms) must wait until a frame showing the footer's
    keys has been handed to the terminal, or the first useful screen reaches it that much later."""
    from textual._compositor import CompositorUpdate

    from tutor.app.app import TutorApp
    from tutor.app.screens.main import MainScreen

    frames: list[str] = []
    seen: list[bool] = []
    display, first_paint_done = TutorApp._display, MainScreen.first_paint_done

    def spy_display(self, screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate):
            frames.append(renderable.render_segments(self.console))
        display(self, screen, renderable)

    def spy_first_paint_done(self: MainScreen) -> None:
        seen.append(any("Next" in frame and "Help" in frame for frame in frames))
        first_paint_done(self)

    monkeypatch.setattr(TutorApp, "_display", spy_display)
    monkeypatch.setattr(MainScreen, "first_paint_done", spy_first_paint_done)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.main_screen.view is not None
    assert seen == [True]


async def test_on_ready_is_called_once_and_even_when_the_first_step_never_shows(make_app, monkeypatch):
    """``tutor start`` resumes garbage collection in ``on_ready``: it must come exactly once (the
    fallback timer firing later calls nothing more), and also when the first step's mount failed."""
    import tutor.app.app as app_module
    from tutor.app.screens.main import MainScreen

    monkeypatch.setattr(app_module, "READY_AT_THE_LATEST", 0.3)
    calls: list[str] = []
    app = make_app()
    app._on_ready = lambda: calls.append("ready")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert calls == ["ready"]
        await pilot.pause(0.5)  # the fallback timer has fired by now
    assert calls == ["ready"]

    async def never(self) -> None:
        raise RuntimeError("the first step could not be mounted")

    monkeypatch.setattr(MainScreen, "_mount_first", never)
    calls.clear()
    app = make_app()
    app._on_ready = lambda: calls.append("ready")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if calls:
                break
            await pilot.pause(0.05)
        assert app.main_screen.view is None  # the step never came
        await pilot.pause(0.1)
    assert calls == ["ready"]


async def test_a_passed_exercise_says_so_when_reopened(make_app, home):
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "You have passed" not in str(app.main_screen.view.results.text.render())
    app.store.record_attempt("momentum", True, 8, 8, "code", 1)
    app2 = make_app()
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app2.main_screen.current.key == "7.2/momentum"
        assert "✓ You have passed this exercise" in str(app2.main_screen.view.results.text.render())


async def test_plot_colours_follow_the_theme(make_app):
    """The legend (and the curves, drawn from the same palette) switch palettes with the theme."""
    from tutor.app.plotting import PALETTE, PALETTE_LIGHT

    def legend_colours(app) -> list[str]:
        content = app.main_screen.query_one("#plot-legend").render()
        return [str(span.style) for span in content.spans]

    app = make_app(position=("7.1", "curves"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if app.main_screen.view.figure is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        r, g, b = PALETTE[0]
        assert legend_colours(app)[0].replace(" ", "") == f"rgb({r},{g},{b})"
        app.action_toggle_theme()  # ("t" would type into the plot's settings, which have the focus)
        await pilot.pause(0.2)
        assert app.theme == "textual-light"
        r, g, b = PALETTE_LIGHT[0]
        assert legend_colours(app)[0].replace(" ", "") == f"rgb({r},{g},{b})"


async def test_f6_enlarges_the_focused_pane_and_puts_it_back(make_app):
    """At 80×24 an exercise's instructions get a few lines: F6 gives the focused pane the screen."""
    app = make_app(position=("7.2", "momentum"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        view = screen.view
        instructions = view.query_one("#instructions")
        small = instructions.region.height
        instructions.focus()
        await pilot.press("f6")
        await pilot.pause()
        assert screen.maximized is instructions
        assert instructions.region.height >= 20 > small
        await pilot.press("f6")
        await pilot.pause()
        assert screen.maximized is None and instructions.region.height == small
        view.editor.focus()
        await pilot.press("f6")
        await pilot.pause()
        assert screen.maximized is view.editor
        await pilot.press("escape")  # Esc puts it back first; the editor keeps the focus
        await pilot.pause()
        assert screen.maximized is None and screen.focused is view.editor
        screen.query_one("#outline").display = True
        screen.set_focus(screen.query_one("#outline-tree"))
        await pilot.press("f6")  # the outline is not enlarged
        await pilot.pause()
        assert screen.maximized is None
