"""Fault tests: kill -9 during writes, two writers at once, damaged and unusable homes.

The kill test forks real writer processes (``fault_writer.py``, from a warm "zygote" process so
each restart costs milliseconds) and kills them with SIGKILL at random moments; after every kill the database must pass ``PRAGMA integrity_check``, every attempt id a
writer printed (it prints only after the commit returned) must be in the database, and each
workspace file must be a complete version (its checksum matches) no older than the last save
the writer reported.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.progress.store import MIGRATIONS, Store

WRITER = Path(__file__).with_name("fault_writer.py")
ROUNDS = 64  # two writers per round: 128 kills, 112 of them after the writers were writing
EARLY_EVERY = 8  # rounds 0, 8, 16...: kill at a random moment from the fork (may hit open/migration)


def _spawn(home: Path, tag: str, start: int, limit: int | None = None) -> subprocess.Popen[str]:
    argv = [sys.executable, str(WRITER), "write", str(home), tag, str(start)]
    if limit is not None:
        argv.append(str(limit))
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check_workspace_file(path: Path, min_counter: int) -> None:
    if not path.exists():
        assert min_counter < 0, f"{path} missing after a reported save"
        return
    text = path.read_text()
    m = re.search(r"# n=(\d+) sha256=([0-9a-f]{64})\n\Z", text)
    assert m, f"{path} is not a complete save: ends with {text[-80:]!r}"
    body = text[: m.start()]
    assert hashlib.sha256(body.encode()).hexdigest() == m.group(2), f"{path}: body does not match its checksum"
    assert int(m.group(1)) >= min_counter, f"{path}: save {min_counter} was reported but the file has {m.group(1)}"


def _reports(log: Path) -> list[str]:
    """Complete report lines (a line cut by the kill is not a report)."""
    if not log.exists():
        return []
    return [line[:-1] for line in log.read_text().splitlines(keepends=True) if line.endswith("\n")]


def _wait_for(predicate, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.001)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


class Zygote:
    """``fault_writer.py zygote``: forks writers in milliseconds; kills them all on close."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), "zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        self.spawned: list[int] = []

    def spawn(self, home: Path, tag: str, start: int, log: Path) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"spawn {home} {tag} {start} {log}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        assert answer[:1] == ["pid"], f"the zygote did not fork: {answer}"
        pid = int(answer[1])
        self.spawned.append(pid)
        return pid

    def close(self) -> None:
        for pid in self.spawned:  # a failed assertion must not leave a writer running
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture
def zygote():
    z = Zygote()
    yield z
    z.close()


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_kill_9_while_writing_loses_no_committed_attempt(tmp_path: Path, zygote: Zygote) -> None:
    home = tmp_path / "home"
    logs = tmp_path / "logs"
    logs.mkdir()
    rng = random.Random(20261125)
    committed: set[int] = set()
    last_save = {"a": -1, "b": -1}
    kills_while_writing = 0
    for r in range(ROUNDS):
        early = r % EARLY_EVERY == 0
        pids: dict[str, int] = {}
        for tag in ("a", "b"):
            pids[tag] = zygote.spawn(home, tag, r * 100_000, logs / f"{r}-{tag}.log")
        if early:
            time.sleep(rng.uniform(0.0, 0.03))
        else:
            for tag in pids:
                log = logs / f"{r}-{tag}.log"
                _wait_for(lambda: "ready" in _reports(log) or _gone(pids[tag]), f"writer {tag} to start")
            time.sleep(rng.uniform(0.0, 0.08))
        for tag, pid in pids.items():
            if not early:
                time.sleep(rng.uniform(0.0, 0.01))  # the two writers die at different moments
            os.kill(pid, signal.SIGKILL)
        for tag, pid in pids.items():
            _wait_for(lambda: _gone(pid), f"writer {tag} to die")
            reports = _reports(logs / f"{r}-{tag}.log")
            bad = [x for x in reports if x.startswith(("ERROR", "NOTICE"))]
            assert not bad, f"round {r}, writer {tag}: {bad}"
            for line in reports:
                kind, _, value = line.partition(" ")
                if kind == "A":
                    committed.add(int(value))
                elif kind == "W":
                    last_save[tag] = max(last_save[tag], int(value))
            if not early:
                assert "ready" in reports
                kills_while_writing += 1
        db = home / "progress.db"
        if db.exists():
            conn = sqlite3.connect(db)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"round {r}"
                has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attempts'").fetchone()
                ids = {row[0] for row in conn.execute("SELECT id FROM attempts")} if has else set()
            finally:
                conn.close()
            lost = committed - ids
            assert not lost, f"round {r}: committed attempts lost after kill -9: {sorted(lost)[:10]}"
        else:
            assert not committed
        for tag in ("a", "b"):
            _check_workspace_file(home / "workspace" / f"ex{tag}.py", last_save[tag])
    assert kills_while_writing >= 100
    assert len(committed) > ROUNDS, "the writers hardly wrote anything: the kills did not hit writes"
    # The store opens cleanly afterwards (no recovery) and sees everything.
    with Store.open(home) as store:
        assert store.notice == ""
        assert committed <= store.attempt_ids()
        print(f"{kills_while_writing} kills while writing, {len(committed)} attempts committed and kept")


@pytest.mark.timeout(120)
def test_kill_9_while_a_fresh_store_is_being_created(tmp_path: Path, zygote: Zygote) -> None:
    """A kill during the first open (schema creation, migration) never leaves a damaged file."""
    rng = random.Random(7)
    for k in range(24):
        home = tmp_path / f"home{k}"
        pid = zygote.spawn(home, "a", 0, tmp_path / f"{k}.log")
        time.sleep(rng.uniform(0.0, 0.06))  # before, during or after the schema is created
        os.kill(pid, signal.SIGKILL)
        _wait_for(lambda: _gone(pid), "the writer to die")
        with Store.open(home) as store:
            assert store.notice == "", f"home {k}: {store.notice}"
            assert store.schema_version == len(MIGRATIONS)
            assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.timeout(120)
def test_two_processes_writing_at_once_lose_no_update(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(home).close()
    n = 40
    procs = [_spawn(home, tag, start=0, limit=n) for tag in ("a", "b")]
    # both read-modify-write the same counters: time of lesson 7.1 and (per writer) hints
    outs = [p.communicate(timeout=100) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.rstrip().endswith("done")
    with Store.open(home) as store:
        assert len(store.attempts("exa")) == n and len(store.attempts("exb")) == n
        assert store.time_spent()["7.1"] == pytest.approx(2 * n * 0.5)
        assert store.hints_revealed("exa") == n and store.hints_revealed("exb") == n


def test_concurrent_hint_reveals_from_two_connections_count_both(tmp_path: Path) -> None:
    """The read and the increment of ``reveal_hint`` are one write transaction."""
    a, b = Store.open(tmp_path), Store.open(tmp_path)
    try:
        seen = [a.reveal_hint("adam"), b.reveal_hint("adam"), a.reveal_hint("adam"), b.reveal_hint("adam")]
        assert seen == [1, 2, 3, 4]
        a.set_setting("theme", "dark")
        assert b.get_setting("theme") == "dark"
    finally:
        a.close()
        b.close()


def test_writer_script_is_runnable(tmp_path: Path) -> None:
    p = _spawn(tmp_path, "z", start=7, limit=2)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out.splitlines()[0] == "ready" and out.splitlines()[-1] == "done"
    _check_workspace_file(tmp_path / "workspace" / "exz.py", 8)
    assert os.listdir(tmp_path / "workspace") == ["exz.py"]  # no temporary files left behind
