"""The SQLite store: round trips, transactions, migrations, damaged files, unusable homes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.progress import store as store_mod
from tutor.progress.store import DB_NAME, MIGRATIONS, Store, StoreError, record_check


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path)
    yield s
    s.close()


# -- opening ------------------------------------------------------------------------------------


def test_open_creates_a_wal_database_at_the_latest_schema(tmp_path: Path) -> None:
    home = tmp_path / "a" / "b"
    with Store.open(home) as s:
        assert s.path == home / DB_NAME and s.path.is_file()
        assert s.schema_version == len(MIGRATIONS)
        assert s.notice == ""
        conn = s._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: safe in WAL mode


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        aid = s.record_attempt("adam", True, 8, 8, "code", 42)
        s.mark_done("7.7/idea")
        s.set_position("7.7", "idea")
    with Store.open(tmp_path) as s:
        assert [a.id for a in s.attempts("adam")] == [aid]
        assert s.done_steps() == {"7.7/idea"}
        assert s.position() == ("7.7", "idea")


# -- round trips --------------------------------------------------------------------------------


def test_steps_seen_and_done_with_times(store: Store) -> None:
    store.mark_seen("7.1/idea")
    assert store.seen_steps() == {"7.1/idea"} and store.done_steps() == set()
    store.mark_done("7.1/idea")
    first = store.steps()["7.1/idea"].done_at
    store.mark_done("7.1/idea")
    rec = store.steps()["7.1/idea"]
    assert rec.done_at == first  # the first done time is kept
    assert rec.first_seen <= rec.last_seen
    store.mark_done("7.1/quiz")  # done without seen first: seen too
    assert store.seen_steps() == {"7.1/idea", "7.1/quiz"}


def test_quiz_answers_keep_the_latest_and_count_tries(store: Store) -> None:
    assert store.quiz_answer("7.7/q") is None
    store.record_quiz("7.7/q", [0, 2], False)
    store.record_quiz("7.7/q", 0.1, True)
    q = store.quiz_answer("7.7/q")
    assert q is not None and q.answer == 0.1 and q.correct and q.tries == 2
    assert set(store.quiz_answers()) == {"7.7/q"}


def test_attempts_are_recorded_in_order_with_everything(store: Store) -> None:
    a1 = store.record_attempt("adam", False, 3, 10, "def f(): pass\n", 7)
    a2 = store.record_attempt("adam", True, 10, 10, "ok", None)
    store.record_attempt("sgd", False, 0, 9, "x", 1)
    got = store.attempts("adam")
    assert [a.id for a in got] == [a1, a2]
    assert (got[0].passed, got[0].cases_passed, got[0].cases_total, got[0].code, got[0].seed) == (
        False, 3, 10, "def f(): pass\n", 7)
    assert got[1].passed and got[1].seed is None
    assert len(store.attempts()) == 3
    assert store.exercise_done("adam") and not store.exercise_done("sgd")


def test_record_check_helper_opens_records_and_closes(tmp_path: Path) -> None:
    aid = record_check(tmp_path, "adam", True, 12, 12, "code", 5)
    with Store.open(tmp_path) as s:
        (a,) = s.attempts("adam")
        assert a.id == aid and a.passed and a.cases_passed == 12 and a.seed == 5
        assert s.exercise_done("adam")


def test_hints_are_revealed_one_at_a_time_up_to_the_number_available(store: Store) -> None:
    assert store.hints_revealed("adam") == 0
    assert [store.reveal_hint("adam", available=2) for _ in range(4)] == [1, 2, 2, 2]
    assert store.hints_revealed("adam") == 2


def test_solution_revealed_is_recorded_once(store: Store) -> None:
    assert not store.solution_revealed("adam")
    store.reveal_solution("adam")
    store.reveal_solution("adam")
    assert store.solution_revealed("adam")
    assert store.exercise_summaries()["adam"].solution_revealed


def test_position_time_and_settings(store: Store) -> None:
    assert store.position() is None
    store.set_position("7.1", "idea")
    store.set_position("7.2", "quiz")
    assert store.position() == ("7.2", "quiz")
    store.add_time("7.1", 30)
    store.add_time("7.1", 12.5)
    store.add_time("7.1", float("nan"))
    store.add_time("7.1", -5)
    assert store.time_spent() == {"7.1": 42.5}
    assert store.get_setting("theme", "light") == "light"
    store.set_setting("theme", {"name": "dark", "size": 2})
    assert store.get_setting("theme") == {"name": "dark", "size": 2}


def test_exercise_summaries_include_ids_with_only_hints(store: Store) -> None:
    store.record_attempt("adam", False, 3, 10, "c", 1)
    store.record_attempt("adam", False, 7, 10, "c", 2)
    store.record_attempt("adam", False, 5, 10, "c", 3)
    store.reveal_hint("sgd")
    s = store.exercise_summaries()
    assert s["adam"].attempts == 3 and not s["adam"].passed and s["adam"].best_cases == (7, 10)
    assert s["sgd"].attempts == 0 and s["sgd"].hints_revealed == 1 and s["sgd"].best_cases is None


def test_forget_a_lesson_matches_its_prefix_exactly(store: Store) -> None:
    for key in ("7.1/idea", "7.10/idea", "7.1/sgd", "7.2/idea"):
        store.mark_done(key)
    store.record_quiz("7.1/quiz", 1, True)
    store.add_time("7.1", 10)
    store.add_time("7.10", 10)
    exported = store.export(lesson_ids=["7.1"])
    assert {r["step_key"] for r in exported["steps"]} == {"7.1/idea", "7.1/sgd"}
    store.forget(lesson_ids=["7.1"])
    assert store.done_steps() == {"7.10/idea", "7.2/idea"}
    assert store.quiz_answer("7.1/quiz") is None
    assert store.time_spent() == {"7.10": 10.0}


def test_forget_an_exercise_and_its_steps(store: Store) -> None:
    store.record_attempt("adam", True, 1, 1, "c", 1)
    store.record_attempt("sgd", True, 1, 1, "c", 1)
    store.reveal_hint("adam")
    store.mark_done("7.7/adam")
    store.mark_done("7.7/idea")
    exported = store.export(exercise_ids=["adam"], step_keys=["7.7/adam"])
    assert len(exported["attempts"]) == 1 and len(exported["exercises"]) == 1 and len(exported["steps"]) == 1
    store.forget(exercise_ids=["adam"], step_keys=["7.7/adam"])
    assert not store.exercise_done("adam") and store.hints_revealed("adam") == 0
    assert store.exercise_done("sgd")
    assert store.done_steps() == {"7.7/idea"}


def test_forget_everything_keeps_settings(store: Store) -> None:
    store.record_attempt("adam", True, 1, 1, "c", 1)
    store.mark_done("7.7/idea")
    store.set_position("7.7", "idea")
    store.set_setting("theme", "dark")
    assert len(store.export()["attempts"]) == 1
    store.forget()
    assert store.attempts() == [] and store.done_steps() == set() and store.position() is None
    assert store.get_setting("theme") == "dark"


def test_forget_hands_over_the_records_first_and_deletes_nothing_if_that_fails(store: Store) -> None:
    store.record_attempt("adam", True, 1, 1, "precious", 1)

    def cannot_keep(records: dict) -> None:
        assert [a["code"] for a in records["attempts"]] == ["precious"]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        store.forget(exercise_ids=["adam"], keep=cannot_keep)
    assert len(store.attempts("adam")) == 1
    kept: list[dict] = []
    gone = store.forget(exercise_ids=["adam"], keep=kept.append)
    assert kept == [gone] and [a["code"] for a in gone["attempts"]] == ["precious"]
    assert store.attempts("adam") == []


def test_a_failed_transaction_is_rolled_back(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store._write() as c:
            c.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
            raise RuntimeError("boom")
    assert store.get_setting("x") is None
    store.set_setting("y", 2)  # the connection is usable afterwards
    assert store.get_setting("y") == 2


# -- migrations -----------------------------------------------------------------------------------


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE attempts ADD COLUMN seconds REAL")
    conn.execute("UPDATE attempts SET seconds = 0")


def test_forward_migration_keeps_data(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        s.record_attempt("adam", True, 1, 1, "c", 1)
    with Store.open(tmp_path, migrations=(*MIGRATIONS, _v2)) as s:
        assert s.schema_version == len(MIGRATIONS) + 1
        assert s._conn.execute("SELECT seconds FROM attempts").fetchall() == [(0,)]
        assert len(s.attempts("adam")) == 1


def test_a_failing_migration_leaves_the_old_schema_intact(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        s.record_attempt("adam", True, 1, 1, "c", 1)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE attempts ADD COLUMN z REAL")
        raise sqlite3.OperationalError("simulated failure mid-migration")

    with pytest.raises(StoreError):
        Store.open(tmp_path, migrations=(*MIGRATIONS, broken))
    with Store.open(tmp_path) as s:
        assert s.schema_version == len(MIGRATIONS)
        cols = [r[1] for r in s._conn.execute("PRAGMA table_info(attempts)")]
        assert "z" not in cols and len(s.attempts()) == 1


def test_a_database_from_a_newer_tutor_is_refused_not_touched(tmp_path: Path) -> None:
    with Store.open(tmp_path, migrations=(*MIGRATIONS, _v2)):
        pass
    before = (tmp_path / DB_NAME).read_bytes()
    with pytest.raises(StoreError, match="newer version of tutor") as e:
        Store.open(tmp_path)
    assert str(tmp_path) in str(e.value)
    assert (tmp_path / DB_NAME).read_bytes() == before
    assert not list(tmp_path.glob("*.damaged-*"))


# -- damaged files --------------------------------------------------------------------------------


def _valid_db_bytes(tmp_path: Path, attempts: int = 200) -> bytes:
    src = tmp_path / "src"
    with Store.open(src) as s:
        with s._write() as c:  # one transaction: fast even where fsync is slow
            c.executemany(
                "INSERT INTO attempts (exercise_id, at, passed, cases_passed, cases_total, code, seed) "
                "VALUES ('adam', 0, 0, 1, 2, ?, ?)",
                [("x = 1\n" * 50, i) for i in range(attempts)],
            )
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return (src / DB_NAME).read_bytes()


def _damaged(tmp_path: Path, variant: str) -> bytes:
    if variant == "random bytes":
        return os.urandom(8192)
    if variant == "text file":
        return b"this is not a database\n" * 100
    good = _valid_db_bytes(tmp_path)
    page = 4096
    assert len(good) > 20 * page
    if variant == "truncated header":
        return good[:50]
    if variant == "truncated half":
        return good[: len(good) // 2]
    assert variant == "corrupt pages"
    corrupt = bytearray(good)
    for p in range(2, len(good) // page):  # keep the header page, scramble every b-tree page
        corrupt[p * page : p * page + 64] = os.urandom(64)
    return bytes(corrupt)


@pytest.mark.parametrize(
    "variant", ["random bytes", "text file", "truncated header", "truncated half", "corrupt pages"]
)
def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(tmp_path: Path, variant: str) -> None:
    data = _damaged(tmp_path, variant)
    home = tmp_path / "home"
    home.mkdir()
    (home / DB_NAME).write_bytes(data)
    (home / f"{DB_NAME}-wal").write_bytes(b"junk wal")
    with Store.open(home) as s:
        assert "damaged" in s.notice and "moved to" in s.notice and "recovered" in s.notice
        (kept,) = list(home.glob(f"{DB_NAME}.damaged-*[0-9]"))
        assert str(kept) in s.notice
        assert kept.read_bytes() == data  # the damaged file is kept as it was
        if variant in ("random bytes", "text file", "truncated header"):
            # refused before SQLite opened it: its companion is kept as it was, too. (A file with a
            # valid header is opened first; SQLite itself discards a WAL with an invalid header.)
            assert (kept.parent / f"{kept.name}-wal").read_bytes() == b"junk wal"
        assert not (home / f"{DB_NAME}-wal").exists() or (home / f"{DB_NAME}-wal").read_bytes() != b"junk wal"
        salvaged = s.attempts()  # a fresh start, holding what could still be read
        assert len(salvaged) <= 200 and f"{len(salvaged)} record" in s.notice
        s.record_attempt("adam", True, 1, 1, "c", 1)
    with Store.open(home) as s:
        assert s.notice == "" and len(s.attempts()) == len(salvaged) + 1


def test_an_empty_file_is_a_fresh_database_not_damage(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"")
    with Store.open(tmp_path) as s:
        assert s.notice == ""
        assert s.schema_version == len(MIGRATIONS)


def test_two_damaged_files_in_the_same_second_are_both_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "_timestamp", lambda: "20260101-000000")
    for payload in (b"first", b"second"):
        (tmp_path / DB_NAME).write_bytes(payload * 100)
        Store.open(tmp_path).close()
    kept = sorted(p.name for p in tmp_path.glob(f"{DB_NAME}.damaged-*"))
    assert kept == [f"{DB_NAME}.damaged-20260101-000000", f"{DB_NAME}.damaged-20260101-000000-1"]


# -- unusable homes ----------------------------------------------------------------------------------


def test_a_home_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    home = blocker / "home"
    with pytest.raises(StoreError) as e:
        Store.open(home)
    msg = str(e.value)
    assert str(home) in msg and "not a folder" in msg and "TUTOR_HOME" in msg


def test_a_home_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "file"
    home.write_text("x")
    with pytest.raises(StoreError, match="not a folder") as e:
        Store.open(home)
    assert str(home) in str(e.value)


def test_a_database_path_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).mkdir()
    with pytest.raises(StoreError) as e:
        Store.open(tmp_path)
    assert str(tmp_path) in str(e.value)


def _fill(store: Store) -> None:
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        kept = s.record_attempt("adam", False, 1, 2, "small", 1)
        _fill(s)
        with pytest.raises(StoreError) as e:
            s.record_attempt("adam", True, 2, 2, "x" * 200_000, 2)
        msg = str(e.value)
        assert "disk is full" in msg and str(tmp_path) in msg
        assert [a.id for a in s.attempts("adam")] == [kept]  # the failed write was rolled back
        assert s._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_injected_write_errors_become_store_errors(tmp_path: Path) -> None:
    class Failing:
        """A connection whose writes fail as on a full disk."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self._c = conn

        @property
        def in_transaction(self) -> bool:
            return self._c.in_transaction

        def execute(self, sql: str, *a: object):
            if sql.startswith(("INSERT", "UPDATE")):
                err = sqlite3.OperationalError("database or disk is full")
                raise err
            return self._c.execute(sql, *a)

        def close(self) -> None:
            self._c.close()

    s = Store.open(tmp_path)
    s._conn = Failing(s._conn)  # type: ignore[assignment]
    try:
        for write in (
            lambda: s.mark_done("7.1/idea"),
            lambda: s.record_quiz("7.1/q", 1, True),
            lambda: s.reveal_hint("adam"),
            lambda: s.set_setting("a", 1),
        ):
            with pytest.raises(StoreError, match="disk is full"):
                write()
    finally:
        s.close()


def test_a_locked_database_times_out_with_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 50)
    a = Store.open(tmp_path)
    b = Store.open(tmp_path)
    try:
        a._conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="locked") as e:
            b.set_setting("x", 1)
        assert str(tmp_path) in str(e.value)
        a._conn.execute("ROLLBACK")
        b.set_setting("x", 1)
    finally:
        a.close()
        b.close()


# -- imports --------------------------------------------------------------------------------------------


def test_progress_imports_neither_numpy_nor_textual() -> None:
    code = (
        "import sys, tutor.progress, tutor.progress.status;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('numpy', 'textual')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_damaged_file_already_replaced_by_another_process_is_not_moved(tmp_path: Path) -> None:
    """Two tutors find the same damaged file: the second must not move the first one's fresh db."""
    (tmp_path / DB_NAME).write_bytes(b"garbage" * 100)
    damaged_inode = os.stat(tmp_path / DB_NAME).st_ino
    with Store.open(tmp_path) as first:  # moves it aside, starts fresh
        first.record_attempt("adam", True, 1, 1, "c", 1)
        assert store_mod._move_aside(tmp_path / DB_NAME, damaged_inode) is None
    with Store.open(tmp_path) as s:
        assert s.notice == "" and len(s.attempts()) == 1
    assert len(list(tmp_path.glob(f"{DB_NAME}.damaged-*"))) == 1


def test_a_folder_sqlite_cannot_write_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a normal user a read-only folder fails like this (CI runs as root, so it is injected)."""

    def refuse(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(store_mod, "_connect", refuse)
    with pytest.raises(StoreError) as e:
        Store.open(tmp_path)
    msg = str(e.value)
    assert str(tmp_path) in msg and "cannot be written" in msg and "TUTOR_HOME" in msg
    assert not list(tmp_path.glob("*.damaged-*"))  # not mistaken for damage
