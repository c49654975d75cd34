"""The learner's state in ``TUTOR_HOME``: the SQLite progress store and the workspace files.

Imports only the standard library (never NumPy or Textual): the app's first screen uses it.
"""

from tutor.progress.store import (
    Attempt,
    ExerciseSummary,
    QuizAnswer,
    StepRecord,
    Store,
    StoreError,
    record_check,
)
from tutor.progress.workspace import (
    Signature,
    Workspace,
    WorkspaceConflict,
    WorkspaceError,
    atomic_write,
)

__all__ = [
    "Attempt",
    "ExerciseSummary",
    "QuizAnswer",
    "Signature",
    "StepRecord",
    "Store",
    "StoreError",
    "Workspace",
    "WorkspaceConflict",
    "WorkspaceError",
    "atomic_write",
    "record_check",
]
