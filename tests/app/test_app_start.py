"""``tutor start``'s errors (exit 2, a message, no traceback), and the start-up import rule:
the first screen of a text step imports neither NumPy nor plotext."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from .conftest import FIXTURE_COURSE


def run_tutor(*args: str, home: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_CACHE": str(home.parent / "cache"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=e, timeout=60, stdin=subprocess.DEVNULL
    )


def test_unknown_lesson_exits_2(tmp_path):
    r = run_tutor("--lessons", str(FIXTURE_COURSE), "start", "--lesson", "9.9", home=tmp_path / "home")
    assert r.returncode == 2
    assert "no lesson `9.9`" in r.stderr and "7.1, 7.2" in r.stderr
    assert "Traceback" not in r.stderr


def test_content_error_exits_2_with_the_validator_messages(tmp_path):
    import shutil

    bad = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, bad)
    lesson = bad / "m7" / "7_1.yaml"
    lesson.write_text(lesson.read_text().replace("type: quiz", "type: quizz", 1))
    r = run_tutor("--lessons", str(bad), "start", home=tmp_path / "home")
    assert r.returncode == 2
    assert "7_1.yaml:" in r.stderr and "quizz" in r.stderr
    assert "Traceback" not in r.stderr


def test_unusable_home_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = run_tutor("--lessons", str(FIXTURE_COURSE), "start", home=blocker / "home")
    assert r.returncode == 2
    assert "tutor:" in r.stderr and str(blocker) in r.stderr
    assert "Traceback" not in r.stderr


def test_text_step_imports_neither_numpy_nor_plotext(tmp_path):
    """Run the app headless on a text step in a fresh interpreter and look at sys.modules."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from tutor.app.course_cache import load_course_cached
        from tutor.progress import Store, Workspace
        from tutor.app.app import TutorApp

        home = Path({str(tmp_path / "home")!r})
        course = load_course_cached(Path({str(FIXTURE_COURSE)!r}), directory=home.parent / "cache")
        app = TutorApp(course, Store.open(home), Workspace(home), deterministic=True)

        async def main():
            async with app.run_test(size=(100, 30)) as pilot:
                for _ in range(200):
                    if app.main_screen.ready:
                        break
                    await pilot.pause(0.02)
                await pilot.pause(0.2)
                assert app.main_screen.current.step.type == "text"
                assert app.main_screen.view is not None
                print("numpy" in sys.modules, "plotext" in sys.modules, "textual_plotext" in sys.modules)

        asyncio.run(main())
        """
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "False", "False"], r.stdout


def _openblas_env(env_value: str | None) -> str:
    script = textwrap.dedent(
        """
        import os, sys
        import tutor.cli
        from tutor.commands import start
        assert "numpy" not in sys.modules, "numpy imported before the app package"
        import tutor.app.course_cache
        print(os.environ.get("OPENBLAS_NUM_THREADS"))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_the_app_runs_blas_on_one_thread_unless_the_user_says_otherwise():
    assert _openblas_env(None) == "1"
    assert _openblas_env("3") == "3"


def test_start_up_pauses_the_garbage_collector_until_the_first_step_is_shown(tmp_path):
    """``tutor start`` runs with the collector paused until the app reports ready, then resumes it
    (start-up objects frozen); an early exit (an unknown lesson) also leaves it running."""
    script = textwrap.dedent(
        f"""
        import argparse, gc, os
        os.environ["TUTOR_HOME"] = {str(tmp_path / "home")!r}
        os.environ["TUTOR_CACHE"] = {str(tmp_path / "cache")!r}
        import textual.app
        from tutor.commands import start

        seen = []

        def fake_run(self, *a, **k):  # what the app sees while it starts, then the ready hook
            seen.append(gc.isenabled())
            self._on_ready()
            seen.append(gc.isenabled())
            seen.append(gc.get_freeze_count() > 0)
            return 0

        textual.app.App.run = fake_run
        code = start.run(argparse.Namespace(lessons={str(FIXTURE_COURSE)!r}, lesson=None))
        print(code, seen, gc.isenabled())
        gc.unfreeze()
        code = start.run(argparse.Namespace(lessons={str(FIXTURE_COURSE)!r}, lesson="9.9"))
        print(code, gc.isenabled())
        """
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["0 [False, True, True] True", "2 True"], r.stdout
