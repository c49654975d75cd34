"""Run untrusted learner code in a separate process and bring back plain data.

``Sandbox()`` is a warm worker: a long-lived process (``_worker_main.py``, started by path) that has
NumPy and ``numpy.random`` imported, is a child subreaper, and forks one fresh child per request.
The child runs the learner's file and the case programs under resource limits and streams each
case's outputs back as data (``wire.py``); the worker enforces the wall-time limit and kills every
descendant at the end. ``run_once(request)`` does the same with a worker started for one call.

The parent decides nothing here: ``RunResult`` holds what came back; the comparison with expected
outputs is done by the caller (``grade.py``), in the trusted process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tutor.grading.program import CaseRun, ErrorInfo
from tutor.grading.wire import Unsupported

__all__ = [
    "RunRequest",
    "RunResult",
    "CaseRun",
    "ErrorInfo",
    "Unsupported",
    "STATUSES",
]

#: every value ``RunResult.status`` can take
STATUSES = (
    "ok",  # the file loaded and every case ran (a case may still hold an error record)
    "syntax_error",  # the file does not compile
    "import_error",  # running the file raised (including KeyboardInterrupt)
    "missing_names",  # a required name is not defined (or not callable)
    "timeout",  # the wall-time (or CPU) limit was reached
    "memory",  # the memory limit was reached
    "crashed",  # the process died of a signal (segfault, abort, ...) or the worker failed
    "exited",  # sys.exit / SystemExit / os._exit
    "refused",  # the file imports tutor (the reference)
)


@dataclass(frozen=True)
class RunRequest:
    """One grading run: the learner's file and the case programs to run against it."""

    source: str  # the learner's file
    filename: str  # shown in tracebacks (the workspace path)
    names: tuple[str, ...]  # must be defined by the file
    cases: tuple[dict, ...]  # case programs (see program.py)
    time_limit: float = 5.0  # seconds, for the whole run
    memory_mb: int = 512  # address space the learner's code may add
    output_limit: int = 4096  # bytes of stdout/stderr kept


@dataclass(frozen=True)
class RunResult:
    """What came back. ``cases`` are the cases that finished, in order (all when status is "ok")."""

    status: str
    cases: tuple[CaseRun, ...]
    message: str  # one line for the learner: "timed out after 5 s", "SyntaxError at line 4: ..."
    traceback: str  # cut to the learner's lines, "" if none
    output: str  # the learner's printed output, trimmed to output_limit
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)  # diagnostics (exit code, signal name)

    @property
    def ok(self) -> bool:
        return self.status == "ok"
