"""The course: lesson files read into an immutable model, and their validation.

``load_course(root)`` reads a course folder (YAML only: it imports neither NumPy nor the lessons'
Python) and raises ``CourseError`` listing every problem; ``validate_course(root, resolve=True)``
also imports every dotted path the lessons name and checks the experiments' signatures.

The names below are imported on first use (PEP 562), so that importing one submodule
(``tutor.course.model`` for a cached course) does not pay for the YAML loader and the validator:
the app's start-up depends on it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.course.errors import CourseError, LessonError
    from tutor.course.loader import load_course
    from tutor.course.validate import Validation, validate_course

__all__ = ["CourseError", "LessonError", "Validation", "load_course", "validate_course"]

_WHERE = {
    "CourseError": "tutor.course.errors",
    "LessonError": "tutor.course.errors",
    "load_course": "tutor.course.loader",
    "Validation": "tutor.course.validate",
    "validate_course": "tutor.course.validate",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tutor.course' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
