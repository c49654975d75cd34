"""``tutor check ID [--file PATH] [--seed N] [--json]``: grade the learner's code for one exercise.

Exit 0 when every case passed, 1 when the check failed, 2 for an unknown id (with a "did you mean"),
a missing or unreadable file, or a broken exercise (a content error). The code graded is
``TUTOR_HOME/workspace/<id>.py`` unless ``--file`` names another; each check is recorded in the
progress store (a pass marks the exercise done). ``--json`` prints one JSON object
(docs/check-json.md).

Cold start matters (docs/performance.md, "Checks"): once the id and the file are known to be good,
and before the exercise is read, this process imports NumPy and forks the grading worker from
itself (``Sandbox(once=True, fork=True)``), so the two share one NumPy import; the worker confines
itself while the exercise is read, the cases are drawn and the reference runs. The modules the
verdict's printing and recording need are imported while the learner's code runs, and the process
ends without the interpreter's teardown (``tutor.cli.entry``). Nothing of the app (Textual) is
imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.paths import lessons_dir, tutor_home

if TYPE_CHECKING:
    from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Usage(Exception):
    """A problem the learner can fix: ``tutor: <message>`` on stderr, exit 2."""


def _exercise_ids(folder: Path) -> list[str]:
    exdir = folder / "exercises"
    if not exdir.is_dir():
        return []
    return sorted(p.stem for p in exdir.iterdir() if p.suffix in (".yaml", ".yml"))


def did_you_mean(word: str, known: list[str]) -> str | None:
    """The known id closest to ``word`` (:func:`tutor.suggest.closest`, the one rule), or None."""
    from tutor.suggest import closest

    return closest(word, known)


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
    """Fast path: only ``exercises/<id>.yaml``, from the cache when its bytes are unchanged.

    A miss reads the file with :func:`tutor.course.loader.read_exercise_file` (the loader's own
    rules for one exercise file, the one reader) and caches the model as JSON
    (:mod:`tutor.course.serial`); a hit imports neither PyYAML nor the loader, which cost more to
    import than NumPy. Anything unexpected returns None and the caller falls back to the full
    loader, which explains the problem with file, line and field.
    """
    path = folder / "exercises" / f"{exercise_id}.yaml"
    try:
        from tutor.course.model import Exercise
        from tutor.course.serial import SHAPE, from_data, to_data

        raw = path.read_bytes()
        data = _cached(exercise_id, raw)
        if isinstance(data, dict) and data.get("model") == SHAPE:
            exercise = from_data(data.get("exercise"))
            if isinstance(exercise, Exercise) and exercise.id == exercise_id and exercise.source.path == path:
                return exercise
        from tutor.course.loader import read_exercise_file  # the one exercise-file reader
        from tutor.record import replace

        exercise = read_exercise_file(path)
        if exercise.id != exercise_id:
            return None
        # a check never shows the worked solution or the hints: they are neither cached nor kept
        exercise = replace(exercise, solution="", hints=())
        _cache(exercise_id, raw, {"model": SHAPE, "exercise": to_data(exercise)})
        return exercise
    except Exception:  # noqa: BLE001 - any surprise: let the full loader report it
        return None


def _cache_path(exercise_id: str) -> Path:
    return tutor_home() / "cache" / "exercises" / f"{exercise_id}.json"


def _cache_key(raw: bytes) -> str:
    import hashlib

    return f"{len(raw)}-{hashlib.sha256(raw).hexdigest()}"


def _cache_secret() -> bytes | None:
    """The key that signs cache entries: ``TUTOR_HOME/cache/key``, 32 random bytes, mode 0600,
    made on first use. None when it cannot be read or made (then nothing is cached)."""
    import os

    path = tutor_home() / "cache" / "key"
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = os.urandom(32)
        tmp = path.with_name(f".key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        os.replace(tmp, path)
        return secret
    except OSError:
        return None


def _signature(secret: bytes, exercise_id: str, key: str, text: str) -> str:
    import hashlib
    import hmac

    message = "\0".join((exercise_id, key, text)).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _cached(exercise_id: str, raw: bytes) -> Any:
    """The exercise file's data from the JSON cache, if it was made from these exact bytes by a
    trusted ``tutor`` process (its HMAC checks out); else None.

    Importing PyYAML costs about a quarter of NumPy's import; ``TUTOR_HOME/cache/exercises/<id>.json``
    keeps the parsed file (keyed by the file's length and SHA-256) for the next check. Only the trusted
    side reads and writes it: the learner's code runs confined where TUTOR_HOME is out of reach, and an
    entry changed by anyone without the key (``TUTOR_HOME/cache/key``) is ignored and rewritten.
    """
    import hmac
    import json

    try:
        entry = json.loads(_cache_path(exercise_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != _cache_key(raw):
        return None
    text, mac = entry.get("data"), entry.get("mac")
    if not isinstance(text, str) or not isinstance(mac, str):
        return None
    secret = _cache_secret()
    if secret is None or not hmac.compare_digest(mac, _signature(secret, exercise_id, entry["key"], text)):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _cache(exercise_id: str, raw: bytes, data: Any) -> None:
    """Write the cache entry (atomically), signed and without the solution; any failure is
    ignored — it is only a cache."""
    import json
    import os

    path = _cache_path(exercise_id)
    try:
        secret = _cache_secret()
        if secret is None or not isinstance(data, dict):
            return
        # the caller (_load_one) has emptied the solution and the hints: the worked solution is
        # never in a file of TUTOR_HOME before the learner asks for it
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        key = _cache_key(raw)
        entry = {"key": key, "data": text, "mac": _signature(secret, exercise_id, key, text)}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass


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
        exdir = folder / "exercises"
        unread = [str(e) for e in result.errors if Path(e.path).parent == exdir and e.field == ""]
        if unread:  # a file that could not be read at all may hold this exercise
            raise _Usage(f"no exercise `{exercise_id}` was read; some exercise files could not be:\n" + "\n".join(unread))
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
    from tutor.progress.source import SourceError, decode_source

    try:  # as Python reads it: a byte-order mark, a coding line (PEP 263)
        return decode_source(data, path), path
    except SourceError as exc:
        raise _Usage(str(exc)) from None


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


def _warm_up_printing() -> None:
    """Import what printing and recording the verdict need, while the learner's code runs (the
    process waits for it anyway). Only imports: nothing here may block or fail the check."""
    try:
        import tutor.grading.report  # noqa: F401
        import tutor.progress.store  # noqa: F401
    except ImportError:  # pragma: no cover - both ship with tutor; the real import says why later
        pass


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
    full_read = False
    if exercise_id not in known:
        # exercise files are named after their id; an id that names no file can still be in
        # the course if a file is named otherwise: the full loader decides (and says did-you-mean)
        if not exercise_id.isidentifier():
            raise _lesson_hint(folder, exercise_id) or _unknown(exercise_id, known)
        _load_exercise(folder, exercise_id, full=True)
        full_read = True
    source, path = _read_source(args, exercise_id)
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise _Usage(f"--seed must be a non-negative integer, got {args.seed}")

    # start the worker now, before anything of the exercise is read: forked from this process
    # (which holds nothing of value yet) it shares our NumPy import and sets itself up while the
    # exercise is read below; after the full read above (solutions in memory) it is a fresh one
    import threading

    from tutor.grading.sandbox import Sandbox, SandboxError

    try:
        sandbox = Sandbox(once=True, fork=not full_read)
    except (OSError, SandboxError) as exc:
        raise _Usage(f"cannot start the grading worker: {exc}") from None
    closer = None
    try:
        exercise = _load_exercise(folder, exercise_id)
        from tutor.grading.grade import GradingError, grade

        try:
            verdict = grade(
                exercise, source, filename=str(path), seed=args.seed, sandbox=sandbox, meanwhile=_warm_up_printing
            )
        except GradingError as exc:
            raise _Usage(f"exercise `{exercise_id}` is broken (not your code): {exc}") from None
        except SandboxError as exc:
            raise _Usage(f"the grading worker failed: {exc}") from None
        # the worker's exit (it stops its spare child; NumPy tears down) overlaps the recording
        # and the printing below; it is waited for before this command returns
        closer = threading.Thread(target=sandbox.close, name="tutor-check-close")
        closer.start()

        if args.json:
            import json

            data = verdict.to_dict()
            data["title"] = exercise.title
            data["file"] = str(path)
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            from tutor.grading.report import render

            sys.stdout.write(render(verdict, title=exercise.title))
        sys.stdout.flush()
        # recorded after it is printed: a store that fails (or blocks) never hides the verdict
        recorded = _record(exercise_id, verdict, source)
    finally:
        if closer is not None:
            closer.join()
        sandbox.close()  # idempotent
    if not recorded:
        return EXIT_USAGE
    return EXIT_OK if verdict.passed else EXIT_FAILED
