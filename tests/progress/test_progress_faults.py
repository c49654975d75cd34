"""Fault tests: kill -9 during writes, two writers at once, damaged and unusable homes.

The kill test runs real processes (``fault_writer.py``) and kills them with SIGKILL at random
moments; after every kill the database must pass ``PRAGMA integrity_check``, every attempt id a
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

from tutor.progress.store import Store

WRITER = Path(__file__).with_name("fault_writer.py")
ROUNDS = 64  # two writers per round: 128 kills, 112 of them after the writers were writing
EARLY_EVERY = 8  # every 8th round kills at a random moment from spawn (may hit open/migration)


def _spawn(home: Path, tag: str, start: int, limit: int | None = None) -> subprocess.Popen[str]:
    argv = [sys.executable, str(WRITER), str(home), tag, str(start)]
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


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_kill_9_while_writing_loses_no_committed_attempt(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rng = random.Random(20261125)
    committed: set[int] = set()
    last_save = {"a": -1, "b": -1}
    kills_while_writing = 0
    for r in range(ROUNDS):
        early = r % EARLY_EVERY == EARLY_EVERY - 1
        procs = {tag: _spawn(home, tag, start=r * 100_000) for tag in ("a", "b")}
        if early:
            time.sleep(rng.uniform(0.0, 0.25))
        else:
            for p in procs.values():
                assert p.stdout is not None
                line = p.stdout.readline()
                assert line == "ready\n", f"writer did not start: {line!r} {p.stderr.read() if p.stderr else ''}"
            time.sleep(rng.uniform(0.0, 0.06))
        for tag, p in procs.items():
            if not early:
                time.sleep(rng.uniform(0.0, 0.01))  # the two writers die at different moments
            p.send_signal(signal.SIGKILL)
        for tag, p in procs.items():
            out, err = p.communicate(timeout=30)
            assert p.returncode == -signal.SIGKILL, f"writer {tag} ended by itself: {p.returncode}\n{err}"
            assert "NOTICE" not in out, f"the store thought it was damaged: {out}"
            for line in out.splitlines(keepends=True):
                if not line.endswith("\n"):
                    continue  # cut by the kill mid-line: not a completed report
                kind, _, value = line.strip().partition(" ")
                if kind == "A":
                    committed.add(int(value))
                elif kind == "W":
                    last_save[tag] = max(last_save[tag], int(value))
            if not early:
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


@pytest.mark.timeout(120)
def test_two_processes_writing_at_once_lose_no_update(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(home).close()
    n = 60
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
