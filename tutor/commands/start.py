"""``tutor start [--lesson ID]``: open the app where the learner left off (or at lesson ID).

Errors the learner can cause print ``tutor: <message>`` and exit 2 before the screen opens: a
content error lists the validator's messages, a store problem names the folder, an unknown lesson
says which ones exist.
"""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2


def _fail(message: str) -> int:
    print(f"tutor: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from tutor.course.errors import CourseError
    from tutor.course.loader import load_course
    from tutor.paths import lessons_dir, tutor_home
    from tutor.progress.store import Store, StoreError
    from tutor.progress.workspace import Workspace

    folder = lessons_dir(getattr(args, "lessons", None))
    try:
        course = load_course(folder)
    except CourseError as exc:
        return _fail(f"{exc}\n(`tutor validate {folder}` lists every problem)")
    except OSError as exc:
        return _fail(f"cannot read the lessons in {folder}: {exc}")

    lesson_id = getattr(args, "lesson", None)
    if lesson_id is not None and course.lesson(lesson_id) is None:
        known = ", ".join(lesson.id for lesson in course.lessons)
        return _fail(f"no lesson `{lesson_id}`; the lessons are {known}")

    home = tutor_home()
    try:
        store = Store.open(home)
    except StoreError as exc:
        return _fail(str(exc))
    if store.notice:
        print(f"tutor: {store.notice}", file=sys.stderr)

    from tutor.app.app import TutorApp

    try:
        app = TutorApp(course, store, Workspace(home), lesson_id=lesson_id)
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
