"""The learner's state in ``TUTOR_HOME``: the SQLite progress store and the workspace files.

Imports only the standard library (never NumPy or Textual): the app's first screen uses it. The
names below are loaded on first use (PEP 562), so ``tutor.progress.source`` (what ``tutor check``
needs before it grades) does not cost the store's import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor._lazy import exports

if TYPE_CHECKING:
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

_HOME: dict[str, str] = {
    "Attempt": "store",
    "ExerciseSummary": "store",
    "QuizAnswer": "store",
    "StepRecord": "store",
    "Store": "store",
    "StoreError": "store",
    "record_check": "store",
    "Signature": "workspace",
    "Workspace": "workspace",
    "WorkspaceConflict": "workspace",
    "WorkspaceError": "workspace",
    "atomic_write": "workspace",
}

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


__getattr__, __dir__ = exports(__name__, _HOME, __all__)
