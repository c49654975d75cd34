"""``tutor reset ID | --all [--yes]``: forget progress; the code is backed up, never deleted.

``ID`` is a lesson id (its steps, quiz answers, time and its exercises) or an exercise id (its
attempts, hints, solution flag and its steps in every lesson). Ids that are only in the store (no
longer in the course) may be reset too. ``--all`` forgets everything but the settings.

Order of work, so that a failure at any point loses nothing: a backup folder
``TUTOR_HOME/backups/<time>/``; one store transaction that reads the records to forget, writes them
to ``progress.json`` in that folder (if that fails, nothing is forgotten) and deletes them; then the
workspace files moved into the backup folder.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from typing import Any

from tutor.commands._common import CommandError, confirm, handles_errors, load, open_store, unknown, workspace
from tutor.progress.status import Snapshot, orphans
from tutor.progress.store import Store
from tutor.progress.workspace import Workspace, WorkspaceError, atomic_write

BACKUP_RECORD = "progress.json"


@dataclass(frozen=True)
class Target:
    """What one reset forgets. ``everything`` ignores the other fields."""

    label: str  # "exercise `adam`", "lesson 7.7 (Adam)", "all your progress"
    exercise_ids: tuple[str, ...] = ()
    lesson_ids: tuple[str, ...] = ()
    step_keys: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # workspace files (exercise ids) to move
    everything: bool = False

    def selection(self) -> dict[str, Any]:
        if self.everything:
            return {}
        return {
            "exercise_ids": self.exercise_ids,
            "lesson_ids": self.lesson_ids,
            "step_keys": self.step_keys,
        }


def resolve(target: str | None, everything: bool, course: Any, snap: Snapshot, ws: Workspace) -> Target:
    if everything:
        return Target("all your progress", files=tuple(ws.exercise_ids()), everything=True)
    assert target is not None
    lost = orphans(course, snap)
    lesson = course.lesson(target)
    if lesson is not None or target in lost.lessons:
        ex_ids = tuple(e.id for e in lesson.exercises) if lesson is not None else ()
        title = f"lesson {target} ({lesson.title})" if lesson is not None else f"lesson {target}"
        return Target(title, exercise_ids=ex_ids, lesson_ids=(target,), files=ex_ids)
    if course.exercise(target) is not None or target in lost.exercises or target in snap.workspace_files:
        keys = tuple(f"{x.id}/{target}" for x in course.lessons_with(target))
        return Target(f"exercise `{target}`", exercise_ids=(target,), step_keys=keys, files=(target,))
    known = [*course.exercises, *(x.id for x in course.lessons), *lost.exercises, *lost.lessons]
    raise unknown("exercise or lesson", target, known)


def describe(t: Target, store: Store, ws: Workspace) -> str:
    rec = store.export(**t.selection())
    parts = []
    for key, one, many in (
        ("steps", "step", "steps"),
        ("quiz_answers", "quiz answer", "quiz answers"),
        ("attempts", "check attempt", "check attempts"),
    ):
        n = len(rec[key])
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    hints = sum(int(r["hints_revealed"]) for r in rec["exercises"])
    if hints:
        parts.append(f"{hints} hint{'s' if hints != 1 else ''} shown")
    if any(r["solution_revealed_at"] is not None for r in rec["exercises"]):
        parts.append("solution seen")
    if rec["lesson_time"]:
        parts.append("time spent")
    if t.everything and rec.get("position"):
        parts.append("your last position")
    files = [f"{i}.py" for i in t.files if ws.exists(i)]
    text = f"Reset {t.label}: forget " + (", ".join(parts) if parts else "nothing recorded yet")
    if files:
        shown = ", ".join(files[:6]) + (f" and {len(files) - 6} more" if len(files) > 6 else "")
        text += f"; move your code ({shown}) to {ws.backups_dir}/<time>/"
    return text + "."


@handles_errors
def run(args: argparse.Namespace) -> int:
    if not args.all and not args.id:
        raise CommandError("say what to reset: an exercise or lesson id, or --all")
    course = load(args)
    ws = workspace()
    with open_store() as store:
        snap = Snapshot.read(store, ws)
        t = resolve(args.id, args.all, course, snap, ws)
        question = describe(t, store, ws) + " Go ahead?"
        if not confirm(question, yes=args.yes, what="reset"):
            print("Nothing was reset.")
            return 0
        folder = ws.new_backup_folder()

        def keep(records: dict[str, Any]) -> None:
            doc = {"reset": t.label, "selection": {k: list(v) for k, v in t.selection().items()}, **records}
            try:
                atomic_write(folder / BACKUP_RECORD, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            except OSError as exc:
                raise WorkspaceError(f"cannot write {folder / BACKUP_RECORD}: {exc}; nothing was reset") from None

        store.forget(**t.selection(), keep=keep)
        moved = ws.move_to(folder, t.files)
    print(f"Reset {t.label}.")
    kept = [p.name for p in moved] + [BACKUP_RECORD]
    print(f"Set aside in {folder}{os.sep}\n  {', '.join(kept)}")
    return 0
