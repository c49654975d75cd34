"""``tutor validate [DIR]``: check a lessons folder; every error names the file, the line and the field.

Exit 0 with a one-line summary ("20 lessons, 25 exercises, 0 errors") when the course is clean,
2 after printing every error otherwise. Validation imports every dotted path the lessons name,
including the folder's own Python when course.yaml names one (printed as a note: that is trusted code).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutor.course import validate_course
from tutor.paths import lessons_dir

EXIT_OK = 0
EXIT_ERRORS = 2


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def run(args: argparse.Namespace) -> int:
    root = lessons_dir(getattr(args, "dir", None) or getattr(args, "lessons", None))
    if not root.is_dir():
        print(f"tutor: no lessons folder at {root}", file=sys.stderr)
        return EXIT_ERRORS
    result = validate_course(root, resolve=True)
    for note in result.notes:
        print(f"note: {note}")
    for error in result.errors:
        print(error.render(_shown(error.path)))
    if result.errors:
        print(f"{_shown(root)}: {result.summary()}")
        return EXIT_ERRORS
    print(result.summary())
    return EXIT_OK
