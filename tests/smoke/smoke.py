"""A smoke suite for an installed tutor, run by ``.ci/run`` with every other Python it finds.

Needs no pytest: ``python tests/smoke/smoke.py`` inside a venv where ``pip install .`` ran. It
checks what a learner does first — ``tutor --version``, ``tutor validate``, ``tutor check`` on a
right and on a wrong answer (exit 0 and 1, the verdict printed), and the app's first screen with
Textual's Pilot — and exits 1 naming every step that failed.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXERCISE = "momentum"


def tutor(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL,
    )


def first_screen(home: Path) -> str:
    """Open the app headless at 80x24 and return the outline's and the footer's text."""
    from tutor.app.app import TutorApp
    from tutor.app.course_cache import load_course_cached
    from tutor.paths import lessons_dir
    from tutor.progress import Store, Workspace

    async def drive() -> str:
        with Store.open(home) as store:
            app = TutorApp(load_course_cached(lessons_dir(None)), store, Workspace(home), deterministic=True)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                await pilot.press("f8")
                await pilot.pause()
                position = store.position()
                return f"{type(app.screen).__name__} position={position}"

    return asyncio.run(drive())


def main() -> int:
    failures: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_CACHE": str(Path(tmp) / "cache")}
        os.environ.update(TUTOR_HOME=env["TUTOR_HOME"], TUTOR_CACHE=env["TUTOR_CACHE"])

        def step(name: str, ok: bool, detail: str) -> None:
            print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail.strip().splitlines()[-1] if detail.strip() else ''}")
            if not ok:
                failures.append(f"{name}\n{detail}")

        r = tutor("--version", env=env)
        step("tutor --version", r.returncode == 0 and "tutor" in r.stdout, r.stdout + r.stderr)

        r = tutor("validate", env=env)
        step("tutor validate", r.returncode == 0 and " 0 errors" in r.stdout, r.stdout + r.stderr)

        from tutor.course import load_course
        from tutor.paths import lessons_dir

        exercise = load_course(lessons_dir(None)).exercise(EXERCISE)
        right, wrong = Path(tmp) / "right.py", Path(tmp) / "wrong.py"
        right.write_text(exercise.solution, encoding="utf-8")
        wrong.write_text(exercise.starter, encoding="utf-8")
        r = tutor("check", EXERCISE, "--file", str(right), "--seed", "1", env=env)
        step("tutor check (right answer)", r.returncode == 0 and "passed" in r.stdout, r.stdout + r.stderr)
        r = tutor("check", EXERCISE, "--file", str(wrong), "--seed", "1", env=env)
        step("tutor check (wrong answer)", r.returncode == 1 and "Traceback (most recent" not in r.stderr, r.stdout + r.stderr)

        try:
            shown = first_screen(home)
            step("first screen (Pilot, 80x24)", "position=" in shown and "None" not in shown, shown)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            import traceback

            step("first screen (Pilot, 80x24)", False, traceback.format_exc() or repr(exc))
    print(f"smoke: Python {sys.version.split()[0]}, {time.monotonic() - started:.1f} s, "
          f"{'all passed' if not failures else f'{len(failures)} failed'}")
    for failure in failures:
        print("\n--- " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
