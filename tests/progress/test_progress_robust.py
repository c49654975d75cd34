"""The store under damage (issue 11): a damaged page is salvaged row by row, a FIFO or a folder
in place of ``progress.db`` is refused at once, a dropped table comes back, and a full disk or a
read-only folder is called what it is (SQLite says "disk I/O error")."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.progress import store as store_mod
from tutor.progress.store import DB_NAME, Store, StoreError

PAGE = 4096
CODE = "x = 1\n" * 50


def _database_with_attempts(home: Path, n: int = 300) -> None:
    with Store.open(home) as s:
        with s._write() as c:
            c.executemany(
                "INSERT INTO attempts (exercise_id, at, passed, cases_passed, cases_total, code, seed) "
                "VALUES ('adam', 0, 0, 1, 2, ?, ?)",
                [(CODE, i) for i in range(n)],
            )
        s.mark_done("7.1/intro")
        s.set_position("7.1", "intro")
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _damage_one_leaf(db: Path) -> int:
    """Scramble one table-leaf page holding attempts, in the middle of the file; return its number."""
    data = bytearray(db.read_bytes())
    pages = len(data) // PAGE
    leaves = [
        p for p in range(1, pages)
        if data[p * PAGE] == 0x0D and CODE.encode()[:12] in data[p * PAGE : (p + 1) * PAGE]
    ]
    victim = leaves[len(leaves) // 2]
    data[victim * PAGE : victim * PAGE + 200] = os.urandom(200)
    db.write_bytes(bytes(data))
    return victim


def test_one_damaged_page_keeps_every_other_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _database_with_attempts(home)
    _damage_one_leaf(home / DB_NAME)
    damaged = (home / DB_NAME).read_bytes()
    with Store.open(home) as s:
        kept = list(home.glob(f"{DB_NAME}.damaged-*[0-9]"))
        assert len(kept) == 1 and kept[0].read_bytes() == damaged  # kept beside, untouched
        attempts = s.attempts()
        assert 250 <= len(attempts) < 300  # one page holds about a dozen attempts
        assert all(a.code == CODE for a in attempts)
        assert "7.1/intro" in s.done_steps() and s.position() == ("7.1", "intro")
        assert f"{len(attempts) + 2} records" in s.notice and str(kept[0]) in s.notice
        assert s.notice.count("recovered") == 1
    with sqlite3.connect(home / DB_NAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling symlink", "fifo wal"])
def test_a_progress_db_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / DB_NAME
    if kind == "fifo":
        os.mkfifo(db)
    elif kind == "folder":
        db.mkdir()
    elif kind == "dangling symlink":
        db.symlink_to(tmp_path / "nowhere")
    else:
        Store.open(home).close()
        os.mkfifo(home / f"{DB_NAME}-wal")
    with pytest.raises(StoreError) as info:
        Store.open(home)
    message = str(info.value)
    assert str(home) in message
    expected = {"fifo": "FIFO", "folder": "a folder", "dangling symlink": "symbolic link", "fifo wal": "FIFO"}[kind]
    assert expected in message


@pytest.mark.parametrize("command", [["progress"], ["check", "momentum", "--file", "{file}"]])
def test_commands_do_not_hang_on_a_fifo_progress_db(tmp_path: Path, command: list[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / DB_NAME)
    learner = tmp_path / "m.py"
    learner.write_text("def momentum_update(w, dw, v, lr, beta=0.9):\n    return w, v\n")
    env = {**os.environ, "TUTOR_HOME": str(home)}
    args = [a.format(file=learner) for a in command]
    r = subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 2, r.stderr
    assert "FIFO" in r.stderr and "Traceback" not in r.stderr
    if command[0] == "check":
        assert "momentum" in r.stdout.lower() and "case" in r.stdout  # the verdict is printed first
        assert "not recorded" in r.stderr


@pytest.mark.parametrize("table", ["attempts", "steps", "settings", "schema_version"])
def test_a_dropped_table_is_recreated(tmp_path: Path, table: str) -> None:
    with Store.open(tmp_path) as s:
        s.mark_done("7.1/intro")
        s.record_attempt("adam", True, 1, 1, "c", 1)
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute(f"DROP TABLE {table}")
    with Store.open(tmp_path) as s:
        assert s.schema_version == len(store_mod.MIGRATIONS)
        s.set_setting("theme", "x")
        s.record_attempt("adam", False, 0, 1, "c", 2)
        s.mark_done("7.1/more")
        assert s.get_setting("theme") == "x"
        if table != "attempts":
            assert len(s.attempts()) == 2
        if table != "steps":
            assert "7.1/intro" in s.done_steps()


def test_a_table_dropped_while_open_comes_back(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        with sqlite3.connect(tmp_path / DB_NAME) as other:
            other.execute("DROP TABLE steps")
        assert s.done_steps() == set()  # read: recreated, then read again
        with sqlite3.connect(tmp_path / DB_NAME) as other:
            other.execute("DROP TABLE position")
        with pytest.raises(StoreError, match="recreated"):
            s.set_position("7.1", "a")
        s.set_position("7.1", "a")  # the next write goes through
        assert s.position() == ("7.1", "a")


class _FakeVfs:
    def __init__(self, free: int, readonly: bool = False) -> None:
        self.f_bavail, self.f_frsize = free, 1
        self.f_flag = os.ST_RDONLY if readonly else 0


def test_an_io_error_on_a_full_disk_is_called_a_full_disk(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_mod.os, "statvfs", lambda _p: _FakeVfs(free=4096))
    err = store_mod._explain(sqlite3.OperationalError("disk I/O error"), tmp_path, "save your progress")
    assert "the disk is full" in str(err) and str(tmp_path) in str(err)


def test_an_io_error_on_a_read_only_folder_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_mod.os, "statvfs", lambda _p: _FakeVfs(free=1 << 40, readonly=True))
    err = store_mod._explain(sqlite3.OperationalError("disk I/O error"), tmp_path, "save your progress")
    assert "cannot be written" in str(err)


def test_a_full_disk_during_a_write_is_a_store_error_then_the_next_write_retries(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        pages = s._conn.execute("PRAGMA page_count").fetchone()[0]
        s._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="the disk is full"):
            s.record_attempt("adam", False, 0, 1, "y = 2\n" * 5000, 1)
        s._conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        s.record_attempt("adam", False, 0, 1, "y = 2\n" * 5000, 1)
        assert len(s.attempts()) == 1


def test_a_real_full_disk_is_called_so_and_the_next_write_works(tmp_path: Path) -> None:
    """On a 256 KiB tmpfs filled to the last byte (root only: mounting needs it; CI is root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with Store.open(mount / "home") as s:
            s.mark_done("7.1/a")
            fill = mount / "fill"
            fd = os.open(fill, os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            with pytest.raises(StoreError) as info:
                for i in range(200):  # until the WAL needs a page the disk does not have
                    s.record_attempt("adam", False, 0, 1, f"x = {i}\n" * 200, i)
            assert "the disk is full" in str(info.value) and "disk I/O error" not in str(info.value).split("(")[0]
            fill.unlink()
            s.record_attempt("adam", True, 1, 1, "ok", 1)
            assert s.attempts("adam")[-1].passed
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)
