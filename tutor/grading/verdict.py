"""The result of a check: plain frozen data, rendered by the CLI (``report.py``) and the app.

``Verdict.to_dict()`` is JSON-safe (the shape is documented in docs/check-json.md) and
``Verdict.to_json()`` is that dict as a JSON string.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Diagnosis", "CaseVerdict", "Verdict"]


@dataclass(frozen=True)
class Diagnosis:
    """A known mistake whose outputs agree with the learner's on every case."""

    name: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "message": self.message}


@dataclass(frozen=True)
class CaseVerdict:
    """One case: passed or not, and why.

    ``message`` is one line ("" when the case passed); ``details`` the further lines (other
    mismatches, an expected-vs-got excerpt). The error fields are those of the first mismatch
    (``where`` is the output path, e.g. ``result[0]`` or ``update result[0] − w``).
    """

    name: str
    passed: bool
    message: str = ""
    details: tuple[str, ...] = ()
    where: str = ""
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    index: tuple[int, ...] | None = None
    expected: str = ""
    got: str = ""
    traceback: str = ""  # the learner's exception in this case, cut to their own lines
    mutated: tuple[str, ...] = ()  # arguments the learner's code changed in place
    inputs: str = ""  # a small view of the inputs (first failing case only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "message": self.message,
            "details": list(self.details),
            "where": self.where,
            "max_abs_error": _num(self.max_abs_error),
            "max_rel_error": _num(self.max_rel_error),
            "index": list(self.index) if self.index is not None else None,
            "expected": self.expected,
            "got": self.got,
            "traceback": self.traceback,
            "mutated": list(self.mutated),
            "inputs": self.inputs,
        }


@dataclass(frozen=True)
class Verdict:
    """The whole check.

    ``status`` is the sandbox's ("ok", "syntax_error", "import_error", "missing_names", "timeout",
    "memory", "crashed", "exited", "refused"); ``passed`` is true only when the status is "ok" and
    every case passed. ``message``/``traceback`` describe a failure of the whole run (a syntax
    error, a timeout); ``output`` is the learner's printed output, trimmed. ``seed`` replays the
    check exactly (``tutor check ID --seed N``).
    """

    exercise: str
    passed: bool
    seed: int
    status: str
    summary: str
    cases: tuple[CaseVerdict, ...] = ()
    diagnosis: tuple[Diagnosis, ...] = ()
    output: str = ""
    message: str = ""
    traceback: str = ""
    seconds: float = 0.0
    #: the confinement the code ran under (``RunResult.sandbox``): mechanisms in force, missing
    sandbox: dict[str, Any] = field(default_factory=dict)

    @property
    def isolation_partial(self) -> bool:
        from tutor.grading.sandbox import partial

        return partial(self.sandbox)

    @property
    def cases_passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def cases_total(self) -> int:
        return len(self.cases)

    @property
    def first_failure(self) -> CaseVerdict | None:
        return next((c for c in self.cases if not c.passed), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "passed": self.passed,
            "seed": self.seed,
            "status": self.status,
            "summary": self.summary,
            "message": self.message,
            "traceback": self.traceback,
            "cases_passed": self.cases_passed,
            "cases_total": self.cases_total,
            "cases": [c.to_dict() for c in self.cases],
            "diagnosis": [d.to_dict() for d in self.diagnosis],
            "output": self.output,
            "seconds": round(self.seconds, 4),
            "sandbox": {
                "mechanisms": list(self.sandbox.get("mechanisms", ())),
                "missing": dict(self.sandbox.get("missing", {})),
                "partial": self.isolation_partial,
            },
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _num(x: float | None) -> float | str | None:
    """JSON has no inf/NaN: write them as strings."""
    if x is None:
        return None
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float(x)
