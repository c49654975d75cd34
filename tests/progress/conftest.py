"""Fixtures for the progress store, the workspace and the progress commands.

The commands are run in-process through ``tutor.cli.main`` with ``TUTOR_HOME`` in ``tmp_path``.
They read a small hand-built course (``_progress_course.py``) so that these tests do not depend on the
shipped lessons.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tutor.cli import main

if TYPE_CHECKING:
    from tutor.course.model import Course

COMMANDS = ("list", "progress", "hint", "solution", "reset")


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

    from ._progress_course import build_course

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
