"""Where things live: the learner's home folder and the lessons folder.

Resolution order for the lessons: ``--lessons DIR`` on the command line, then the
``TUTOR_LESSONS`` environment variable, then the course shipped with the package.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tutor"


def tutor_home() -> Path:
    """``TUTOR_HOME`` if set, else the platform's user data folder for tutor."""
    env = os.environ.get("TUTOR_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def shipped_lessons_dir() -> Path:
    """The course that ships with the package.

    In a wheel the lessons are installed as ``tutor/lessons``; in a source checkout
    (editable install, or running from the repository) they are ``<repo>/lessons``.
    """
    here = Path(__file__).resolve().parent
    inside = here / "lessons"
    if inside.is_dir():
        return inside
    return here.parent / "lessons"


def lessons_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The lessons folder to load: ``--lessons``, else ``TUTOR_LESSONS``, else the shipped course."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("TUTOR_LESSONS")
    if env:
        return Path(env).expanduser()
    return shipped_lessons_dir()
