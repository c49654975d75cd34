"""Fixtures for the progress store, the workspace and the progress commands.

The commands are run in-process through ``tutor.cli.main`` with ``TUTOR_HOME`` in ``tmp_path``.
They read a small hand-built course (two modules, three lessons, three exercises) so that these
tests do not depend on the shipped lessons; ``course_v2`` is the same course after an update that
renamed lesson 7.2 to 7.9, dropped the exercise ``momentum`` and renamed a step of 7.1.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.course.model import (
    Choice,
    Course,
    Exercise,
    ExerciseStep,
    Lesson,
    Module,
    QuizStep,
    TextStep,
)

COMMANDS = ("list", "progress", "hint", "solution", "reset")


def _exercise(eid: str, hints: int = 3) -> Exercise:
    return Exercise(
        id=eid,
        title=f"The {eid} exercise",
        names=(f"{eid}_fn",),
        instructions="Write it.",
        starter=f"def {eid}_fn(x):\n    raise NotImplementedError\n",
        hints=tuple(f"hint {i} for {eid}" for i in range(1, hints + 1)),
        reference="tutor.core.optimizers",
        cases="tutor.exercises.fake.cases",
        solution=f"def {eid}_fn(x):\n    return x  # the {eid} solution\n",
    )


def _lesson(lid: str, title: str, module: str, exercises: tuple[Exercise, ...], text_id: str = "idea") -> Lesson:
    steps = [
        TextStep(id=text_id, title="Idea", markdown="text"),
        QuizStep(id="quiz", title="Quiz", question="?", explanation="!", choices=(Choice("a", True), Choice("b"))),
    ]
    steps += [ExerciseStep(id=e.id, title=e.title, exercise=e) for e in exercises]
    return Lesson(id=lid, title=title, summary="", minutes=5, steps=tuple(steps), module_id=module)


def build_course(v2: bool = False) -> Course:
    sgd, momentum, adam = _exercise("sgd"), _exercise("momentum", hints=2), _exercise("adam")
    lessons7 = (
        _lesson("7.1", "Mini-batch SGD", "7", (sgd,), text_id="idea-v2" if v2 else "idea"),
        _lesson("7.9", "Momentum, renamed", "7", ()) if v2 else _lesson("7.2", "Momentum", "7", (momentum,)),
        _lesson("7.7", "Adam", "7", (adam,)),
    )
    lessons8 = (_lesson("8.1", "Overfitting", "8", ()),)
    modules = (Module("7", "Optimizers", lessons7), Module("8", "Regularization", lessons8))
    exercises = {e.id: e for x in lessons7 + lessons8 for e in x.exercises}
    return Course(title="Test course", modules=modules, exercises=exercises, root=Path("/nonexistent"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(h))
    return h


class FakeStdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def course_holder(monkeypatch: pytest.MonkeyPatch) -> dict[str, Course]:
    """Makes every progress command load ``holder["course"]`` (swap it to simulate an update)."""
    import importlib

    holder = {"course": build_course()}
    for name in COMMANDS:
        mod = importlib.import_module(f"tutor.commands.{name}")
        monkeypatch.setattr(mod, "load", lambda args: holder["course"])
    return holder


@pytest.fixture
def tutor(
    home: Path, course_holder: dict[str, Course], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """``tutor("hint", "adam", stdin="y\\n", tty=True) -> (exit code, stdout, stderr)``."""

    def run(*argv: str, stdin: str = "", tty: bool = False) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin, tty))
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
