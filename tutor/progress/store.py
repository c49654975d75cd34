"""The progress store: one SQLite file, ``TUTOR_HOME/progress.db``.

What it keeps: steps seen and done (with times), quiz answers, every check attempt (time, passed,
cases passed, the code checked, the seed), hints revealed, the solution revealed or not, the last
position (lesson and step), time spent per lesson, and settings.

How it keeps it:

* WAL journal with ``synchronous=NORMAL`` and a busy timeout, so the app and ``tutor check`` in a
  shell can write at the same time. A commit survives the process being killed at any moment (the
  kill -9 test); after a power cut the last few commits may be missing but the file is consistent.
  (``FULL`` would fsync on every commit — every step the learner opens — on the app's UI thread.)
* Every write is one transaction opened with ``BEGIN IMMEDIATE``: a read-modify-write (the next
  hint) holds the write lock from the read on, so two processes never lose each other's update.
* A ``schema_version`` table and forward migrations (:data:`MIGRATIONS`, one list entry per version).
  A database written by a newer tutor is refused, never rewritten.
* A damaged file (not SQLite, truncated, failing ``PRAGMA integrity_check``) is moved aside to
  ``progress.db.damaged-<time>`` (its ``-wal``/``-shm`` companions with it), a fresh database is
  started, every row still readable in the damaged file is copied into it (:func:`_salvage`), and
  :attr:`Store.notice` says how many were recovered. The damaged file is kept.
* A ``progress.db`` that is not a regular file (a FIFO, a folder, a device) is refused with a
  message, never opened: reading a FIFO would wait forever.
* A table missing from an otherwise sound database is recreated (empty), on opening and when a
  statement meets ``no such table``.
* Any failure the learner's machine can cause (a home under a regular file, a read-only folder,
  a full disk) raises :class:`StoreError` with a message that names the folder and says what it
  is: SQLite reports a disk that filled up during a write as "disk I/O error", so an I/O error
  is explained by looking at the folder's free space and whether it can be written.

Keys: a step is ``"<lesson id>/<step id>"``; exercise progress is keyed by the exercise id.
Progress for ids that are no longer in the course is kept; callers decide what to show.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tutor.record import Record

DB_NAME = "progress.db"
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"

# SQLite primary result codes that mean "this file is damaged" (not "busy" or "cannot write").
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


class StoreError(Exception):
    """The progress store cannot be used; the message is for the learner and names the folder."""


# ---------------------------------------------------------------------------------------------
# Schema and migrations
# ---------------------------------------------------------------------------------------------

_V1 = """
CREATE TABLE steps (
    step_key   TEXT PRIMARY KEY,
    first_seen REAL NOT NULL,
    last_seen  REAL NOT NULL,
    done_at    REAL
);
CREATE TABLE quiz_answers (
    step_key    TEXT PRIMARY KEY,
    answer      TEXT NOT NULL,          -- JSON
    correct     INTEGER NOT NULL,
    tries       INTEGER NOT NULL DEFAULT 1,
    answered_at REAL NOT NULL
);
CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    exercise_id  TEXT NOT NULL,
    at           REAL NOT NULL,
    passed       INTEGER NOT NULL,
    cases_passed INTEGER NOT NULL,
    cases_total  INTEGER NOT NULL,
    code         TEXT NOT NULL,
    seed         INTEGER
);
CREATE INDEX attempts_by_exercise ON attempts (exercise_id, id);
CREATE TABLE exercises (
    exercise_id          TEXT PRIMARY KEY,
    hints_revealed       INTEGER NOT NULL DEFAULT 0,
    solution_revealed_at REAL
);
CREATE TABLE lesson_time (
    lesson_id TEXT PRIMARY KEY,
    seconds   REAL NOT NULL DEFAULT 0
);
CREATE TABLE position (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    lesson_id TEXT NOT NULL,
    step_id   TEXT NOT NULL,
    at        REAL NOT NULL
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                 -- JSON
);
"""

Migration = Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Migration:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return apply


#: ``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``. Append, never edit.
MIGRATIONS: tuple[Migration, ...] = (_script(_V1),)


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


class Attempt(Record):
    """One check of an exercise."""

    id: int
    exercise_id: str
    at: float  # seconds since the epoch
    passed: bool
    cases_passed: int
    cases_total: int
    code: str
    seed: int | None


class QuizAnswer(Record):
    step_key: str
    answer: Any
    correct: bool
    tries: int
    at: float


class StepRecord(Record):
    step_key: str
    first_seen: float
    last_seen: float
    done_at: float | None


class ExerciseSummary(Record):
    """What the store knows about one exercise id."""

    exercise_id: str
    attempts: int
    passed: bool
    best_cases: tuple[int, int] | None  # (passed, total) of the best attempt
    last_at: float | None
    hints_revealed: int
    solution_revealed: bool


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    return None if code is None else int(code) & 0xFF


def _is_damage(exc: sqlite3.Error) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    msg = str(exc).lower()
    return "malformed" in msg or "not a database" in msg


FULL_BELOW_BYTES = 1 << 20  # free space under which an I/O error is called a full disk


def _disk_full(folder: Path) -> bool:
    """True when the file system holding ``folder`` has (almost) no space left for this user."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < FULL_BELOW_BYTES


def _read_only(folder: Path) -> bool:
    """True when ``folder`` cannot be written (a read-only mount or missing write permission)."""
    try:
        st = os.statvfs(folder)
        if st.f_flag & getattr(os, "ST_RDONLY", 1):
            return True
    except (OSError, AttributeError):
        pass
    return not os.access(folder, os.W_OK)


def _explain(exc: BaseException, folder: Path, doing: str) -> StoreError:
    """A learner-facing :class:`StoreError` for a failure while ``doing`` something in ``folder``."""
    code = _code(exc)
    msg = str(exc)
    low = msg.lower()
    io_error = code == _SQLITE_IOERR or "disk i/o error" in low or isinstance(exc, OSError)
    if (
        code == _SQLITE_FULL
        or "disk is full" in low
        or getattr(exc, "errno", None) == 28
        or (io_error and _disk_full(folder))
    ):
        why = "the disk is full"
        advice = "free some space"
    elif (
        code in (_SQLITE_READONLY, _SQLITE_CANTOPEN)
        or "readonly" in low
        or "unable to open" in low
        or (io_error and _read_only(folder))
    ):
        why = "the folder cannot be written"
        advice = "check that it exists and that you may write to it, or set TUTOR_HOME to another folder"
    elif code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in low:
        why = "another tutor kept the database locked for too long"
        advice = "close other tutor windows and try again"
    elif isinstance(exc, OSError):
        why = exc.strerror or msg
        advice = "check the folder, or set TUTOR_HOME to another folder"
    else:
        why = msg
        advice = "check the folder, or set TUTOR_HOME to another folder"
    return StoreError(f"cannot {doing} in {folder}: {why} ({msg}); {advice}")


# ---------------------------------------------------------------------------------------------
# Opening, recovery
# ---------------------------------------------------------------------------------------------


def _timestamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _looks_like_sqlite(path: Path) -> bool:
    """True if ``path`` is empty (SQLite treats it as a new database) or starts with the header."""
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_HEADER))
    return len(head) == 0 or head == SQLITE_HEADER


def _move_aside(db: Path, inode: int | None = None) -> Path | None:
    """Rename ``db`` (and its -wal/-shm files) to ``<db>.damaged-<time>``; return the new path.

    With ``inode``: only if ``db`` is still that file (another process may have moved the damaged
    file and started a fresh one meanwhile: that one is not touched, and None is returned).
    """
    if inode is not None:
        try:
            if os.stat(db).st_ino != inode:
                return None
        except FileNotFoundError:
            return None
    stamp = _timestamp()
    target = db.with_name(f"{db.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        target = db.with_name(f"{db.name}.damaged-{stamp}-{n}")
        n += 1
    os.replace(db, target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _refuse_non_regular(db: Path) -> None:
    """Raise :class:`StoreError` if ``db`` or a companion (-wal, -shm, -journal) exists and is not
    a regular file (after symlinks). Opening a FIFO would block forever; a folder or a device is
    not a database either. A dangling or looping symlink is refused too."""
    for path in (db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise _explain(exc, db.parent, f"read {path.name}") from None
        if stat.S_ISLNK(mode):
            try:
                mode = os.stat(path).st_mode
            except FileNotFoundError:
                if not os.path.islink(path):  # the link itself went away meanwhile
                    continue
                raise StoreError(
                    f"cannot use {path}: it is a symbolic link that leads nowhere; "
                    "move it away, or set TUTOR_HOME to another folder"
                ) from None
            except OSError as exc:
                raise StoreError(
                    f"cannot use {path}: it is a symbolic link that cannot be followed "
                    f"({exc.strerror or exc}); move it away, or set TUTOR_HOME to another folder"
                ) from None
        if stat.S_ISREG(mode):
            continue
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise StoreError(
            f"cannot use {path}: it is {kind}, not the SQLite file tutor keeps your progress in; "
            "move it away (tutor then starts a fresh one), or set TUTOR_HOME to another folder"
        )


def _connect(path: Path) -> sqlite3.Connection:
    """Open a connection with the store's settings (a separate function so tests can wrap it)."""
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # pragma: no cover - only on filesystems without shared memory
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _integrity_ok(conn: sqlite3.Connection) -> bool:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return len(rows) == 1 and rows[0][0] == "ok"


class Store:
    """The learner's progress. Open with :meth:`Store.open`; close with :meth:`close` (or ``with``)."""

    def __init__(self, conn: sqlite3.Connection, home: Path, notice: str = "") -> None:
        self._conn = conn
        self._lock = threading.RLock()  # one statement or transaction at a time, from any thread
        self.home = home
        self.path = home / DB_NAME
        #: One line for the learner when the store had to recover (a damaged file moved aside), else "".
        self.notice = notice

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        home: str | os.PathLike[str],
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Store:
        """Open (creating if needed) ``home/progress.db``, migrated to the latest schema.

        Raises :class:`StoreError` naming the folder when the home cannot be created or written,
        the disk is full, or the database was written by a newer tutor.
        """
        home = Path(home).expanduser()
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if isinstance(exc, (FileExistsError, NotADirectoryError)):
                raise StoreError(
                    f"cannot use {home} as the tutor folder: a part of that path is a file, not a "
                    "folder; set TUTOR_HOME to a folder you can write to"
                ) from None
            raise _explain(exc, home, "create the tutor folder") from None
        if not home.is_dir():
            raise StoreError(
                f"cannot use {home} as the tutor folder: it is a file, not a folder; "
                "set TUTOR_HOME to a folder you can write to"
            )
        db = home / DB_NAME
        notices: list[str] = []
        moved_files: list[Path] = []
        for _ in range(3):
            try:
                conn = cls._open_checked(db, migrations)
            except _Damaged as damaged:
                try:
                    moved = _move_aside(db, damaged.inode)
                except OSError as exc:
                    raise _explain(exc, home, "move the damaged progress.db aside") from None
                if moved is not None:  # else another tutor moved it first: open what is there now
                    moved_files.append(moved)
                    notices.append(f"your progress database was damaged ({damaged.reason}); it was moved to {moved}.")
                continue
            if moved_files:
                recovered = sum(_salvage(moved, conn) for moved in moved_files)
                rows = "1 record (a step, an answer, an attempt, a setting) was" if recovered == 1 else (
                    f"{recovered} records (steps, answers, attempts, settings) were"
                )
                notices.append(
                    f"A fresh one was started and {rows} recovered from the damaged file. "
                    "Your code in the workspace folder is untouched."
                )
            return cls(conn, home, " ".join(notices))
        raise StoreError(f"cannot start a fresh progress database in {home}; set TUTOR_HOME to another folder")

    @staticmethod
    def _open_checked(db: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
        folder = db.parent
        _refuse_non_regular(db)
        try:
            inode = os.stat(db).st_ino if db.exists() else None
            if inode is not None and not _looks_like_sqlite(db):
                raise _Damaged("it is not an SQLite file", inode)
        except OSError as exc:
            raise _explain(exc, folder, "read progress.db") from None
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(db)
            if not _integrity_ok(conn):
                raise _Damaged("it failed SQLite's integrity check", inode)
            _migrate(conn, migrations, folder)
            if len(migrations) == len(MIGRATIONS):
                _ensure_tables(conn)
            return conn
        except _Damaged:
            if conn is not None:
                conn.close()
            raise
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if _is_damage(exc):
                raise _Damaged(str(exc), inode) from None
            raise _explain(exc, folder, "open progress.db") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------------

    @contextmanager
    def _write(self, doing: str = "save your progress") -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction; any SQLite failure → :class:`StoreError`.

        A table dropped behind the store's back is recreated (empty) and the failed write is then
        reported; the caller's next write succeeds."""
        conn = self._conn
        with self._lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _explain(exc, self.home, doing) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    if _missing_table(exc) and self._recreate_tables():
                        raise StoreError(
                            f"a table of {self.path} was missing and has been recreated; try again"
                        ) from None
                    raise _explain(exc, self.home, doing) from None
                raise

    def _recreate_tables(self) -> bool:
        try:
            _ensure_tables(self._conn)
            return True
        except sqlite3.Error:
            return False

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._conn.execute(sql, params).fetchall()
                except sqlite3.Error as exc:
                    if attempt == 1 and _missing_table(exc) and self._recreate_tables():
                        continue
                    raise _explain(exc, self.home, "read your progress") from None
            raise AssertionError("unreachable")  # pragma: no cover

    @property
    def schema_version(self) -> int:
        return _version(self._conn)

    # -- steps -----------------------------------------------------------------------------------

    def mark_seen(self, step_key: str) -> None:
        now = time.time()
        with self._write() as c:
            c.execute(
                "INSERT INTO steps (step_key, first_seen, last_seen) VALUES (?, ?, ?) "
                "ON CONFLICT (step_key) DO UPDATE SET last_seen = excluded.last_seen",
                (step_key, now, now),
            )

    def mark_done(self, step_key: str) -> None:
        """Mark a step done (seen too). The first done time is kept."""
        now = time.time()
        with self._write() as c:
            c.execute(
                "INSERT INTO steps (step_key, first_seen, last_seen, done_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (step_key) DO UPDATE SET last_seen = excluded.last_seen, "
                "done_at = COALESCE(steps.done_at, excluded.done_at)",
                (step_key, now, now, now),
            )

    def done_steps(self) -> set[str]:
        return {r[0] for r in self._read("SELECT step_key FROM steps WHERE done_at IS NOT NULL")}

    def seen_steps(self) -> set[str]:
        return {r[0] for r in self._read("SELECT step_key FROM steps")}

    def steps(self) -> dict[str, StepRecord]:
        rows = self._read("SELECT step_key, first_seen, last_seen, done_at FROM steps")
        return {r[0]: StepRecord(r[0], r[1], r[2], r[3]) for r in rows}

    # -- quizzes ---------------------------------------------------------------------------------

    def record_quiz(self, step_key: str, answer: Any, correct: bool) -> None:
        """Keep the latest answer (JSON-able: an index, a list of indices, a number) and count tries."""
        now = time.time()
        data = json.dumps(answer)
        with self._write() as c:
            c.execute(
                "INSERT INTO quiz_answers (step_key, answer, correct, tries, answered_at) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (step_key) DO UPDATE SET "
                "answer = excluded.answer, correct = excluded.correct, "
                "tries = quiz_answers.tries + 1, answered_at = excluded.answered_at",
                (step_key, data, int(bool(correct)), now),
            )

    def quiz_answer(self, step_key: str) -> QuizAnswer | None:
        rows = self._read(
            "SELECT step_key, answer, correct, tries, answered_at FROM quiz_answers WHERE step_key = ?",
            (step_key,),
        )
        if not rows:
            return None
        r = rows[0]
        return QuizAnswer(r[0], json.loads(r[1]), bool(r[2]), int(r[3]), float(r[4]))

    def quiz_answers(self) -> dict[str, QuizAnswer]:
        rows = self._read("SELECT step_key, answer, correct, tries, answered_at FROM quiz_answers")
        return {r[0]: QuizAnswer(r[0], json.loads(r[1]), bool(r[2]), int(r[3]), float(r[4])) for r in rows}

    # -- attempts --------------------------------------------------------------------------------

    def record_attempt(
        self,
        exercise_id: str,
        passed: bool,
        cases_passed: int,
        cases_total: int,
        code: str,
        seed: int | None,
    ) -> int:
        """Record one check; return its id (committed when this returns)."""
        now = time.time()
        with self._write("record the check") as c:
            cur = c.execute(
                "INSERT INTO attempts (exercise_id, at, passed, cases_passed, cases_total, code, seed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (exercise_id, now, int(bool(passed)), int(cases_passed), int(cases_total), code, seed),
            )
            return int(cur.lastrowid or 0)

    def attempts(self, exercise_id: str | None = None) -> list[Attempt]:
        """The attempts of one exercise (or all), oldest first."""
        sql = "SELECT id, exercise_id, at, passed, cases_passed, cases_total, code, seed FROM attempts"
        params: tuple[Any, ...] = ()
        if exercise_id is not None:
            sql += " WHERE exercise_id = ?"
            params = (exercise_id,)
        rows = self._read(sql + " ORDER BY id", params)
        return [Attempt(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7]) for r in rows]

    def attempt_ids(self) -> set[int]:
        return {r[0] for r in self._read("SELECT id FROM attempts")}

    def exercise_done(self, exercise_id: str) -> bool:
        rows = self._read("SELECT 1 FROM attempts WHERE exercise_id = ? AND passed = 1 LIMIT 1", (exercise_id,))
        return bool(rows)

    # -- hints and solutions ---------------------------------------------------------------------

    def reveal_hint(self, exercise_id: str, available: int | None = None) -> int:
        """Reveal one more hint; return how many are revealed now (1 for the first).

        With ``available`` given, the count never goes past it. The read and the increment are one
        transaction, so two processes revealing at once reveal two hints, not one.
        """
        with self._write() as c:
            c.execute("INSERT OR IGNORE INTO exercises (exercise_id) VALUES (?)", (exercise_id,))
            n = int(c.execute("SELECT hints_revealed FROM exercises WHERE exercise_id = ?", (exercise_id,)).fetchone()[0])
            if available is None or n < available:
                n += 1
                c.execute("UPDATE exercises SET hints_revealed = ? WHERE exercise_id = ?", (n, exercise_id))
            return n

    def hints_revealed(self, exercise_id: str) -> int:
        rows = self._read("SELECT hints_revealed FROM exercises WHERE exercise_id = ?", (exercise_id,))
        return int(rows[0][0]) if rows else 0

    def reveal_solution(self, exercise_id: str) -> None:
        now = time.time()
        with self._write() as c:
            c.execute(
                "INSERT INTO exercises (exercise_id, solution_revealed_at) VALUES (?, ?) "
                "ON CONFLICT (exercise_id) DO UPDATE SET "
                "solution_revealed_at = COALESCE(exercises.solution_revealed_at, excluded.solution_revealed_at)",
                (exercise_id, now),
            )

    def solution_revealed(self, exercise_id: str) -> bool:
        rows = self._read(
            "SELECT 1 FROM exercises WHERE exercise_id = ? AND solution_revealed_at IS NOT NULL", (exercise_id,)
        )
        return bool(rows)

    def exercise_summaries(self) -> dict[str, ExerciseSummary]:
        """Every exercise id with any record (attempts, hints, solution), including orphaned ids."""
        out: dict[str, dict[str, Any]] = {}
        for ex, n, passed, last in self._read(
            "SELECT exercise_id, COUNT(*), MAX(passed), MAX(at) FROM attempts GROUP BY exercise_id"
        ):
            out[ex] = {"attempts": int(n), "passed": bool(passed), "last_at": last}
        best: dict[str, tuple[int, int]] = {}
        for ex, cp, ct in self._read(
            "SELECT exercise_id, cases_passed, cases_total FROM attempts ORDER BY id"
        ):
            prev = best.get(ex)
            ratio = cp / ct if ct else 0.0
            if prev is None or ratio > (prev[0] / prev[1] if prev[1] else 0.0):
                best[ex] = (int(cp), int(ct))
        for ex, hints, sol in self._read("SELECT exercise_id, hints_revealed, solution_revealed_at FROM exercises"):
            out.setdefault(ex, {"attempts": 0, "passed": False, "last_at": None})
            out[ex]["hints"] = int(hints)
            out[ex]["solution"] = sol is not None
        return {
            ex: ExerciseSummary(
                exercise_id=ex,
                attempts=d["attempts"],
                passed=d["passed"],
                best_cases=best.get(ex),
                last_at=d["last_at"],
                hints_revealed=d.get("hints", 0),
                solution_revealed=d.get("solution", False),
            )
            for ex, d in out.items()
        }

    # -- position, time, settings ----------------------------------------------------------------

    def set_position(self, lesson_id: str, step_id: str) -> None:
        with self._write() as c:
            c.execute(
                "INSERT INTO position (id, lesson_id, step_id, at) VALUES (1, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET lesson_id = excluded.lesson_id, "
                "step_id = excluded.step_id, at = excluded.at",
                (lesson_id, step_id, time.time()),
            )

    def position(self) -> tuple[str, str] | None:
        """``(lesson_id, step_id)`` of the last step seen, or None on a first run."""
        rows = self._read("SELECT lesson_id, step_id FROM position WHERE id = 1")
        return (rows[0][0], rows[0][1]) if rows else None

    def add_time(self, lesson_id: str, seconds: float) -> None:
        if not seconds > 0:  # also refuses NaN
            return
        with self._write() as c:
            c.execute(
                "INSERT INTO lesson_time (lesson_id, seconds) VALUES (?, ?) "
                "ON CONFLICT (lesson_id) DO UPDATE SET seconds = lesson_time.seconds + excluded.seconds",
                (lesson_id, float(seconds)),
            )

    def time_spent(self) -> dict[str, float]:
        """Seconds per lesson id."""
        return {r[0]: float(r[1]) for r in self._read("SELECT lesson_id, seconds FROM lesson_time")}

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        data = json.dumps(value)
        with self._write() as c:
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, data),
            )

    # -- forgetting ------------------------------------------------------------------------------

    def export(
        self,
        *,
        exercise_ids: Iterable[str] | None = None,
        lesson_ids: Iterable[str] | None = None,
        step_keys: Iterable[str] = (),
    ) -> dict[str, Any]:
        """A JSON-able copy of the records :meth:`forget` with the same arguments would delete.

        With no arguments: everything but the settings.
        """
        ex = None if exercise_ids is None else sorted(set(exercise_ids))
        ls = None if lesson_ids is None else sorted(set(lesson_ids))
        keys = sorted(set(step_keys))
        everything = ex is None and ls is None and not keys
        where_ex, p_ex = _in_clause("exercise_id", ex or [])
        w1, p1 = _prefix_clause("step_key", ls or [])
        w2, p2 = _in_clause("step_key", keys)
        where_st, p_st = f"({w1} OR {w2})", [*p1, *p2]
        where_ls, p_ls = _in_clause("lesson_id", ls or [])

        def rows(table: str, cols: str, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
            sql = f"SELECT {cols} FROM {table}" + ("" if everything else f" WHERE {where}")
            cur = self._conn.execute(sql, () if everything else params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]

        try:
            with self._lock:
                out = {
                    "attempts": rows("attempts", "*", where_ex, p_ex),
                    "exercises": rows("exercises", "*", where_ex, p_ex),
                    "steps": rows("steps", "*", where_st, p_st),
                    "quiz_answers": rows("quiz_answers", "*", where_st, p_st),
                    "lesson_time": rows("lesson_time", "*", where_ls, p_ls),
                }
                if everything:
                    out["position"] = rows("position", "*", "", ())
        except sqlite3.Error as exc:
            raise _explain(exc, self.home, "read your progress") from None
        return out

    def forget(
        self,
        *,
        exercise_ids: Iterable[str] | None = None,
        lesson_ids: Iterable[str] | None = None,
        step_keys: Iterable[str] = (),
        keep: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Delete progress in one transaction; return the deleted records (as :meth:`export`).

        ``exercise_ids``: their attempts, hints and solution flags. ``lesson_ids``: the steps and
        quiz answers keyed ``"<lesson>/..."`` and the lesson's time. ``step_keys``: those steps.
        With no arguments at all: everything but the settings (``tutor reset --all``).

        ``keep(records)`` is called inside the transaction, before the delete, with exactly the
        records that will go (no other process can add one in between); if it raises, nothing is
        deleted. ``tutor reset`` writes them to the backup folder there.
        """
        ex = None if exercise_ids is None else sorted(set(exercise_ids))
        ls = None if lesson_ids is None else sorted(set(lesson_ids))
        keys = sorted(set(step_keys))
        everything = ex is None and ls is None and not keys
        with self._write("forget progress") as c:
            records = self.export(exercise_ids=ex, lesson_ids=ls, step_keys=keys)
            if keep is not None:
                keep(records)
            self._delete(c, ex, ls, keys, everything)
        return records

    @staticmethod
    def _delete(
        c: sqlite3.Connection,
        ex: list[str] | None,
        ls: list[str] | None,
        keys: list[str],
        everything: bool,
    ) -> None:
        if everything:
            for table in ("attempts", "exercises", "steps", "quiz_answers", "lesson_time", "position"):
                c.execute(f"DELETE FROM {table}")
            return
        if ex:
            w, p = _in_clause("exercise_id", ex)
            c.execute(f"DELETE FROM attempts WHERE {w}", p)
            c.execute(f"DELETE FROM exercises WHERE {w}", p)
        if ls:
            w, p = _prefix_clause("step_key", ls)
            c.execute(f"DELETE FROM steps WHERE {w}", p)
            c.execute(f"DELETE FROM quiz_answers WHERE {w}", p)
            w, p = _in_clause("lesson_id", ls)
            c.execute(f"DELETE FROM lesson_time WHERE {w}", p)
        if keys:
            w, p = _in_clause("step_key", keys)
            c.execute(f"DELETE FROM steps WHERE {w}", p)
            c.execute(f"DELETE FROM quiz_answers WHERE {w}", p)


class _Damaged(Exception):
    def __init__(self, reason: str, inode: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.inode = inode  # the damaged file, so that only that one is moved aside


def _in_clause(column: str, values: Sequence[str]) -> tuple[str, list[str]]:
    if not values:
        return "0", []
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _prefix_clause(column: str, lesson_ids: Sequence[str]) -> tuple[str, list[str]]:
    """``column`` starts with ``"<lesson>/"`` for one of the lessons (exact prefix, no LIKE wildcards)."""
    if not lesson_ids:
        return "0", []
    parts = [f"substr({column}, 1, ?) = ?" for _ in lesson_ids]
    params: list[Any] = []
    for lesson in lesson_ids:
        prefix = f"{lesson}/"
        params += [len(prefix), prefix]
    return "(" + " OR ".join(parts) + ")", params


# ---------------------------------------------------------------------------------------------
# Missing tables, salvage
# ---------------------------------------------------------------------------------------------

#: The tables of the latest schema and the columns a salvage copies (all of them).
TABLES: dict[str, tuple[str, ...]] = {
    "steps": ("step_key", "first_seen", "last_seen", "done_at"),
    "quiz_answers": ("step_key", "answer", "correct", "tries", "answered_at"),
    "attempts": ("id", "exercise_id", "at", "passed", "cases_passed", "cases_total", "code", "seed"),
    "exercises": ("exercise_id", "hints_revealed", "solution_revealed_at"),
    "lesson_time": ("lesson_id", "seconds"),
    "position": ("id", "lesson_id", "step_id", "at"),
    "settings": ("key", "value"),
}


def _missing_table(exc: BaseException) -> bool:
    return "no such table" in str(exc).lower()


def _ensure_tables(conn: sqlite3.Connection) -> None:
    """Recreate (empty) any table or index of the latest schema that is missing.

    A database whose ``schema_version`` table was dropped reads as version 0 and would be migrated
    from scratch; :func:`_migrate` calls this first when it finds the version-1 tables in place.
    """
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    missing = [t for t in TABLES if t not in have]
    if not missing and "attempts_by_exercise" in have:
        return
    statements = [st.strip() for st in _V1.split(";") if st.strip()]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for st in statements:
            st = st.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
            st = st.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            conn.execute(st)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


SALVAGE_PROBE = 4096  # rowids tried one by one past a damaged page before a table is given up


def _readable_rows(src: sqlite3.Connection, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` that can still be read, in rowid order.

    A scan stops at the first damaged page; the rows after it are reached by looking rowids up one
    by one (a lookup descends from the root, so it skips a damaged leaf), then scanning again.
    """
    select = f"SELECT rowid, {', '.join(columns)} FROM {table}"
    last: int | None = None
    while True:
        try:
            if last is None:
                cursor = src.execute(select + " ORDER BY rowid")
            else:
                cursor = src.execute(select + " WHERE rowid > ? ORDER BY rowid", (last,))
            for row in cursor:
                last = int(row[0])
                if last > 0:  # SQLite gives rowids from 1; 0 or less is a damaged cell read as a row
                    yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            start = 0 if last is None else last
            found = None
            for probe in range(start + 1, start + 1 + SALVAGE_PROBE):
                try:
                    found = src.execute(select + " WHERE rowid = ?", (probe,)).fetchone()
                except sqlite3.DatabaseError:
                    continue
                if found is not None:
                    break
            if found is None:
                return
            last = int(found[0])
            if last > 0:
                yield tuple(found[1:])


def _salvage(damaged: Path, conn: sqlite3.Connection) -> int:
    """Copy every readable row of the damaged database at ``damaged`` into ``conn`` (a fresh store);
    return how many rows were copied. The damaged file is opened read-only and left as it is."""
    from urllib.parse import quote

    try:
        src = sqlite3.connect(f"file:{quote(str(damaged))}?mode=ro", uri=True)
        # read a schema whose entries point past a truncated end instead of refusing all of it
        src.execute("PRAGMA writable_schema = ON")
    except sqlite3.Error:
        return 0
    copied = 0
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table, columns in TABLES.items():
                insert = (
                    f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})"
                )
                try:
                    for row in _readable_rows(src, table, columns):
                        copied += conn.execute(insert, row).rowcount
                except sqlite3.DatabaseError:
                    continue  # this table is unreadable past here; keep what was copied
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            return 0
    finally:
        src.close()
    return max(copied, 0)


# ---------------------------------------------------------------------------------------------
# Migrations
# ---------------------------------------------------------------------------------------------


def _version(conn: sqlite3.Connection) -> int:
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], folder: Path) -> None:
    """Bring the schema to ``len(migrations)``, one transaction per step (safe against a kill)."""
    latest = len(migrations)
    if _version(conn) == latest:
        return
    if _version(conn) == 0 and latest >= 1 and conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('steps', 'attempts')"
    ).fetchone():
        # the schema_version table was dropped from a version-1 database: say so again, keep the rows
        _ensure_tables(conn)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version (version) VALUES (1)")
        conn.execute("COMMIT")
        if latest == 1:
            return
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _version(conn)  # re-read under the write lock: another process may have migrated
            if current > latest:
                raise StoreError(
                    f"{folder / DB_NAME} was written by a newer version of tutor (schema {current}, this "
                    f"tutor knows up to {latest}); upgrade tutor, or set TUTOR_HOME to another folder"
                )
            if current == latest:
                conn.execute("COMMIT")
                return
            if current == 0:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            migrations[current](conn)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (current + 1,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


# ---------------------------------------------------------------------------------------------
# Helpers for one-shot callers
# ---------------------------------------------------------------------------------------------


def record_check(
    home: str | os.PathLike[str],
    exercise_id: str,
    passed: bool,
    cases_passed: int,
    cases_total: int,
    code: str,
    seed: int | None,
) -> int:
    """Open the store, record one check attempt, close; return the attempt's id.

    For ``tutor check``. Raises :class:`StoreError` (a learner-facing message) on failure;
    :attr:`Store.notice` of a recovery is printed to stderr here, since there is no other place.
    """
    import sys

    with Store.open(home) as store:
        if store.notice:
            print(f"tutor: {store.notice}", file=sys.stderr)
        return store.record_attempt(exercise_id, passed, cases_passed, cases_total, code, seed)
