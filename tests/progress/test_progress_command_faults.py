"""The commands under faults: unusable homes, full disks, damaged files, a course that changed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tutor.progress import store as store_mod
from tutor.progress import workspace as ws_mod
from tutor.progress.store import DB_NAME, Store

COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("progress",),
    ("progress", "--json"),
    ("hint", "adam"),
    ("solution", "adam", "--yes"),
    ("reset", "adam", "--yes"),
    ("reset", "--all", "--yes"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_home_under_a_regular_file_exits_2_naming_the_folder(
    tutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    home = blocker / "tutor-home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    code, out, err = tutor(*argv)
    assert code == 2
    assert err.startswith("tutor: cannot use ") and str(home) in err and "Traceback" not in err
    assert out == ""


class _FullDisk:
    """A connection whose data writes fail as SQLite fails on a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    @property
    def in_transaction(self) -> bool:
        return self._c.in_transaction

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._c.execute(sql, *args)

    def close(self) -> None:
        self._c.close()


@pytest.mark.parametrize(
    "argv", [("hint", "adam"), ("solution", "adam", "--yes"), ("reset", "7.7", "--yes"), ("reset", "--all", "--yes")],
    ids=" ".join,
)
def test_a_full_disk_exits_2_with_a_clear_message(
    tutor, home: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    with Store.open(home) as s:  # an existing, healthy store
        s.record_attempt("adam", True, 1, 1, "c", 1)
    real = store_mod._connect
    monkeypatch.setattr(store_mod, "_connect", lambda path: _FullDisk(real(path)))
    code, out, err = tutor(*argv)
    assert code == 2
    assert "disk is full" in err and str(home) in err and "Traceback" not in err
    monkeypatch.setattr(store_mod, "_connect", real)
    with Store.open(home) as s:  # nothing was half-done
        assert len(s.attempts("adam")) == 1 and s.hints_revealed("adam") == 0


def test_a_full_disk_with_max_page_count_exits_2(tutor, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real SQLite error: the database may not grow, and the reset's records do not fit."""
    with Store.open(home) as s:
        for i in range(3):
            s.record_attempt("adam", False, 1, 8, "x = 1\n" * 2000, i)
        s.set_setting("y", "z" * 50_000)
    real = store_mod._connect

    def capped(path: Path) -> sqlite3.Connection:
        conn = real(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store_mod, "_connect", capped)
    big = "w = 0.0\n" * 20_000
    with pytest.raises(store_mod.StoreError, match="disk is full"):
        store_mod.record_check(home, "adam", True, 8, 8, big, 9)
    code, out, err = tutor("progress")  # reading still works
    assert code == 0


def test_a_workspace_on_a_full_disk_makes_reset_exit_2_and_forget_nothing(
    tutor, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(home) as s:
        s.record_attempt("adam", True, 1, 1, "c", 1)
    ws_mod.Workspace(home).write("adam", "mine\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ws_mod.os, "fsync", full)
    code, out, err = tutor("reset", "adam", "--yes")
    assert code == 2 and "nothing was reset" in err and "Traceback" not in err
    monkeypatch.undo()
    with Store.open(home) as s:
        assert s.exercise_done("adam")
    assert (home / "workspace" / "adam.py").read_text() == "mine\n"


@pytest.mark.parametrize("payload", [b"\x00garbage" * 512, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_damaged_database_is_reported_and_the_command_goes_on(tutor, home: Path, payload: bytes) -> None:
    home.mkdir()
    (home / DB_NAME).write_bytes(payload)
    code, out, err = tutor("hint", "adam")
    assert code == 0 and "Hint 1 of 3" in out
    assert err.startswith("tutor: your progress database was damaged") and "Traceback" not in err
    (kept,) = home.glob(f"{DB_NAME}.damaged-*")
    assert kept.read_bytes() == payload and str(kept) in err
    code, out, err = tutor("hint", "adam")
    assert code == 0 and "Hint 2 of 3" in out and err == ""


def test_a_course_that_lost_and_renamed_lessons_keeps_the_progress_and_says_so(
    tutor, home: Path, course_holder: dict
) -> None:
    from ._progress_course import build_course

    with Store.open(home) as s:
        s.record_attempt("momentum", True, 8, 8, "my momentum", 1)  # its lesson 7.2 goes away
        s.mark_done("7.2/idea")
        s.add_time("7.2", 300)
        s.mark_done("7.1/idea")  # renamed to idea-v2 in the update
        s.record_attempt("sgd", True, 8, 8, "c", 2)
    course_holder["course"] = build_course(v2=True)

    code, out, err = tutor("progress")
    assert code == 0, err
    assert "1 exercise in your progress is not in this course: momentum" in out
    assert "1 lesson in your progress is not in this course: 7.2" in out
    assert "1 step in your progress is not in this course: 7.1/idea" in out
    doc = json.loads(tutor("progress", "--json")[1])
    assert doc["orphans"] == {"exercises": ["momentum"], "lessons": ["7.2"], "steps": ["7.1/idea"]}
    m7 = doc["modules"][0]
    assert m7["attempts"] == 1 and m7["seconds"] == 0.0  # orphans are not counted
    code, out, _ = tutor("list")
    assert code == 0 and "not in this course: momentum" in out
    # ...and never deleted: the old course sees it all again
    course_holder["course"] = build_course()
    doc = json.loads(tutor("progress", "--json")[1])
    assert doc["orphans"] == {"exercises": [], "lessons": [], "steps": []}
    assert doc["modules"][0]["exercises_done"] == 2 and doc["modules"][0]["seconds"] == 300.0
    with Store.open(home) as s:
        assert s.exercise_done("momentum") and "7.1/idea" in s.done_steps()


def test_an_orphaned_exercise_can_still_be_reset_explicitly(tutor, home: Path, course_holder: dict) -> None:
    from ._progress_course import build_course

    with Store.open(home) as s:
        s.record_attempt("momentum", True, 8, 8, "c", 1)
    course_holder["course"] = build_course(v2=True)
    code, out, err = tutor("reset", "momentum", "--yes")
    assert code == 0, err
    with Store.open(home) as s:
        assert s.attempts("momentum") == []


def test_course_errors_exit_2_without_a_traceback(home: Path, tmp_path: Path, capsys) -> None:
    from tutor.cli import main

    for argv in (["list"], ["progress"], ["hint", "adam"], ["solution", "adam", "--yes"], ["reset", "--all", "--yes"]):
        code = main(["--lessons", str(tmp_path / "missing"), *argv])
        out, err = capsys.readouterr()
        assert code == 2 and err.startswith("tutor: ") and "Traceback" not in err and "missing" in err
