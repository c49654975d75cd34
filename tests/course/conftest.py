"""Fixtures for the course tests: a small valid course (``wrapper/``) copied into a temp folder,
with one file replaced or added (the malformed-lesson suite builds one course per broken file)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
WRAPPER = HERE / "wrapper"
MALFORMED = HERE / "malformed"

# where a file of each kind goes inside the wrapper course, and which file it replaces
KINDS = {
    "lesson": ("m", "00_base.yaml"),
    "extra-lesson": ("m", None),
    "exercise": ("exercises", "00_demo.yaml"),
    "extra-exercise": ("exercises", None),
    "course": (".", "course.yaml"),
}


def build_course(tmp: Path, kind: str, name: str, text: str) -> Path:
    """Copy the wrapper course to ``tmp/course`` and put ``text`` in as a ``kind`` file; the file's path."""
    root = tmp / "course"
    shutil.copytree(WRAPPER, root, ignore=shutil.ignore_patterns("__pycache__"))
    folder, replaces = KINDS[kind]
    if replaces is not None:
        (root / folder / replaces).unlink()
    target = root / "course.yaml" if kind == "course" else root / folder / name
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def wrapper_course(tmp_path: Path) -> Path:
    """A copy of the valid wrapper course."""
    root = tmp_path / "course"
    shutil.copytree(WRAPPER, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture
def course_with(tmp_path: Path) -> Callable[[str, str, str], Path]:
    """``course_with(kind, name, text)``: the wrapper course with one file replaced or added."""

    def make(kind: str, name: str, text: str) -> Path:
        return build_course(tmp_path, kind, name, text)

    return make
