"""The result of a check: plain frozen data, rendered by the CLI (``report.py``) and the app.

``Verdict.to_dict()`` is JSON-safe (the shape is documented in docs/check-json.md) and
``Verdict.to_json()`` is that dict as a JSON string.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Diagnosis", "NearMatch", "QuantityCheck", "QuantityReport", "CaseVerdict", "Verdict"]


@dataclass(frozen=True)
class Diagnosis:
    """A known mistake whose outputs agree with the learner's on every case.

    ``scope`` (per-function diagnosis): when not empty, the function or method (``"backward"``,
    ``"Dropout.backward"``, ``"Adam"``) on whose outputs alone the mistake agrees with the learner's
    on every case, while another function differs for another reason."""

    name: str
    message: str
    scope: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "message": self.message, "scope": self.scope}


@dataclass(frozen=True)
class NearMatch:
    """A known mistake that agrees with the learner's outputs on most cases, but not all."""

    name: str
    message: str
    agree: int  # cases where the outputs agree
    total: int  # cases compared
    differ: tuple[str, ...] = ()  # names of (up to three) cases where they do not

    @property
    def text(self) -> str:
        where = ", ".join(repr(n) for n in self.differ)
        more = f"; not on {where}" if where else ""
        return f"your outputs match '{self.name}' on {self.agree} of {self.total} cases{more}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "message": self.message,
            "agree": self.agree,
            "total": self.total,
            "differ": list(self.differ),
            "text": self.text,
        }


@dataclass(frozen=True)
class QuantityCheck:
    """One named quantity of the formula inside the learner's call.

    ``status``: ``"ok"`` (a value of theirs equals it, or a later right quantity is computed from
    it), ``"wrong"`` (none does), ``"unseen"`` (no value of theirs to compare: computed inline)."""

    name: str
    status: str
    line: int | None = None  # the line of the learner's file that bound the value
    explanation: str = ""

    @property
    def mark(self) -> str:
        return {"ok": "✓", "wrong": "✗"}.get(self.status, "·")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "line": self.line, "explanation": self.explanation}


@dataclass(frozen=True)
class QuantityReport:
    """The first wrong quantity inside the learner's call, in the formula's order (issue 14).

    Built from the values the learner's code bound (recorded in the sandbox) against the
    reference's quantities for one failing case; a diagnosis only, never part of the verdict."""

    case: str  # the failing case it was computed for
    call: str  # the call inside it: "adam_update", "Adam.step call #2"
    items: tuple[QuantityCheck, ...]  # in the formula's order, up to the first wrong one
    first_wrong: str  # its name
    line: int | None  # the learner's line that bound it, when known

    @property
    def message(self) -> str:
        """``v′ ✓ s′ ✓ v̂ ✗ — your v̂ equals v′ / (1 − β₁^(t+1)) (line 7)``."""
        marks = " ".join(f"{q.name} {q.mark}" for q in self.items)
        wrong = next((q for q in self.items if q.status == "wrong"), None)
        text = marks
        if wrong is not None and wrong.explanation:
            text += f" — {wrong.explanation}"
        if self.line is not None:
            text += f" (line {self.line})"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "call": self.call,
            "items": [q.to_dict() for q in self.items],
            "first_wrong": self.first_wrong,
            "line": self.line,
            "message": self.message,
        }


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

    quantities: QuantityReport | None = None  # the first wrong quantity inside the learner's call
    near: tuple[NearMatch, ...] = ()  # known mistakes that agree on most cases but not all

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
            "near_matches": [n.to_dict() for n in self.near],
            "quantities": self.quantities.to_dict() if self.quantities is not None else None,
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
