"""``tutor check ID [--file PATH] [--seed N] [--json]``: grade the learner's code for one exercise.

Exit 0 when every case passed, 1 when the check failed, 2 for an unknown id (with a "did you mean"),
a missing or unreadable file, or a broken exercise (a content error). The code graded is
``TUTOR_HOME/workspace/<id>.py`` unless ``--file`` names another; each check is recorded in the
progress store (a pass marks the exercise done). ``--json`` prints one JSON object
(docs/check-json.md).

Cold start matters: the grading worker is started first, so its NumPy import overlaps ours and the
loading of the exercise; nothing of the app (Textual) is imported.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Any

from tutor.paths import lessons_dir, tutor_home

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Usage(Exception):
    """A problem the learner can fix: ``tutor: <message>`` on stderr, exit 2."""


def _exercise_ids(folder: Path) -> list[str]:
    exdir = folder / "exercises"
    if not exdir.is_dir():
        return []
    return sorted(p.stem for p in exdir.iterdir() if p.suffix in (".yaml", ".yml"))


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (``adma`` → ``adam`` is 1)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def did_you_mean(word: str, known: list[str]) -> str | None:
    """The known id closest to ``word`` (typos, swapped letters, a missing ``_``), or None."""
    if not known:
        return None
    low = word.lower()
    best = min(known, key=lambda k: (_distance(low, k.lower()), -difflib.SequenceMatcher(None, low, k).ratio()))
    dist = _distance(low, best.lower())
    ratio = difflib.SequenceMatcher(None, low, best).ratio()
    if dist <= max(1, len(word) // 3) or ratio >= 0.75 or low in best or best in low:
        return best
    return None


def _unknown(exercise_id: str, known: list[str]) -> _Usage:
    close = did_you_mean(exercise_id, known)
    if close:
        return _Usage(f"no exercise `{exercise_id}` — did you mean `{close}`?")
    return _Usage(f"no exercise `{exercise_id}`; `tutor list` shows them all")


def _load_one(folder: Path, exercise_id: str) -> Any:
    """Fast path: read only ``exercises/<id>.yaml`` (the whole course takes ~100 ms more).

    Uses the loader's per-file steps; returns None (so the caller reads the whole course) if the
    file's id is not its name or the loader's internals are not what this expects.
    """
    from tutor.course import loader

    path = folder / "exercises" / f"{exercise_id}.yaml"
    if not path.is_file():
        return None
    try:
        from tutor.course.schema import EXERCISE

        one = loader._CourseLoader(folder)
        node = one._compose(path)
        ex = None
        if node is not None:
            reader = one._reader(path)
            rec = reader.record(node, EXERCISE)
            if rec is not None and rec.has("id") and rec["id"] == exercise_id:
                ex = one._exercise(reader, rec, path)
        errors = list(one.errors)
    except (AttributeError, TypeError, ImportError):
        return None
    if errors:
        raise _Usage(f"the exercise file of `{exercise_id}` has errors:\n" + "\n".join(map(str, errors)))
    return ex


def _load_exercise(folder: Path, exercise_id: str) -> Any:
    """The exercise ``exercise_id`` of the course in ``folder`` (raises ``_Usage``).

    Problems elsewhere in the course do not stop a check: only the exercise's own file must load.
    """
    from tutor.paths import shipped_lessons_dir

    if folder.resolve() == shipped_lessons_dir().resolve():  # no course Python to put on sys.path
        ex = _load_one(folder, exercise_id)
        if ex is not None:
            return ex
    from tutor.course.loader import read_course

    try:
        result = read_course(folder)
    except OSError as exc:
        raise _Usage(f"cannot read the lessons in {folder}: {exc}") from None
    exercise = next((loc.obj for loc in result.exercises if loc.obj.id == exercise_id), None)
    if exercise is None:
        own = [str(e) for e in result.errors if Path(e.path).stem == exercise_id]
        if own:
            raise _Usage(f"the exercise file of `{exercise_id}` has errors:\n" + "\n".join(own))
        raise _unknown(exercise_id, sorted(loc.obj.id for loc in result.exercises))
    if result.python_path is not None:
        from tutor.course.resolve import add_python_path

        add_python_path(result.python_path)
    return exercise


def _read_source(args: argparse.Namespace, exercise_id: str) -> tuple[str, Path]:
    if args.file:
        path = Path(args.file).expanduser()
    else:
        path = tutor_home() / "workspace" / f"{exercise_id}.py"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if args.file:
            raise _Usage(f"no file {path}") from None
        raise _Usage(
            f"no code yet for `{exercise_id}`: write it in {path} "
            f"(`tutor start` creates it with the starter code), or pass --file PATH"
        ) from None
    except IsADirectoryError:
        raise _Usage(f"{path} is a folder, not a Python file") from None
    except OSError as exc:
        raise _Usage(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8"), path
    except UnicodeDecodeError:
        raise _Usage(f"{path} is not UTF-8 text") from None


def _record(exercise_id: str, verdict: Any, source: str) -> None:
    """Record the attempt in the progress store; a failure to record is reported, not fatal."""
    try:
        from tutor.progress import record_check
        from tutor.progress.store import StoreError
    except ImportError:  # the progress store is optional for grading
        return
    try:
        record_check(
            tutor_home(),
            exercise_id,
            verdict.passed,
            verdict.cases_passed,
            verdict.cases_total,
            source,
            verdict.seed,
        )
    except StoreError as exc:
        print(f"tutor: the check was not recorded: {exc}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except _Usage as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    folder = lessons_dir(getattr(args, "lessons", None))
    exercise_id: str = args.id
    known = _exercise_ids(folder)
    if exercise_id not in known:
        if not (folder / "course.yaml").is_file():
            raise _Usage(f"no course in {folder} (course.yaml is missing)")
        raise _unknown(exercise_id, known)
    source, path = _read_source(args, exercise_id)
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise _Usage(f"--seed must be a non-negative integer, got {args.seed}")

    # start the worker now: its NumPy import overlaps the loading below
    from tutor.grading.sandbox import Sandbox, SandboxError

    try:
        sandbox = Sandbox()
    except (OSError, SandboxError) as exc:
        raise _Usage(f"cannot start the grading worker: {exc}") from None
    try:
        exercise = _load_exercise(folder, exercise_id)
        from tutor.grading.grade import GradingError, grade

        try:
            verdict = grade(exercise, source, filename=str(path), seed=args.seed, sandbox=sandbox)
        except GradingError as exc:
            raise _Usage(f"exercise `{exercise_id}` is broken (not your code): {exc}") from None
        except SandboxError as exc:
            raise _Usage(f"the grading worker failed: {exc}") from None
    finally:
        sandbox.close()

    _record(exercise_id, verdict, source)
    if args.json:
        data = verdict.to_dict()
        data["title"] = exercise.title
        data["file"] = str(path)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from tutor.grading.report import render

        sys.stdout.write(render(verdict, title=exercise.title))
    return EXIT_OK if verdict.passed else EXIT_FAILED
