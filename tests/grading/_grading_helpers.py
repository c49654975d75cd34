"""Shared by the grading tests: the shipped exercises, and a known mistake written as a learner's file."""

from __future__ import annotations

import functools
import inspect
import re
import textwrap
from pathlib import Path

from tutor.course.loader import read_course
from tutor.course.model import Exercise, Mistake
from tutor.course.resolve import resolve
from tutor.paths import shipped_lessons_dir

LESSONS = shipped_lessons_dir()
EXERCISE_FILES = sorted((LESSONS / "exercises").glob("*.yaml"))


@functools.lru_cache(maxsize=1)
def _load() -> tuple[dict[Path, Exercise], dict[Path, list[str]]]:
    result = read_course(LESSONS)
    by_path = {loc.path.resolve(): loc.obj for loc in result.exercises}
    errors: dict[Path, list[str]] = {}
    for e in result.errors:
        errors.setdefault(Path(e.path).resolve(), []).append(str(e))
    return by_path, errors


def exercise_at(path: Path) -> Exercise:
    """The exercise of one file; fails the test with the file's errors if it does not load."""
    by_path, errors = _load()
    ex = by_path.get(path.resolve())
    assert ex is not None, f"{path.name} does not load: {errors.get(path.resolve(), ['(no error recorded)'])}"
    return ex


def exercise(exercise_id: str) -> Exercise:
    return exercise_at(LESSONS / "exercises" / f"{exercise_id}.yaml")


def mistake_source(ex: Exercise, mistake: Mistake) -> str:
    """The worked solution with the mistake's implementation in place of the name it stands for.

    Mistake implementations are self-contained (``numpy``/``math`` only), so their source renamed
    to the learner's name is a learner's file that makes exactly that mistake.
    """
    target = mistake.replaces or ex.names[0]
    impl = resolve(mistake.impl)
    src = textwrap.dedent(inspect.getsource(impl))
    src = re.sub(rf"^(def|class) {re.escape(impl.__name__)}\b", rf"\1 {target}", src, count=1, flags=re.M)
    return "import math\nimport numpy as np\n\n" + ex.solution + "\n\n# the mistake\n" + src
