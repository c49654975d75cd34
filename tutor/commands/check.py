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
    import difflib

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


def _lesson_hint(folder: Path, given: str) -> _Usage | None:
    """``tutor check 7.7``: a lesson id; name its exercises instead."""
    if not all(part.isdigit() for part in given.split(".")):
        return None
    from tutor.course.loader import read_course

    course = read_course(folder).course
    if course is None:  # the course has errors: no lesson to look in
        return None
    lesson = course.lesson(given)
    if lesson is None:
        return None
    ids = [e.id for e in lesson.exercises]
    if not ids:
        return _Usage(f"`{given}` is a lesson, not an exercise, and it has no exercise to check")
    listed = ", ".join(f"`{i}`" for i in ids)
    return _Usage(f"`{given}` is a lesson, not an exercise; its exercises: {listed} (e.g. `tutor check {ids[0]}`)")


def _load_one(folder: Path, exercise_id: str) -> Any:
    """Fast path: read only ``exercises/<id>.yaml`` with PyYAML's C loader.

    The full loader (``tutor.course.loader``, with node positions and the schema) costs more to
    import than NumPy itself; a check needs one file. Anything unexpected — a missing field, a
    wrong type, an id that is not the file's name — returns None and the caller falls back to the
    full loader, which explains the problem with file, line and field. ``tutor validate`` and the
    test suite validate the shipped files fully.
    """
    path = folder / "exercises" / f"{exercise_id}.yaml"
    try:
        raw = path.read_bytes()
        data = _cached(exercise_id, raw)
        if data is None:
            import yaml

            data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            _cache(exercise_id, raw, data)
        return _exercise_from(data, exercise_id, path)
    except Exception:  # noqa: BLE001 - any surprise: let the full loader report it
        return None


def _cache_path(exercise_id: str) -> Path:
    return tutor_home() / "cache" / "exercises" / f"{exercise_id}.json"


def _cache_key(raw: bytes) -> str:
    import zlib

    return f"{len(raw)}-{zlib.crc32(raw):08x}-{zlib.adler32(raw):08x}"


def _cached(exercise_id: str, raw: bytes) -> Any:
    """The exercise file's data from the JSON cache, if it was made from these exact bytes.

    Importing PyYAML costs about a quarter of NumPy's import; ``TUTOR_HOME/cache/exercises/<id>.json``
    keeps the parsed file (keyed by the file's length and checksums) for the next check.
    """
    try:
        entry = json.loads(_cache_path(exercise_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != _cache_key(raw):
        return None
    return entry.get("data")


def _cache(exercise_id: str, raw: bytes, data: Any) -> None:
    """Write the cache entry (atomically); any failure is ignored — it is only a cache."""
    import os

    path = _cache_path(exercise_id)
    try:
        text = json.dumps({"key": _cache_key(raw), "data": data}, ensure_ascii=False, allow_nan=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass


def _exercise_from(data: Any, exercise_id: str, path: Path) -> Any:
    from tutor.course.model import DEFAULT_ATOL, DEFAULT_RTOL, EdgeCase, Exercise, Mistake, Source

    if not isinstance(data, dict) or data.get("id") != exercise_id or data.get("format") != 1:
        return None
    known = {"format", "id", "title", "extra", "names", "reference", "cases", "edge_cases", "tolerance",
             "time_limit", "memory_mb", "allow_mutation", "instructions", "starter", "hints", "mistakes",
             "solution", "race"}
    if not set(data) <= known:
        return None

    def text(key: str) -> str:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise ValueError(key)
        return value

    def strings(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ValueError(value)
        return tuple(value)

    tolerance = data.get("tolerance") or {}
    mistakes = tuple(
        Mistake(name=m["name"], impl=m["impl"], message=m["message"], replaces=m.get("replaces", "") or "")
        for m in data.get("mistakes") or ()
    )
    edge_cases = tuple(EdgeCase(name=e["name"], call=e["call"], args=e["args"]) for e in data.get("edge_cases") or ())
    race = _race_from(data.get("race"))
    if race is False:
        return None
    time_limit = data.get("time_limit", 5.0)
    memory_mb = data.get("memory_mb", 512)
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or not 0 < time_limit <= 600:
        return None
    if isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or not 16 <= memory_mb <= 65536:
        return None
    return Exercise(
        id=exercise_id,
        title=text("title"),
        names=strings(data["names"]),
        instructions=text("instructions"),
        starter=text("starter"),
        hints=strings(data["hints"]),
        reference=text("reference"),
        cases=text("cases"),
        solution=text("solution"),
        mistakes=mistakes,
        edge_cases=edge_cases,
        extra=bool(data.get("extra", False)),
        rtol=float(tolerance.get("rtol", DEFAULT_RTOL)),
        atol=float(tolerance.get("atol", DEFAULT_ATOL)),
        time_limit=float(time_limit),
        memory_mb=memory_mb,
        allow_mutation=bool(data.get("allow_mutation", False)),
        source=Source(path, 1),
        race=race,
    )


def _race_from(value: Any) -> Any:
    """The ``race:`` mapping as a ``Race`` (None when absent); False for anything the full loader
    must look at (it reports the errors)."""
    from tutor.course.model import Race

    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= {"name", "kind", "lr", "update", "setup"}:
        return False
    kind = value.get("kind", "quadratic")
    lr = value.get("lr", 0.0)
    texts = [value.get("name"), value.get("update", ""), value.get("setup", "")]
    if not all(isinstance(t, str) for t in texts) or kind not in ("quadratic", "digits"):
        return False
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or (kind == "quadratic" and not (0 < lr <= 10 and texts[1])):
        return False
    return Race(name=texts[0], kind=kind, lr=float(lr), update=texts[1], setup=texts[2])


def _load_exercise(folder: Path, exercise_id: str, *, full: bool = False) -> Any:
    """The exercise ``exercise_id`` of the course in ``folder`` (raises ``_Usage``).

    Problems elsewhere in the course do not stop a check: only the exercise's own file must load.
    """
    from tutor.paths import shipped_lessons_dir

    if not full and folder.resolve() == shipped_lessons_dir().resolve():  # no course Python to add
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
        try:
            from tutor.progress.workspace import Workspace, WorkspaceError
        except ImportError:  # pragma: no cover - the progress package ships with tutor
            path = tutor_home() / "workspace" / f"{exercise_id}.py"
        else:
            try:
                path = Workspace(tutor_home()).path(exercise_id)
            except WorkspaceError as exc:
                raise _Usage(str(exc)) from None
    try:
        data = _read_regular_file(path)
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


MAX_SOURCE_BYTES = 1 << 20  # a solution is a few KB; 1 MiB leaves room and refuses runaway input


def _read_regular_file(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file (a FIFO or /dev/zero would block or
    never end) and anything larger than ``MAX_SOURCE_BYTES``."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise _Usage(f"{path} is not a regular file")
        if info.st_size > MAX_SOURCE_BYTES:
            raise _Usage(f"{path} is {info.st_size:,} bytes: a solution file is at most {MAX_SOURCE_BYTES:,}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_SOURCE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SOURCE_BYTES:
        raise _Usage(f"{path} grew past {MAX_SOURCE_BYTES:,} bytes while it was read")
    return data


def _record(exercise_id: str, verdict: Any, source: str) -> bool:
    """Record the attempt in the progress store; False (with a message) when it could not be.

    The verdict is still printed; the command then exits 2, as every command does when
    ``TUTOR_HOME`` cannot be written (issue 5), so a script never mistakes it for a recorded pass."""
    try:
        from tutor.progress import record_check
        from tutor.progress.store import StoreError
    except ImportError:  # pragma: no cover - the progress package ships with tutor
        return True
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
        return False
    return True


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except _Usage as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    folder = lessons_dir(getattr(args, "lessons", None))
    exercise_id: str = args.id
    if not (folder / "course.yaml").is_file():
        raise _Usage(f"no course in {folder} (course.yaml is missing)")
    known = _exercise_ids(folder)
    if exercise_id not in known:
        # exercise files are named after their id; an id that names no file can still be in
        # the course if a file is named otherwise: the full loader decides (and says did-you-mean)
        if not exercise_id.isidentifier():
            raise _lesson_hint(folder, exercise_id) or _unknown(exercise_id, known)
        _load_exercise(folder, exercise_id, full=True)
    source, path = _read_source(args, exercise_id)
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise _Usage(f"--seed must be a non-negative integer, got {args.seed}")

    # start the worker now: its NumPy import overlaps the loading below
    import threading

    from tutor.grading.sandbox import Sandbox, SandboxError

    try:
        sandbox = Sandbox()
    except (OSError, SandboxError) as exc:
        raise _Usage(f"cannot start the grading worker: {exc}") from None
    closer = None
    try:
        exercise = _load_exercise(folder, exercise_id)
        from tutor.grading.grade import GradingError, grade

        try:
            verdict = grade(exercise, source, filename=str(path), seed=args.seed, sandbox=sandbox)
        except GradingError as exc:
            raise _Usage(f"exercise `{exercise_id}` is broken (not your code): {exc}") from None
        except SandboxError as exc:
            raise _Usage(f"the grading worker failed: {exc}") from None
        # the worker's exit (it stops its spare child; NumPy tears down) overlaps the recording
        # and the printing below; it is waited for before this command returns
        closer = threading.Thread(target=sandbox.close, name="tutor-check-close")
        closer.start()

        recorded = _record(exercise_id, verdict, source)
        if args.json:
            data = verdict.to_dict()
            data["title"] = exercise.title
            data["file"] = str(path)
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            from tutor.grading.report import render

            sys.stdout.write(render(verdict, title=exercise.title))
        sys.stdout.flush()
    finally:
        if closer is not None:
            closer.join()
        sandbox.close()  # idempotent
    if not recorded:
        return EXIT_USAGE
    return EXIT_OK if verdict.passed else EXIT_FAILED
