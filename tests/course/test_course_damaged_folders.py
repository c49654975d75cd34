"""Broken course *folders* (issue 11): what cannot be written as one YAML file in ``malformed/`` —
FIFOs, symlink loops, unreadable folders, non-UTF-8 bytes, oversized files — and the breakages
that used to hang or crash the commands, run through ``tutor validate``/``list``/``start``/``check``.

Each case must give a clear error naming the path (and the line where the input has one): no
traceback, no hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tutor.course import CourseError, load_course, validate_course

from .conftest import WRAPPER

Build = Callable[[Path], tuple[Path, int, str]]  # mutate the course; (path named, line, words)
CASES: dict[str, Build] = {}


def case(fn: Build) -> Build:
    CASES[fn.__name__] = fn
    return fn


@case
def fifo_lesson_file(root: Path) -> tuple[Path, int, str]:
    os.mkfifo(root / "m" / "zz.yaml")
    return root / "m" / "zz.yaml", 0, "FIFO"


@case
def fifo_course_file(root: Path) -> tuple[Path, int, str]:
    (root / "course.yaml").unlink()
    os.mkfifo(root / "course.yaml")
    return root / "course.yaml", 0, "FIFO"


@case
def fifo_exercise_file(root: Path) -> tuple[Path, int, str]:
    os.mkfifo(root / "exercises" / "zz.yaml")
    return root / "exercises" / "zz.yaml", 0, "FIFO"


@case
def fifo_notation_page(root: Path) -> tuple[Path, int, str]:
    course = root / "course.yaml"
    course.write_text(course.read_text() + "notation: notation.md\n")
    os.mkfifo(root / "notation.md")
    return root / "course.yaml", 9, "FIFO"


@case
def symlink_loop_lesson(root: Path) -> tuple[Path, int, str]:
    (root / "m" / "loop.yaml").symlink_to("loop.yaml")
    return root / "m" / "loop.yaml", 0, "symbolic link loop"


@case
def dangling_symlink_exercise(root: Path) -> tuple[Path, int, str]:
    (root / "exercises" / "gone.yaml").symlink_to(root / "nowhere.yaml")
    return root / "exercises" / "gone.yaml", 0, "leads nowhere"


@case
def folder_named_like_a_lesson(root: Path) -> tuple[Path, int, str]:
    (root / "m" / "more.yaml").mkdir()
    return root / "m" / "more.yaml", 0, "is a folder"


@case
def latin1_lesson(root: Path) -> tuple[Path, int, str]:
    path = root / "m" / "00_base.yaml"
    path.write_bytes(path.read_bytes().replace(b"A lesson that validates.", "Ein Übungsbeispiel.".encode("latin-1")))
    return path, 4, "not UTF-8 text: byte 0xdc at line 4"


@case
def latin1_exercise(root: Path) -> tuple[Path, int, str]:
    path = root / "exercises" / "00_demo.yaml"
    path.write_bytes(path.read_bytes().replace(b"Return twice x.", b"Return twice x \xb7 2."))
    return path, 8, "not UTF-8 text"


@case
def latin1_notation_page(root: Path) -> tuple[Path, int, str]:
    course = root / "course.yaml"
    course.write_text(course.read_text() + "notation: notation.md\n")
    (root / "notation.md").write_bytes(b"# Notation\n\nalpha: \xe1\n")
    return root / "notation.md", 3, "not UTF-8 text"


@case
def oversized_lesson(root: Path) -> tuple[Path, int, str]:
    path = root / "m" / "00_base.yaml"
    path.write_text(path.read_text() + "#" + "x" * (2 << 20) + "\n")
    return path, 0, "too large"


@case
def module_dir_is_a_file(root: Path) -> tuple[Path, int, str]:
    course = root / "course.yaml"
    course.write_text(course.read_text().replace("dir: m", "dir: m.txt"))
    (root / "m.txt").write_text("not a folder")
    return course, 6, 'folder "m.txt" not found'


@case
def module_dir_is_a_symlink_loop(root: Path) -> tuple[Path, int, str]:
    course = root / "course.yaml"
    course.write_text(course.read_text().replace("dir: m", "dir: loop"))
    (root / "loop").symlink_to("loop")
    return course, 6, 'folder "loop" not found'


@case
def course_file_is_a_folder(root: Path) -> tuple[Path, int, str]:
    (root / "course.yaml").unlink()
    (root / "course.yaml").mkdir()
    return root / "course.yaml", 0, "is a folder"


@case
def python_dir_is_a_symlink_loop(root: Path) -> tuple[Path, int, str]:
    import shutil

    shutil.rmtree(root / "py")
    (root / "py").symlink_to("py")
    return root / "course.yaml", 8, 'folder "py" not found'


@case
def deeply_nested_list_20000(root: Path) -> tuple[Path, int, str]:
    path = root / "m" / "00_base.yaml"
    path.write_text(path.read_text().replace("minutes: 5", "minutes: " + "[" * 20_000 + "]" * 20_000))
    return path, 5, "nested too deeply"


@case
def unreadable_module_folder(root: Path) -> tuple[Path, int, str]:
    """As root (CI) permissions do not stop reading: the listing is made to fail instead."""
    folder = root / "m"
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # noqa: ANN202
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    Path.iterdir = iterdir  # type: ignore[method-assign]  # undone by the test
    return folder, 0, "cannot list the folder: Permission denied"


@case
def unreadable_lesson_file(root: Path) -> tuple[Path, int, str]:
    path = root / "m" / "00_base.yaml"
    real_open = os.open

    def fake_open(p, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if os.fspath(p) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(p))
        return real_open(p, flags, *args, **kwargs)

    os.open = fake_open  # type: ignore[assignment]  # undone by the test
    return path, 0, "cannot read: Permission denied"


@pytest.fixture
def course_copy(tmp_path: Path):
    import shutil

    root = tmp_path / "course"
    shutil.copytree(WRAPPER, root, ignore=shutil.ignore_patterns("__pycache__"))
    real_iterdir, real_open = Path.iterdir, os.open
    yield root
    Path.iterdir, os.open = real_iterdir, real_open  # type: ignore[method-assign]


def test_the_corpus_and_the_malformed_files_make_more_than_fifty_one_breakages() -> None:
    from .test_course_malformed import CASES as MALFORMED_FILES

    assert len(CASES) + len(MALFORMED_FILES) > 51


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_damaged_course_folder_is_an_error_naming_the_path(course_copy: Path, name: str) -> None:
    path, line, words = CASES[name](course_copy)
    result = validate_course(course_copy)
    assert not result.ok
    named = [e for e in result.errors if e.path == path]
    assert named, "\n".join(map(str, result.errors))
    assert any(e.line == line and words in e.message for e in named), "\n".join(map(str, named))
    with pytest.raises(CourseError):
        load_course(course_copy)


# -- the commands, in a fresh process: exit 2, a message, no traceback, no hang -------------------


def tutor(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_CACHE": str(home / "cache"), **env}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=e, timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("command", ["validate", "list", "start"])
def test_commands_on_a_20000_deep_list_exit_2_without_a_traceback(course_copy: Path, tmp_path: Path, command: str) -> None:
    path = course_copy / "m" / "00_base.yaml"
    path.write_text(path.read_text().replace("minutes: 5", "minutes: " + "[" * 20_000 + "]" * 20_000))
    args = ["validate", str(course_copy)] if command == "validate" else ["--lessons", str(course_copy), command]
    r = tutor(*args, home=tmp_path / "home")
    assert r.returncode == 2, r.stderr
    out = r.stdout + r.stderr
    assert "Traceback" not in out and "00_base.yaml:5" in out and "nested too deeply" in out


def test_validate_stops_a_check_that_loops_forever(course_copy: Path, tmp_path: Path) -> None:
    path = course_copy / "m" / "00_base.yaml"
    path.write_text(path.read_text().replace('code: "2 * 0.25"', 'code: "sum(1 for _ in iter(int, 1))"'))
    r = tutor("validate", str(course_copy), home=tmp_path / "home", TUTOR_CHECK_SECONDS="2")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "00_base.yaml:13: steps[0].checks[0].code: did not finish in 2 s" in r.stdout


def test_check_refuses_an_alias_bomb_at_once(course_copy: Path, tmp_path: Path) -> None:
    path = course_copy / "exercises" / "00_demo.yaml"
    bomb = "\n".join(
        [
            "edge_cases:",
            "  - name: bomb",
            "    call: double",
            "    args:",
            "      a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
            *(f"      {n}: &{n} [{', '.join([f'*{p}'] * 10)}]" for p, n in zip("abcdefg", "bcdefgh")),
            "      x: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]",
            "instructions:",
        ]
    )
    path.write_text(path.read_text().replace("instructions:", bomb))
    learner = tmp_path / "double.py"
    learner.write_text("def double(x):\n    return 2 * x\n")
    r = tutor("--lessons", str(course_copy), "check", "demo", "--file", str(learner), home=tmp_path / "home")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "aliases expand to more than" in r.stderr and "00_demo.yaml:" in r.stderr
