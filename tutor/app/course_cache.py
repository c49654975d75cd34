"""A cache of the loaded course, so later starts skip the YAML loader (like ``__pycache__``).

Loading the course means importing PyYAML, the schema and the loader and reading every lesson
file: about a third of the app's start-up. The loaded :class:`~tutor.course.model.Course` is kept
as JSON (:mod:`tutor.course.serial`: it names only the course model's records, so a planted file
can at worst describe a wrong course, never run code) in the user's cache folder
(``TUTOR_CACHE``, else ``$XDG_CACHE_HOME/tutor``, else ``~/.cache/tutor``).

The key is a SHA-256 of every file's relative path and *contents* under the course folder (an
edit that keeps a file's size and modification time still makes a new key), the folder's path,
the tutor and Python versions and the model's shape. The folder is created ``0700`` and the files
written ``0600``; a cache folder or file that is not the user's own, or that others may write,
is ignored with a warning (``warn``), and the course is read from the YAML. A cache that cannot
be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SKIP_DIRS = {"__pycache__", ".git"}
SUFFIX = ".json"


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
    """A hash of every file's relative path and contents under ``folder`` (and the versions)."""
    from tutor import __version__
    from tutor.course.serial import SHAPE

    h = hashlib.sha256(f"{__version__}|{sys.version}|{SHAPE}|{folder.resolve()}".encode())
    stack = [folder]
    entries: list[tuple[str, str]] = []
    while stack:
        current = stack.pop()
        with os.scandir(current) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=True):
                    if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                        stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True):
                    with open(entry.path, "rb") as f:
                        digest = hashlib.sha256(f.read()).hexdigest()
                    entries.append((os.path.relpath(entry.path, folder), digest))
    for name, digest in sorted(entries):
        h.update(f"{name}\0{digest}\n".encode())
    return h.hexdigest()


def _warn_stderr(message: str) -> None:
    print(f"tutor: {message}", file=sys.stderr)


def load_course_cached(
    folder: Path, *, directory: Path | None = None, warn: Callable[[str], None] = _warn_stderr
) -> Any:
    """The course in ``folder``: from the cache when its files are unchanged, else loaded (and
    cached). Raises what ``tutor.course.loader.load_course`` raises (``CourseError``, ``OSError``)."""
    folder = Path(folder)
    directory = directory if directory is not None else cache_dir()
    try:
        key = fingerprint(folder)
    except OSError:
        key = None
    prefix = "course-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    target = directory / f"{prefix}-{key[:24]}{SUFFIX}" if key else None
    trusted = target is not None and _trusted(directory, warn)
    if target is not None and trusted:
        course = _read(target, warn)
        if course is not None:
            return course
    from tutor.course.loader import load_course

    course = load_course(folder)
    if target is not None and trusted:
        _write(target, course, prefix)
    return course


def _owned_privately(info: os.stat_result) -> str:
    """Why a cache entry with this ``stat`` is not to be trusted, or ""."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"it belongs to user {info.st_uid}, not to you"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "others may write to it"
    return ""


def _trusted(directory: Path, warn: Callable[[str], None]) -> bool:
    """True when ``directory`` is (or can be made) the user's own private folder."""
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        return True  # _write creates it 0700
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    why = _owned_privately(info)
    if why:
        warn(f"ignoring the course cache in {directory}: {why} (remove it, or set TUTOR_CACHE)")
        return False
    return True


def _read(path: Path, warn: Callable[[str], None]) -> Any:
    from tutor.course.model import Course
    from tutor.course.serial import SerialError, loads

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None  # missing (the usual case), or a symlink: load the YAML instead
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        why = _owned_privately(info)
        if why:
            warn(f"ignoring the course cache {path}: {why} (remove it, or set TUTOR_CACHE)")
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            text = f.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        course = loads(text)
    except (SerialError, ValueError, TypeError, RecursionError):
        return None  # stale or damaged: load the YAML instead
    return course if isinstance(course, Course) else None


def _write(path: Path, course: Any, prefix: str) -> None:
    try:
        from tutor.course.serial import dumps

        text = dumps(course).encode()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(text)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{prefix}-*"):
            if old != path and old.suffix in (SUFFIX, ".pickle"):
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache is never worth an error
        pass
