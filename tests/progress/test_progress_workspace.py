"""The workspace: plain files, atomic writes, never overwritten without consent, backups."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tutor.progress import workspace as ws_mod
from tutor.progress.workspace import Workspace, WorkspaceConflict, WorkspaceError


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_files_are_plain_py_files_in_the_workspace_folder(ws: Workspace, tmp_path: Path) -> None:
    assert ws.path("adam") == tmp_path / "workspace" / "adam.py"
    assert ws.read("adam") is None and not ws.exists("adam")


def test_ensure_creates_from_the_starter_once_and_never_overwrites(ws: Workspace) -> None:
    p = ws.ensure("adam", "def adam_update():\n    raise NotImplementedError\n")
    assert p.read_text() == "def adam_update():\n    raise NotImplementedError\n"
    p.write_text("my work\n")
    assert ws.ensure("adam", "a newer starter\n") == p
    assert ws.read("adam") == "my work\n"


def test_create_new_refuses_a_file_that_appeared_meanwhile(ws: Workspace) -> None:
    ws.dir.mkdir(parents=True)
    p = ws.path("adam")
    p.write_text("written by the other process\n")
    assert ws_mod._create_new(p, "starter\n") is False
    assert p.read_text() == "written by the other process\n"
    assert ws_mod._create_new(ws.path("sgd"), "starter\n") is True
    assert sorted(os.listdir(ws.dir)) == ["adam.py", "sgd.py"]  # no temporary files left


def test_write_replaces_atomically_keeps_the_mode_and_leaves_no_temp_files(ws: Workspace) -> None:
    p = ws.ensure("adam", "v1\n")
    os.chmod(p, 0o600)
    inode = p.stat().st_ino
    ws.write("adam", "v2 — ünïcode\n")
    assert ws.read("adam") == "v2 — ünïcode\n"
    assert p.stat().st_ino != inode  # a new file renamed over the old one
    assert p.stat().st_mode & 0o777 == 0o600
    assert os.listdir(ws.dir) == ["adam.py"]


def test_write_with_expect_refuses_to_overwrite_a_change_made_elsewhere(ws: Workspace) -> None:
    ws.ensure("adam", "v1\n")
    sig = ws.signature("adam")
    sig2 = ws.write("adam", "mine\n", expect=sig)
    assert sig2 == ws.signature("adam") and sig2 != sig
    ws_mod.atomic_write(ws.path("adam"), "their editor\n")  # another editor saves
    with pytest.raises(WorkspaceConflict):
        ws.write("adam", "mine again\n", expect=sig2)
    assert ws.read("adam") == "their editor\n"
    with pytest.raises(WorkspaceConflict):
        ws.write("adam", "x", expect=None)  # None: "the file must not exist yet"
    ws.write("sgd", "new\n", expect=None)
    assert ws.read("sgd") == "new\n"


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_failed_write_keeps_the_old_file_and_says_why(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    ws.ensure("adam", "the learner's hour of work\n")

    def full(*a: object, **k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(ws_mod.os, "fsync", full)
    elif where == "replace":
        monkeypatch.setattr(ws_mod.os, "replace", full)
    else:
        real_fdopen = os.fdopen

        class FullFile:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(ws_mod.os, "fdopen", lambda fd, mode: FullFile(real_fdopen(fd, mode)))
    with pytest.raises(WorkspaceError) as e:
        ws.write("adam", "new text\n")
    monkeypatch.undo()
    assert "disk is full" in str(e.value) and str(ws.dir) in str(e.value)
    assert ws.read("adam") == "the learner's hour of work\n"
    assert os.listdir(ws.dir) == ["adam.py"]  # the temporary file was removed


def test_bad_ids_never_escape_the_workspace(ws: Workspace) -> None:
    for bad in ("../evil", "a/b", "", ".hidden", "x" * 200, "a\x00b"):
        with pytest.raises(WorkspaceError):
            ws.path(bad)


def test_a_home_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ws = Workspace(blocker / "home")
    with pytest.raises(WorkspaceError) as e:
        ws.ensure("adam", "starter")
    assert "not a folder" in str(e.value) and str(blocker / "home") in str(e.value)
    with pytest.raises(WorkspaceError):
        ws.write("adam", "x")


def test_backup_moves_files_into_a_dated_folder(ws: Workspace, tmp_path: Path) -> None:
    ws.ensure("adam", "my adam\n")
    ws.ensure("sgd", "my sgd\n")
    folder = ws.backup(["adam", "nadam"])  # nadam has no file: fine
    assert folder.parent == tmp_path / "backups"
    assert (folder / "adam.py").read_text() == "my adam\n"
    assert not ws.exists("adam") and ws.exists("sgd")
    again = ws.backup(["sgd"])  # the same second: a second folder, nothing overwritten
    assert again != folder and (again / "sgd.py").read_text() == "my sgd\n"
    assert (folder / "adam.py").exists()
    assert ws.exercise_ids() == []


def test_exercise_ids_ignore_temporary_files(ws: Workspace) -> None:
    ws.ensure("adam", "x")
    (ws.dir / ".tmp-adam.py.abc").write_text("half")
    (ws.dir / "notes.txt").write_text("n")
    assert ws.exercise_ids() == ["adam"]
    old = ws.dir / ".tmp-adam.py.abc"
    os.utime(old, (1, 1))
    assert ws.clean_temp_files() == 1 and not old.exists()


def test_non_utf8_file_is_a_clear_error(ws: Workspace) -> None:
    ws.ensure("adam", "x")
    ws.path("adam").write_bytes(b"\xff\xfe bad")
    with pytest.raises(WorkspaceError, match="UTF-8"):
        ws.read("adam")
