"""``tutor hint ID``: the next hint of an exercise, recorded in the store."""

from __future__ import annotations

import argparse

from tutor.commands._common import handles_errors, load, open_store, unknown


@handles_errors
def run(args: argparse.Namespace) -> int:
    course = load(args)
    exercise = course.exercise(args.id)
    if exercise is None:
        raise unknown("exercise", args.id, course.exercises)
    hints = exercise.hints
    total = len(hints)
    if total == 0:
        print(f"`{exercise.id}` has no hints; `tutor solution {exercise.id}` shows the worked solution.")
        return 0
    with open_store() as store:
        before = store.hints_revealed(exercise.id)
        if before >= total:
            print(f"all {total} hints shown for `{exercise.id}`:")
            for i, text in enumerate(hints, 1):
                print(f"\nHint {i} of {total}:\n{text.rstrip()}")
            print(f"\nStill stuck? `tutor solution {exercise.id}` shows the worked solution.")
            return 0
        n = store.reveal_hint(exercise.id, available=total)
    print(f"Hint {n} of {total} for `{exercise.id}`:\n{hints[n - 1].rstrip()}")
    if n >= total:
        print(f"\n(all {total} hints shown)")
    else:
        print(f"\n(`tutor hint {exercise.id}` again for the next one)")
    return 0
