"""The capstone's live curves (``tutor/app/widgets/training_race.py``): the learner's own train
on the whole digits split, in the sandbox, drawn against the reference's with the test accuracy."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from .conftest import settle
from tutor.app.widgets import training_race as tr
from tutor.course.loader import load_course
from tutor.paths import shipped_lessons_dir
from tutor.progress import Store, Workspace


def _result(outputs=None, error=None, status="ok", message=""):
    case = SimpleNamespace(outputs=outputs or {}, error=error)
    return SimpleNamespace(status=status, cases=(case,) if status == "ok" else (), message=message)


def _history(n, value=1.0):
    return [{"train_loss": value / (e + 1), "penalty": 0.1, "val_loss": 2 * value / (e + 1), "val_acc": 0.5} for e in range(n)]


def test_epochs_plan_grows_to_the_total():
    assert tr.epochs_plan(40) == [5, 10, 20, 40]
    assert tr.epochs_plan(12) == [5, 10, 12]
    assert tr.epochs_plan(3) == [3]


def test_read_run_takes_the_curves_and_refuses_what_is_not_a_history():
    out = tr.read_run(_result({"train": {"history": _history(3), "best_epoch": 2, "params": {"W1": 0}}}))
    assert out["train_loss"] == [1.0, 0.5, 1 / 3] and out["stop_epoch"] == 2 and out["best_epoch"] == 2
    bad = [
        (_result(status="timeout", message="timed out after 30 s"), "timed out"),
        (_result({"train": None}), "history"),
        (_result({"train": {"history": []}}), "non-empty"),
        (_result({"train": {"history": _history(2)}}), "params"),
        (_result({"train": {"history": [{"train_loss": 1.0}], "params": {}}}), 'history[0] has no "val_loss"'),
        (_result({"train": {"history": [{"train_loss": "x", "val_loss": 1.0}], "params": {}}}), "not a number"),
        (_result(error=SimpleNamespace(type="ValueError", message="boom")), "ValueError: boom"),
    ]
    for result, why in bad:
        with pytest.raises(tr.RaceError, match=__import__("re").escape(why)):
            tr.read_run(result)


def test_first_departure_and_the_summary_say_where_the_curves_part():
    ref = {"history": _history(5)}
    same = {**tr.reference_curves(ref), "best_epoch": 4, "stop_epoch": 4}
    assert tr.first_departure(same["val_loss"], same["val_loss"]) is None
    text = tr.summary(same, 0.974, ref, 0.974).plain
    assert "yours 97.4 %, reference 97.4 %" in text and "lie on the reference's" in text
    other = dict(same, val_loss=same["val_loss"][:2] + [9.0, 9.0, 9.0])
    assert tr.first_departure(other["val_loss"], same["val_loss"]) == 2
    assert "part from the reference's at epoch 2" in tr.summary(other, 0.5, ref, 0.974).plain


async def test_the_capstone_race_draws_the_learners_curves_at_80x24(tmp_path):
    """The real app, the real sandbox: the worked solution passes, then its curves and accuracy show."""
    from tutor.app.app import TutorApp
    from tutor.app.checker import SandboxChecker
    from tutor.app.widgets.exercise import ExerciseView

    course = load_course(shipped_lessons_dir())
    exercise = course.exercise("capstone_digits")
    home = tmp_path / "home"
    store = Store.open(home)
    workspace = Workspace(home)
    workspace.write("capstone_digits", exercise.solution)
    store.set_position("C.1", "capstone_digits")
    checker = SandboxChecker()
    app = TutorApp(course, store, workspace, checker=checker, deterministic=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = app.main_screen.query_one(ExerciseView)
            view.check()
            curves = None
            for _ in range(600):
                await pilot.pause(0.1)
                found = view.results.query(tr.TrainingCurves)
                curves = found.first() if found else None
                if curves is not None and "Test accuracy" in str(curves.query_one(".race-status").render()):
                    break
            assert curves is not None, str(view.results.text.render())
            status = str(curves.query_one(".race-status").render())
            assert "Test accuracy: yours 98.9 %, reference 98.9 %" in status, status
            assert "Weights kept from epoch 42 of 48" in status
            assert "lie on the reference's" in status
            assert len(curves.mine["val_loss"]) == len(curves.reference["val_loss"]) == 49  # early stop at 48
            await pilot.pause()
            assert curves.query_one("FigurePlot").error == ""
    finally:
        checker.close()
        store.close()
