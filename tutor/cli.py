"""The ``tutor`` command line: argument parsing only.

Each command's work lives in ``tutor/commands/<name>.py`` as ``run(args) -> int`` and is
imported only when that command runs, so ``tutor --help`` stays instant and no command
pays for another's imports. Exit codes: 0 success, 1 a failed check, 2 usage or content error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tutor import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default exit code is already 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="tutor",
        description="A terminal tutor that teaches how neural networks are trained well.",
        epilog="TUTOR_HOME sets where progress and your code are kept; TUTOR_LESSONS (or --lessons) "
        "loads lessons from another folder.",
    )
    p.add_argument("--version", action="version", version=f"tutor {__version__}")
    p.add_argument(
        "--lessons",
        metavar="DIR",
        help="load lessons from DIR instead of the shipped course (its Python code is trusted and run)",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("start", help="open the tutor (resumes where you left off)")
    s.add_argument("--lesson", metavar="ID", help="open lesson ID (e.g. 7.7)")

    s = sub.add_parser("list", help="lessons and exercises with their status")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("check", help="grade an exercise (exit 0 passed, 1 failed, 2 error)")
    s.add_argument("id", metavar="ID", help="exercise id, e.g. adam")
    s.add_argument("--file", metavar="PATH", help="grade PATH instead of the workspace file")
    s.add_argument("--seed", type=int, metavar="N", help="replay the check that used seed N")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("hint", help="show the next hint for an exercise")
    s.add_argument("id", metavar="ID")

    s = sub.add_parser("solution", help="show the worked solution (asks first)")
    s.add_argument("id", metavar="ID")
    s.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    s = sub.add_parser("progress", help="what is done, per module")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("reset", help="forget progress (your code is backed up, not deleted)")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("id", nargs="?", metavar="ID", help="exercise or lesson id")
    g.add_argument("--all", action="store_true", help="forget everything")
    s.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    s = sub.add_parser("doctor", help="how well checked code is isolated here (each sandbox mechanism)")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("validate", help="check lesson files (errors name file, line and field)")
    s.add_argument("dir", nargs="?", metavar="DIR", help="lessons folder (default: the course in use)")
    return p


#: commands after which the ``tutor`` process ends without the interpreter's teardown
#: (``entry``): they close every file, store and process they use themselves
_QUICK_EXIT = frozenset({"check"})


def main(argv: Sequence[str] | None = None) -> int:
    return _main(argv)[1]


def _main(argv: Sequence[str] | None) -> tuple[str | None, int]:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return None, EXIT_OK
    module = importlib.import_module(f"tutor.commands.{args.command}")
    try:
        return args.command, int(module.run(args))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return args.command, 130
    except BrokenPipeError:
        return args.command, EXIT_OK


def entry() -> None:
    """The ``tutor`` command (``python -m tutor`` too): ``main()``, then exit.

    After ``tutor check`` the process ends at once, its output flushed (``os._exit``): the
    interpreter's teardown (NumPy's modules alone, ~15 ms) is a tenth of a cold check and nobody
    waits for it; the command has closed its store and stopped its worker itself."""
    command, code = _main(None)
    if command in _QUICK_EXIT:
        import os

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
