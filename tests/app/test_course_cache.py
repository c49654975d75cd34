"""The app's course cache (issue 11): JSON of the model (never a pickle), keyed on the files'
contents, owner-only, ignored with a warning when it is not the user's own."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from tutor.app.course_cache import load_course_cached
from tutor.course.serial import dumps, loads

from .conftest import FIXTURE_COURSE


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def test_the_cache_round_trips_the_shipped_course_exactly() -> None:
    from tutor.course import load_course
    from tutor.paths import shipped_lessons_dir

    course = load_course(shipped_lessons_dir())
    assert loads(dumps(course)) == course


def test_an_edit_that_keeps_size_and_mtime_is_seen(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_course_cached(folder, directory=cache)
    lesson = folder / "m7" / "7_1.yaml"
    before = lesson.stat()
    text = lesson.read_text()
    assert "Fixture lesson one" in text
    lesson.write_text(text.replace("Fixture lesson one", "Fixture lesson 1ne"))  # same length
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert lesson.stat().st_size == before.st_size
    changed = load_course_cached(folder, directory=cache)
    assert changed.lesson("7.1").title != first.lesson("7.1").title


def test_the_cache_is_owner_only_json(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_course_cached(folder, directory=cache)
    (entry,) = cache.glob("*.json")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    json.loads(entry.read_text())  # plain JSON


def test_a_planted_pickle_never_runs(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_course_cached(folder, directory=cache)
    (entry,) = cache.glob("*.json")
    marker = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(pickle.dumps(Boom()))
    course = load_course_cached(folder, directory=cache)
    assert course.lesson("7.1") is not None and not marker.exists()
    # a JSON naming something that is not a course record is refused too
    entry.write_text(json.dumps({"@r": "Popen", "f": {"args": "touch x"}}))
    assert load_course_cached(folder, directory=cache).lesson("7.1") is not None


def test_a_cache_others_may_write_is_ignored_with_a_warning(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_course_cached(folder, directory=cache)
    (entry,) = cache.glob("*.json")
    entry.write_text(entry.read_text().replace("Fixture lesson one", "Planted title"))
    os.chmod(entry, 0o666)
    warnings: list[str] = []
    course = load_course_cached(folder, directory=cache, warn=warnings.append)
    assert course.lesson("7.1").title == "Fixture lesson one"
    assert warnings and "others may write" in warnings[0] and str(entry) in warnings[0]


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a file to another user")
def test_a_cache_owned_by_another_user_is_ignored_with_a_warning(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_course_cached(folder, directory=cache)
    (entry,) = cache.glob("*.json")
    entry.write_text(entry.read_text().replace("Fixture lesson one", "Planted title"))
    os.chmod(entry, 0o600)
    os.chown(entry, 4321, 4321)
    warnings: list[str] = []
    course = load_course_cached(folder, directory=cache, warn=warnings.append)
    assert course.lesson("7.1").title == "Fixture lesson one"
    assert warnings and "belongs to user 4321" in warnings[0]
    os.chown(cache, 4321, 4321)
    warnings.clear()
    load_course_cached(folder, directory=cache, warn=warnings.append)
    assert warnings and str(cache) in warnings[0]
