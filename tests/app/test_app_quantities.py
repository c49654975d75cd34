"""The app and the quantities diagnosis (issue 14): the results panel says where inside the
learner's code the numbers first go wrong, and the editor's cursor (its line highlighted) goes to
the line that bound that quantity."""

from __future__ import annotations

from tutor.grading.verdict import QuantityCheck, QuantityReport, Verdict

from .conftest import settle


def _verdict(line: int) -> Verdict:
    report = QuantityReport(
        case="first step from zero state",
        call="momentum_update",
        items=(QuantityCheck("v′", "wrong", line, "the v′ you return equals β·v + g (the (1 − β) factor left out)"),),
        first_wrong="v′",
        line=line,
    )
    return Verdict(exercise="momentum", passed=False, seed=1, status="ok", summary="3 of 9 cases failed.",
                   quantities=report)


async def test_the_line_of_the_first_wrong_quantity_is_shown_and_the_cursor_goes_there(make_app):
    class Checker:
        def check(self, exercise, source, filename):
            return _verdict(3)

        def warm(self):
            pass

        def close(self):
            pass

    app = make_app(position=("7.2", "momentum"), checker=Checker())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        view.editor.move_cursor((0, 0))
        await pilot.press("f5")
        for _ in range(50):
            await pilot.pause(0.1)
            if not view.checking:
                break
        text = str(view.results.text.render())
        assert "Inside your code" in text and "v′ ✗" in text and "(line 3)" in text
        assert view.editor.cursor_location == (2, 0)


async def test_a_line_outside_the_file_moves_nothing(make_app):
    class Checker:
        def check(self, exercise, source, filename):
            return _verdict(10_000)

        def warm(self):
            pass

        def close(self):
            pass

    app = make_app(position=("7.2", "momentum"), checker=Checker())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.main_screen.view
        view.editor.move_cursor((1, 0))
        await pilot.press("f5")
        for _ in range(50):
            await pilot.pause(0.1)
            if not view.checking:
                break
        assert view.editor.cursor_location == (1, 0)
