"""The course: lesson files read into an immutable model, and their validation.

``load_course(root)`` reads a course folder (YAML only: it imports neither NumPy nor the lessons'
Python) and raises ``CourseError`` listing every problem; ``validate_course(root, resolve=True)``
also imports every dotted path the lessons name and checks the experiments' signatures.
"""

from tutor.course.errors import CourseError, LessonError
from tutor.course.loader import load_course
from tutor.course.validate import Validation, validate_course

__all__ = ["CourseError", "LessonError", "Validation", "load_course", "validate_course"]
