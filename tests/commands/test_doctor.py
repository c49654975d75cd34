"""``tutor doctor``: every sandbox mechanism, in force or not and why; exit 0/1/2."""

from __future__ import annotations

import json
import sys

import pytest

from tutor.cli import main
from tutor.grading.confine import MECHANISMS

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux only")


@linux
def test_doctor_lists_every_mechanism_and_why_one_is_missing(monkeypatch, capsys):
    monkeypatch.setenv("TUTOR_SANDBOX_DISABLE", "landlock")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    for name in MECHANISMS:
        assert name.replace("_", " ") in out
    assert "✗ landlock" in out and "turned off (TUTOR_SANDBOX_DISABLE)" in out
    assert "isolation is partial" in out
    assert max(len(line) for line in out.splitlines()) <= 80


@linux
def test_doctor_json_agrees_with_a_check(monkeypatch, capsys):
    monkeypatch.delenv("TUTOR_SANDBOX_DISABLE", raising=False)
    rc = main(["doctor", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [row["mechanism"] for row in data["mechanisms"]] == list(MECHANISMS)
    assert rc == (1 if data["partial"] else 0)
    assert all(row["detail"] for row in data["mechanisms"])


def test_doctor_says_when_code_cannot_be_checked(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert main(["doctor"]) == 2
    assert "cannot be checked here" in capsys.readouterr().out
