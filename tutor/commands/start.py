"""``tutor start [--lesson ID]``: open the app where the learner left off (or at lesson ID).

Errors the learner can cause print ``tutor: <message>`` and exit 2 before the screen opens: a
content error lists the validator's messages, a store problem names the folder, an unknown lesson
says which ones exist.

Start-up is the learner's first impression (docs/performance.md): the progress store is opened
in a thread (creating it waits on the disk) while the main thread loads the course and imports
the app; the course comes from a cache when its files are unchanged (``tutor.app.course_cache``).

Python's cyclic garbage collector is paused for the start-up: nearly everything allocated until
the first step is on screen (the course, the modules, the widgets) lives as long as the app, and
with the course in memory each full collection during the imports and the first layout cost
tens of milliseconds (about 70 ms of a 600 ms start, docs/performance.md). Once the first step
and the outline are shown, those objects are moved out of the collector's sight (``gc.freeze``,
keeping the ~1 MiB of start-up garbage) and collection resumes.
"""

from __future__ import annotations

import argparse
import gc
import sys
import threading
from typing import Any

EXIT_USAGE = 2


def _fail(message: str) -> int:
    print(f"tutor: {message}", file=sys.stderr)
    return EXIT_USAGE


class _StoreOpener(threading.Thread):
    """Opens the store in the background; ``result()`` returns it or raises its ``StoreError``."""

    def __init__(self, home: Any) -> None:
        super().__init__(name="tutor-store-open", daemon=True)
        self.home = home
        self.store: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            from tutor.progress.store import Store

            self.store = Store.open(self.home)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            self.error = exc

    def result(self) -> Any:
        self.join()
        if self.error is not None:
            raise self.error
        return self.store

    def discard(self) -> None:
        self.join()
        if self.store is not None:
            self.store.close()


def _end_startup() -> None:
    """The app's first step and outline are shown: collect garbage again (see the module doc)."""
    gc.freeze()
    gc.enable()


def run(args: argparse.Namespace) -> int:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    from tutor.app.course_cache import load_course_cached
    from tutor.paths import lessons_dir, tutor_home

    home = tutor_home()
    opener = _StoreOpener(home)
    opener.start()

    folder = lessons_dir(getattr(args, "lessons", None))
    try:
        course = load_course_cached(folder)
    except OSError as exc:
        opener.discard()
        return _fail(f"cannot read the lessons in {folder}: {exc}")
    except Exception as exc:  # CourseError: imported only when the YAML had to be read
        from tutor.course.errors import CourseError

        opener.discard()
        if not isinstance(exc, CourseError):
            raise
        return _fail(f"{exc}\n(`tutor validate {folder}` lists every problem)")

    lesson_id = getattr(args, "lesson", None)
    if lesson_id is not None and course.lesson(lesson_id) is None:
        opener.discard()
        known = ", ".join(lesson.id for lesson in course.lessons)
        return _fail(f"no lesson `{lesson_id}`; the lessons are {known}")

    from tutor.app.app import TutorApp
    from tutor.progress.store import StoreError
    from tutor.progress.workspace import Workspace

    try:
        store = opener.result()
    except StoreError as exc:
        return _fail(str(exc))
    if store.notice:
        print(f"tutor: {store.notice}", file=sys.stderr)

    try:
        app = TutorApp(course, store, Workspace(home), lesson_id=lesson_id, on_ready=_end_startup)
    except ValueError as exc:
        store.close()
        return _fail(str(exc))
    try:
        result = app.run()
    finally:
        store.close()
    if app.return_code not in (None, 0):
        return int(app.return_code)
    return int(result or 0)
