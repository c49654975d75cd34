"""End to end: the real ``tutor start`` in tmux, driven by keys, read from the screen.

Fresh TUTOR_HOME; go to the exercise, type a solution, check it, quit; start again and see the
exercise done in the outline and the same step open with the code as typed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from .conftest import FIXTURE_COURSE

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed (CI installs it: .ci/run)", allow_module_level=True)

SESSION = f"tutor-e2e-{os.getpid()}"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(text: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        shown = screen()
        if text in shown:
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} did not appear; the screen shows:\n{shown}")
        time.sleep(0.1)


def keys(*names: str) -> None:
    tmux("send-keys", "-t", SESSION, *names)
    time.sleep(0.3)  # a person's pace: a burst of escape sequences and text can arrive reordered


def type_literally(text: str) -> None:
    tmux("send-keys", "-t", SESSION, "-l", text)
    time.sleep(0.3)


@pytest.fixture
def session(tmp_path):
    yield from _session(tmp_path, 140, 40)


@pytest.fixture
def small_session(tmp_path):
    yield from _session(tmp_path, 80, 24)


def _session(tmp_path, columns: int, rows: int):
    home = tmp_path / "home"
    env = f"TUTOR_HOME={shlex.quote(str(home))} TUTOR_CACHE={shlex.quote(str(tmp_path / 'cache'))}"
    if os.environ.get("PYTHONPATH"):  # the code under test (a tmux server keeps its own environment)
        env += f" PYTHONPATH={shlex.quote(os.environ['PYTHONPATH'])}"
    tutor = shlex.quote(str(Path(sys.executable).with_name("tutor")))
    if not Path(sys.executable).with_name("tutor").exists():
        tutor = f"{shlex.quote(sys.executable)} -m tutor"
    command = f"{env} {tutor} --lessons {shlex.quote(str(FIXTURE_COURSE))} start"
    tmux("new-session", "-d", "-s", SESSION, "-x", str(columns), "-y", str(rows), "bash --norc --noprofile")
    tmux("send-keys", "-t", SESSION, "export PS1='ready$ '", "Enter")
    yield command, home
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def test_solve_quit_and_resume(session):
    command, home = session
    keys("clear", "Enter")
    keys(command, "Enter")
    wait_for("Welcome to tutor")
    wait_for("Quit")
    wait_for("├ ")  # the interactive outline (Tree guides) replaced the first picture: start-up is over
    keys("F9")  # the next lesson: its first step is the exercise
    wait_for("1  import numpy as np")
    wait_for("raise NotImplementedError")
    time.sleep(1.5)  # the editor takes the focus once mounted (slow on a busy machine)
    # line 5 holds `    raise NotImplementedError`: replace it, then add the return
    keys("Down", "Down", "Down", "Down", "S-End")
    type_literally("    v = beta * v + (1 - beta) * dw")
    keys("Enter")  # the editor keeps the indentation
    type_literally("return w - lr * v, v")
    wait_for("return w - lr * v, v")
    keys("C-r")
    wait_for("Passed", timeout=90)
    wait_for("✓ One momentum step", timeout=10)  # the outline marks it done
    keys("C-q")
    wait_for("ready$", timeout=30)
    assert (home / "workspace" / "momentum.py").read_text().endswith("    return w - lr * v, v\n") or (
        "return w - lr * v, v" in (home / "workspace" / "momentum.py").read_text()
    )

    keys("clear", "Enter")
    keys(command, "Enter")
    shown = wait_for("7.2 · 1/3  One momentum step")
    shown = wait_for("return w - lr * v, v")
    assert "Welcome to tutor" not in shown
    shown = wait_for("✓ One momentum step")
    assert "✓ 7.2 Fixture lesson two" not in shown  # the lesson still has steps to do
    keys("C-q")
    wait_for("ready$", timeout=30)


def test_external_editor_through_suspend(session, tmp_path):
    """F4 suspends the app, runs $EDITOR on the workspace file, and shows the result after."""
    command, home = session
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "# edited in EDITOR" >> "$1"\n')
    editor.chmod(0o755)
    keys("clear", "Enter")
    keys(f"EDITOR={shlex.quote(str(editor))} {command} --lesson 7.2", "Enter")
    wait_for("raise NotImplementedError")
    wait_for("├ ")
    time.sleep(1.0)
    keys("F4")
    wait_for("# edited in EDITOR", timeout=30)
    keys("C-q")
    wait_for("ready$", timeout=30)
    assert (home / "workspace" / "momentum.py").read_text().endswith("# edited in EDITOR\n")


def _flat(screen_text: str) -> str:
    """The screen as one line of words; a scroll bar's thumb (▁…█ at a pane's right edge) may sit
    in the middle of a wrapped sentence, so it is dropped."""
    return " ".join(re.sub("[\u2581-\u2588]", " ", screen_text).split())


def test_a_failing_check_shows_the_named_mistake_at_80x24(small_session):
    """At 80×24, right after a check that matches a known mistake, the verdict's summary and the
    mistake's first sentence are on screen without a key (the results pane takes the room)."""
    from tutor.course.loader import load_course
    from tutor.grading.report import first_sentence

    command, home = small_session
    exercise = load_course(FIXTURE_COURSE).exercises["momentum"]
    sentence = first_sentence(exercise.mistakes[0].message)
    keys("clear", "Enter")
    keys(f"{command} --lesson 7.2", "Enter")
    wait_for("raise NotImplementedError")
    wait_for("▶ Your code")  # the editor has the focus, and says so
    time.sleep(1.0)
    keys("Down", "Down", "Down", "Down", "S-End")
    type_literally("    return w - lr * dw, dw")
    wait_for("return w - lr * dw, dw")
    keys("C-r")
    shown = wait_for("Not yet", timeout=90)
    deadline = time.monotonic() + 10
    while " ".join(sentence.split()) not in _flat(shown) and time.monotonic() < deadline:
        time.sleep(0.2)
        shown = screen()
    flat = _flat(shown)
    assert "Likely mistake: " + sentence in flat, f"the mistake is not on screen:\n{shown}"
    assert "no-average" not in flat
    keys("C-q")
    wait_for("ready$", timeout=30)
