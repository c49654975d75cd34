"""Errors found in lesson files: each names the file, the line and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LessonError:
    """One problem in a lesson file, rendered as ``path:line: field: message``.

    ``line`` is 1-based (0 when the problem has no line, e.g. a missing folder); ``field`` is the
    place inside the file, e.g. ``steps[3].hints`` (indexes are 0-based), or ``""`` for the whole file.
    """

    path: Path
    line: int
    field: str
    message: str

    def render(self, path_text: str | None = None) -> str:
        where = path_text if path_text is not None else str(self.path)
        if self.line > 0:
            where = f"{where}:{self.line}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.render()


class CourseError(Exception):
    """The course could not be loaded; ``errors`` lists every problem found (all at once)."""

    def __init__(self, errors: list[LessonError]) -> None:
        self.errors = list(errors)
        n = len(self.errors)
        head = f"{n} error{'s' if n != 1 else ''} in the lesson files"
        super().__init__(head + "".join(f"\n{e}" for e in self.errors))
