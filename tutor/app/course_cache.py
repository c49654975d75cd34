"""A cache of the loaded course, so later starts skip the YAML loader (like ``__pycache__``).

Loading the course means importing PyYAML, the schema and the loader and reading every lesson
file: about a third of the app's start-up. The loaded :class:`~tutor.course.model.Course` is
pickled into the user's cache folder, keyed on the course folder and on every file's path,
size and modification time (and on the tutor and Python versions); any change to a lesson file
makes a new key, and the YAML is read again. A cache that cannot be read or written is ignored.
The cache lives in the learner's own cache folder (``TUTOR_CACHE`` overrides it), written only
by tutor, so it is trusted as Python trusts its ``.pyc`` files.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

SKIP_DIRS = {"__pycache__", ".git"}


def cache_dir() -> Path:
    env = os.environ.get("TUTOR_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "tutor"
    if sys.platform.startswith("linux"):
        return Path.home() / ".cache" / "tutor"
    from platformdirs import user_cache_path

    return user_cache_path("tutor", appauthor=False)


def fingerprint(folder: Path) -> str:
    """A hash of every file's relative path, size and mtime under ``folder``."""
    from tutor import __version__

    h = hashlib.sha256(f"{__version__}|{sys.version}|{folder.resolve()}".encode())
    stack = [folder]
    entries: list[str] = []
    while stack:
        current = stack.pop()
        with os.scandir(current) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=True):
                    if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                        stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True):
                    st = entry.stat()
                    entries.append(f"{os.path.relpath(entry.path, folder)}|{st.st_size}|{st.st_mtime_ns}")
    for e in sorted(entries):
        h.update(e.encode())
        h.update(b"\n")
    return h.hexdigest()


def load_course_cached(folder: Path, *, directory: Path | None = None) -> Any:
    """The course in ``folder``: from the cache when its files are unchanged, else loaded (and
    cached). Raises what ``tutor.course.loader.load_course`` raises (``CourseError``, ``OSError``)."""
    folder = Path(folder)
    directory = directory if directory is not None else cache_dir()
    try:
        key = fingerprint(folder)
    except OSError:
        key = None
    prefix = "course-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    target = directory / f"{prefix}-{key[:20]}.pickle" if key else None
    if target is not None:
        course = _read(target)
        if course is not None:
            return course
    from tutor.course.loader import load_course

    course = load_course(folder)
    if target is not None:
        _write(target, course, prefix)
    return course


def _read(path: Path) -> Any:
    try:
        with open(path, "rb") as f:
            course = pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, stale or damaged: load the YAML instead
        return None
    from tutor.course.model import Course

    return course if isinstance(course, Course) else None


def _write(path: Path, course: Any, prefix: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(course, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{prefix}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache is never worth an error
        pass
