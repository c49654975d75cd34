"""The learner's state in ``TUTOR_HOME``: the SQLite progress store and the workspace files.

Imports only the standard library (never NumPy or Textual): the app's first screen uses it. The
names below are loaded on first use (PEP 562), so ``tutor.progress.source`` (what ``tutor check``
needs before it grades) does not cost the store's import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
