"""Learner files decoded the way Python decodes them (issue 11): a byte-order mark, a PEP 263
coding line; saved back in the declared encoding; `tutor check` grades them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.progress.source import SourceError, decode_source, encode_source
from tutor.progress.workspace import Workspace, WorkspaceError

LATIN1 = "# -*- coding: latin-1 -*-\n# Schrittweite α? no: ß and é\nNAME = 'é'\n"


def runs_as_python(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    r = subprocess.run([sys.executable, "-c", f"import runpy; print(runpy.run_path({str(path)!r}).get('NAME'))"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_a_bom_is_dropped(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfNAME = 'x'\n"
    assert decode_source(data) == "NAME = 'x'\n"
    assert runs_as_python(data, tmp_path) == "x"


def test_a_latin1_cookie_is_honoured_and_kept_when_saving(tmp_path: Path) -> None:
    text = LATIN1.replace("α? no: ", "")
    data = text.encode("latin-1")
    assert decode_source(data) == text
    assert encode_source(text) == data
    assert runs_as_python(data, tmp_path) == "é"


def test_undecodable_bytes_name_the_line() -> None:
    with pytest.raises(SourceError, match=r"x.py: line 2 is not valid UTF-8 text \(byte 0xe9\)"):
        decode_source(b"a = 1\nb = '\xe9'\n", "x.py")
    with pytest.raises(SourceError, match="unknown encoding"):
        decode_source(b"# coding: klingon\n", "x.py")


def test_a_character_the_declared_encoding_cannot_hold_is_refused() -> None:
    with pytest.raises(SourceError, match="line 2"):
        encode_source(LATIN1)  # α is not latin-1


def test_the_workspace_reads_and_writes_as_python(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.ensure("adam", "x = 1\n")
    path = ws.path("adam")
    text = LATIN1.replace("α? no: ", "")
    path.write_bytes(text.encode("latin-1"))
    assert ws.read("adam") == text
    ws.write("adam", text + "y = 'ß'\n")
    assert path.read_bytes() == (text + "y = 'ß'\n").encode("latin-1")
    path.write_bytes(b"\xef\xbb\xbf" + b"z = 3\n")
    assert ws.read("adam") == "z = 3\n"
    path.write_bytes(b"z = '\xff'\n")
    with pytest.raises(WorkspaceError, match="line 1"):
        ws.read("adam")
    with pytest.raises(WorkspaceError, match="cannot save"):
        ws.write("adam", LATIN1)


@pytest.mark.parametrize("encoding", ["bom", "latin-1"])
def test_tutor_check_grades_a_file_python_can_run(tmp_path: Path, encoding: str) -> None:
    from tutor.course import load_course
    from tutor.paths import shipped_lessons_dir

    solution = load_course(shipped_lessons_dir()).exercise("momentum").solution
    if encoding == "bom":
        data = b"\xef\xbb\xbf" + solution.encode()
    else:
        data = ("# -*- coding: latin-1 -*-\n# Impuls: \xe9\n" + solution).encode("latin-1")
    learner = tmp_path / "momentum.py"
    learner.write_bytes(data)
    env = {**os.environ, "TUTOR_HOME": str(tmp_path / "home")}
    r = subprocess.run([sys.executable, "-m", "tutor", "check", "momentum", "--file", str(learner), "--seed", "3"],
                       capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
