"""The app's way into the grader: one warm sandbox, started on first use, closed on exit.

Everything heavy (NumPy, the grader, the sandbox process) is imported here only when a check
runs, never at start-up. Calls come from worker threads; a lock keeps one run at a time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Protocol

from tutor.course.model import Exercise

if TYPE_CHECKING:
    from tutor.grading.verdict import Verdict


class Checker(Protocol):
    """What the app needs from the grading side (tests pass a fake)."""

    def check(self, exercise: Exercise, source: str, filename: str) -> Verdict:
        """Grade ``source``."""

    def run(self, request: Any) -> Any:
        """Run a ``RunRequest`` in the sandbox; returns a ``RunResult``."""

    def warm(self) -> None:
        """Get ready for the first check (called in a worker thread when an exercise is shown)."""

    def close(self) -> None: ...


class SandboxChecker:
    """The real grader, with a warm ``Sandbox`` shared by every check of the session."""

    def __init__(self, python_path: Any = None) -> None:
        """``python_path``: a course folder's own Python (``Course.python_path``), trusted."""
        self._lock = threading.Lock()
        self._sandbox: Any = None
        self._python_path = python_path

    def _ensure(self) -> Any:
        if self._sandbox is None:
            from tutor.grading.sandbox import Sandbox

            self._sandbox = Sandbox()
        return self._sandbox

    def warm(self) -> None:
        """Start the sandbox now (from a worker) so the first check does not wait for it."""
        with self._lock:
            self._ensure()

    def check(self, exercise: Exercise, source: str, filename: str) -> Verdict:
        from tutor.course.resolve import add_python_path
        from tutor.grading.grade import grade

        add_python_path(self._python_path)
        with self._lock:
            return grade(exercise, source, filename=filename, sandbox=self._ensure())

    def run(self, request: Any) -> Any:
        with self._lock:
            return self._ensure().run(request)

    def close(self) -> None:
        with self._lock:
            if self._sandbox is not None:
                try:
                    self._sandbox.close()
                finally:
                    self._sandbox = None
