"""``tutor solution ID``: the worked solution, after a confirmation; the reveal is recorded."""

from __future__ import annotations

import argparse

from tutor.commands._common import confirm, handles_errors, load, open_store, unknown


@handles_errors
def run(args: argparse.Namespace) -> int:
    course = load(args)
    exercise = course.exercise(args.id)
    if exercise is None:
        raise unknown("exercise", args.id, course.exercises)
    with open_store() as store:
        seen_before = store.solution_revealed(exercise.id)
        if not seen_before:
            done = store.exercise_done(exercise.id)
            lead = (
                "You have passed it already." if done else "It teaches most after you have tried on your own."
            )
            if not confirm(
                f"Show the worked solution for `{exercise.id}`? {lead}",
                yes=getattr(args, "yes", False),
                what="show the solution",
            ):
                print("Not shown.")
                return 0
            store.reveal_solution(exercise.id)
    print(f"Worked solution for `{exercise.id}` ({exercise.title}):\n")
    print(exercise.solution.rstrip())
    return 0
