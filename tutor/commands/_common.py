"""What the progress commands (list, progress, hint, solution, reset) share.

Loading the course and the store with learner-facing errors, the "did you mean" message for an
unknown id, and the confirmation question (refused, not assumed, when stdin is not a terminal).
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from tutor.paths import lessons_dir, tutor_home
from tutor.progress.store import Store, StoreError
from tutor.progress.workspace import Workspace, WorkspaceError

if TYPE_CHECKING:
    from tutor.course.model import Course

EXIT_USAGE = 2


class CommandError(Exception):
    """A problem the learner can fix; printed as ``tutor: <message>``, exit 2."""


def handles_errors(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn :class:`CommandError`, :class:`StoreError` and :class:`WorkspaceError` into exit 2."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (CommandError, StoreError, WorkspaceError) as exc:
            print(f"tutor: {exc}", file=sys.stderr)
            return EXIT_USAGE

    return wrapper


def load(args: argparse.Namespace) -> Course:
    """The course in use (``--lessons``, ``TUTOR_LESSONS`` or the shipped one)."""
    from tutor.course.errors import CourseError
    from tutor.course.loader import load_course

    folder = lessons_dir(getattr(args, "lessons", None))
    try:
        return load_course(folder)
    except CourseError as exc:
        raise CommandError(f"{exc}\n(`tutor validate {folder}` lists every problem)") from None
    except OSError as exc:
        raise CommandError(f"cannot read the lessons in {folder}: {exc}") from None


def open_store() -> Store:
    """The store in ``TUTOR_HOME``; a recovery notice (damaged file moved aside) goes to stderr."""
    store = Store.open(tutor_home())
    if store.notice:
        print(f"tutor: {store.notice}", file=sys.stderr)
    return store


def workspace() -> Workspace:
    return Workspace(tutor_home())


def unknown(kind: str, given: str, known: Iterable[str]) -> CommandError:
    """ "no exercise `adamm` — did you mean `adam`?" (or where to find the ids)."""
    from tutor.suggest import closest

    close = closest(given, known)
    if close:
        return CommandError(f"no {kind} `{given}` — did you mean `{close}`?")
    return CommandError(f"no {kind} `{given}`; `tutor list` shows them all")


def confirm(question: str, *, yes: bool, what: str) -> bool:
    """Ask ``question`` [y/N]. ``--yes`` answers yes; without a terminal on stdin, refuse.

    ``what`` names the act for the refusal message ("reset", "show the solution").
    """
    if yes:
        return True
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        raise CommandError(
            f"will not {what} without asking, and stdin is not a terminal to ask on; "
            "add --yes to go ahead"
        )
    print(f"{question} [y/N] ", end="", flush=True)
    try:
        answer = stdin.readline()
    except (EOFError, OSError):
        answer = ""
    return answer.strip().lower() in ("y", "yes")
