"""SVG snapshots of the main screens at 80×24 and 120×40, on the fixture course.

Deterministic: a fixed TUTOR_HOME path (the file path is on screen), no cursor blink, a fake
checker with a fixed verdict, the fixture course's deterministic experiment.
"""

from __future__ import annotations

import pytest
from .conftest import FakeChecker, fixed_home

from tutor.app.app import TutorApp
from tutor.progress import Store, Workspace

SIZES = [(80, 24), (120, 40)]


def app_at(course, name: str, position: tuple[str, str] | None) -> TutorApp:
    home = fixed_home(name)
    store = Store.open(home)
    if position is not None:
        store.set_position(*position)
    return TutorApp(course, store, Workspace(home), checker=FakeChecker(), deterministic=True)


async def ready(pilot) -> None:
    for _ in range(300):
        if pilot.app.main_screen.ready:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_step(snap_compare, course, size):
    app = app_at(course, f"text-{size[0]}", None)
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plot_step(snap_compare, course, size):
    app = app_at(course, f"plot-{size[0]}", ("7.1", "curves"))
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_quiz_answered(snap_compare, course, size):
    app = app_at(course, f"quiz-{size[0]}", ("7.1", "pick-one"))

    async def answer(pilot):
        await ready(pilot)
        pilot.app.main_screen.view.query_one("#quiz-one").focus()
        await pilot.press("down", "enter")  # 0.5: wrong, the right one and the explanation show
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=answer)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_exercise_with_a_verdict(snap_compare, course, size):
    app = app_at(course, f"exercise-{size[0]}", ("7.2", "momentum"))

    async def check(pilot):
        await ready(pilot)
        await pilot.press("f5")
        for _ in range(100):
            await pilot.pause(0.05)
            if not pilot.app.main_screen.view.checking:
                break
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=check)


@pytest.mark.parametrize("size", SIZES[:1], ids=lambda s: f"{s[0]}x{s[1]}")
def test_exercise_before_a_check(snap_compare, course, size):
    app = app_at(course, f"exercise-before-{size[0]}", ("7.2", "momentum"))
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES[:1], ids=lambda s: f"{s[0]}x{s[1]}")
def test_quiz_several_answers_picked(snap_compare, course, size):
    app = app_at(course, f"quiz-many-{size[0]}", ("7.2", "after"))

    async def pick(pilot):
        await ready(pilot)
        await pilot.press("space", "down", "down", "space", "up")  # Momentum and Adam ticked
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=pick)
