"""Shared fixtures for the app tests: the fixture course, a home folder, an app factory, and a
fake checker that returns fixed verdicts (snapshots must not depend on the grader's seed)."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path
from typing import Any

import pytest

from tutor.course.loader import load_course
from tutor.progress import Store, Workspace

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"

RIGHT = """import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v = beta * v + (1 - beta) * dw
    return w - lr * v, v
"""

WRONG = """import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    print("stepping")
    return w - lr * dw, dw
"""


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin is needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**args))
    return True


@pytest.fixture(scope="session")
def course():
    return load_course(FIXTURE_COURSE)


def fixed_verdict(passed: bool) -> Any:
    """A verdict like the grader's, with fixed content."""
    from tutor.grading.verdict import CaseVerdict, Diagnosis, Verdict

    if passed:
        cases = tuple(CaseVerdict(f"random {i}: shape (2, 3)", True) for i in range(1, 9))
        return Verdict("momentum", True, 1234, "ok", "all 8 cases passed", cases, output="")
    cases = (
        CaseVerdict(
            "random 1: shape (2, 3)",
            False,
            "result[0]: largest error 0.21 at [1, 2]",
            details=("expected: [[0.1, 0.2, 0.3], ...]", "got:      [[0.3, 0.1, 0.2], ...]"),
        ),
        *(CaseVerdict(f"random {i}: shape (2, 3)", False, "result[0]: largest error 0.1 at [0, 0]") for i in range(2, 5)),
        *(CaseVerdict(f"random {i}: shape (1, 1)", True) for i in range(5, 9)),
    )
    return Verdict(
        "momentum",
        False,
        1234,
        "ok",
        "4 of 8 cases failed",
        cases,
        diagnosis=(Diagnosis("no-average", "You stepped with the raw gradient instead of the moving average v."),),
        output="stepping\nstepping\n",
    )


class FakeChecker:
    """Passes code containing the moving average, fails the rest; counts calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.closed = False

    def check(self, exercise: Any, source: str, filename: str) -> Any:
        self.calls.append(source)
        return fixed_verdict("beta * v" in source and "NotImplementedError" not in source)

    def run(self, request: Any) -> Any:
        raise RuntimeError("the fake checker runs no learner code")

    def warm(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def make_app(course, home):
    """``make_app(lesson_id=None, checker=FakeChecker(), position=None)`` → a TutorApp on ``home``."""
    from tutor.app.app import TutorApp

    stores: list[Store] = []

    def make(*, lesson_id: str | None = None, checker: Any = "fake", position: tuple[str, str] | None = None, at: Path | None = None):
        where = at or home
        store = Store.open(where)
        stores.append(store)
        if position is not None:
            store.set_position(*position)
        chk = FakeChecker() if checker == "fake" else checker
        return TutorApp(course, store, Workspace(where), lesson_id=lesson_id, checker=chk, deterministic=True)

    yield make
    for s in stores:
        s.close()


def fixed_home(name: str) -> Path:
    """A TUTOR_HOME at a fixed path (its path shows on screen, so snapshots need it fixed)."""
    path = Path("/tmp/tutor-app-snapshots") / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


async def type_text(pilot: Any, text: str) -> None:
    """Type ``text`` key by key, as a learner would."""
    names = {"\n": "enter", " ": "space", "\t": "tab"}
    for ch in text:
        await pilot.press(names.get(ch, ch))


async def settle(pilot: Any, seconds: float = 0.1) -> None:
    """Wait for the start-up to finish (first step and outline mounted), workers, the screen."""
    for _ in range(200):
        if getattr(pilot.app.main_screen, "ready", True):
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
