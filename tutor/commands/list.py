"""``tutor list [--json]``: modules, lessons and exercises with their status.

The JSON shape is documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tutor.commands._common import handles_errors, load, open_store, workspace
from tutor.progress.status import (
    Snapshot,
    exercise_status_in,
    lesson_status,
    module_status,
    orphans,
    step_done,
)

MARK = {"done": "[x]", "started": "[~]", "not started": "[ ]"}
JSON_FORMAT = 1


def build(course: Any, snap: Snapshot) -> dict[str, Any]:
    """The ``tutor list --json`` document."""
    modules = []
    for module in course.modules:
        lessons = []
        for lesson in module.lessons:
            exercises = []
            for ex in lesson.exercises:
                s = snap.exercises.get(ex.id)
                exercises.append(
                    {
                        "id": ex.id,
                        "title": ex.title,
                        "status": exercise_status_in(ex, course, snap),
                        "attempts": s.attempts if s else 0,
                        "hints_revealed": s.hints_revealed if s else 0,
                        "hints_total": len(ex.hints),
                        "solution_revealed": bool(s and s.solution_revealed),
                    }
                )
            lessons.append(
                {
                    "id": lesson.id,
                    "title": lesson.title,
                    "status": lesson_status(lesson, snap),
                    "steps_done": sum(step_done(lesson, st, snap) for st in lesson.steps),
                    "steps_total": len(lesson.steps),
                    "exercises": exercises,
                }
            )
        modules.append(
            {"id": module.id, "title": module.title, "status": module_status(module, snap), "lessons": lessons}
        )
    lost = orphans(course, snap)
    return {
        "format": JSON_FORMAT,
        "course": course.title,
        "modules": modules,
        "orphans": {"exercises": list(lost.exercises), "lessons": list(lost.lessons), "steps": list(lost.steps)},
    }


def _line(left: str, right: str, width: int = 78) -> str:
    room = width - len(right) - 1
    if len(left) > room:
        left = left[: max(room - 1, 0)] + "…"
    return f"{left:<{room}} {right}"


def render(doc: dict[str, Any]) -> str:
    out = [doc["course"], ""]
    for m in doc["modules"]:
        out.append(_line(f"{m['id']}  {m['title']}", m["status"]))
        for lesson in m["lessons"]:
            steps = f"{lesson['steps_done']}/{lesson['steps_total']} steps"
            out.append(_line(f"  {MARK[lesson['status']]} {lesson['id']:<5} {lesson['title']}", steps))
            for ex in lesson["exercises"]:
                n = ex["attempts"]
                right = ex["status"] + (f", {n} attempt{'s' if n != 1 else ''}" if n else "")
                out.append(_line(f"        {MARK[ex['status']]} {ex['id']}  {ex['title']}", right))
        out.append("")
    out.append("[x] done  [~] started  [ ] not started   `tutor check ID` grades exercise ID")
    return "\n".join(out)


@handles_errors
def run(args: argparse.Namespace) -> int:
    course = load(args)
    with open_store() as store:
        snap = Snapshot.read(store, workspace())
    doc = build(course, snap)
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    print(render(doc))
    for message in orphans(course, snap).messages():
        print(message)
    return 0
