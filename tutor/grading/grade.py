"""Grade a learner's file for one exercise: ``grade(exercise, source, ...) -> Verdict``.

1. Cases: the exercise's generator (``exercise.cases``, a dotted path) called with
   ``numpy.random.default_rng(seed)`` — a fresh seed unless one is given, so outputs cannot be
   memorized and ``tutor check ID --seed N`` replays a check exactly — plus the YAML ``edge_cases``.
2. The learner's code runs in the sandbox (a separate process) on those cases; the child never
   sees an expected output.
3. The reference (``exercise.reference``, a module holding ``exercise.names``) runs the same cases
   here, in the trusted process, with the same interpreter (``program.py``).
4. Each case is compared (``compare.py``): outputs, updates ``w' − w``, and the inputs the learner
   changed in place (a failure unless ``allow_mutation``).
5. On failure, each known mistake (its ``impl`` standing for ``names[0]`` or its ``replaces``
   name, the other names from the reference) runs here on the same cases; a mistake whose outputs
   agree with the learner's on every case, within the tolerance, is named in the diagnosis. When
   none does: a mistake that agrees on every output of one function or method (``Dropout.backward``)
   is named for that function (per-function diagnosis: a bug in one is not hidden behind another
   function's mismatch), and the mistake that agrees on most cases is a near match.
6. On failure, when the exercise declares ``quantities:``, the values the learner's code bound in
   the sandbox (``trace.py``) are matched against the reference's quantities of the first failing
   case(s): the first wrong one, in the formula's order (``quantities.py``). A diagnosis only: the
   verdict is decided on outputs alone.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from tutor.course.model import Exercise
from tutor.grading.compare import Mismatch, compare_case
from tutor.grading.program import CaseRun, Ref, Rng, run_case
from tutor.grading.verdict import CaseVerdict, Diagnosis, NearMatch, QuantityReport, Verdict

__all__ = ["grade", "build_cases", "reference_namespace", "mistake_namespace", "GradingError", "resolve"]

MIN_RANDOM_CASES = 8
_MAX_SEED = 1_000_000_000


class GradingError(Exception):
    """The exercise itself is broken (a bad dotted path, a generator or reference that fails).

    Never the learner's fault: ``tutor check`` reports it as a content error (exit 2)."""


def resolve(dotted: str) -> Any:
    """The object a dotted path names (:func:`tutor.course.resolve.resolve`, the one resolver);
    raises ``GradingError`` naming the path."""
    from tutor.course.resolve import ResolveError
    from tutor.course.resolve import resolve as _resolve

    try:
        return _resolve(dotted)
    except ResolveError as exc:
        raise GradingError(f"cannot resolve {dotted!r}: {exc}") from exc


def reference_namespace(exercise: Exercise) -> dict[str, Any]:
    """``{name: reference object}`` for every name the learner must define."""
    module = resolve(exercise.reference)
    ns = {}
    for name in exercise.names:
        if not hasattr(module, name):
            raise GradingError(f"exercise {exercise.id}: reference {exercise.reference!r} has no {name!r}")
        ns[name] = getattr(module, name)
    return ns


def mistake_namespace(exercise: Exercise, mistake: Any, reference: Mapping[str, Any]) -> dict[str, Any]:
    """The reference namespace with the mistake's ``impl`` in place of ``replaces`` (or ``names[0]``)."""
    target = mistake.replaces or exercise.names[0]
    ns = dict(reference)
    ns[target] = resolve(mistake.impl)
    return ns


def build_cases(exercise: Exercise, seed: int) -> list[dict[str, Any]]:
    """The generator's cases for ``seed`` followed by the YAML edge cases."""
    from tutor.grading.cases import edge_case_program

    generator = resolve(exercise.cases)
    try:
        cases = list(generator(np.random.default_rng(seed)))
    except Exception as exc:
        raise GradingError(f"exercise {exercise.id}: case generator {exercise.cases} failed: {exc!r}") from exc
    for edge in exercise.edge_cases:
        cases.append(edge_case_program(edge.name, edge.call, edge.args))
    names = [c.get("name") for c in cases]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise GradingError(f"exercise {exercise.id}: duplicate case names {dup}")
    return cases


def _run_trusted(ns: Mapping[str, Any], cases: Sequence[dict[str, Any]]) -> list[CaseRun]:
    return [run_case(ns, c) for c in cases]


def _expected(exercise: Exercise, cases: Sequence[dict[str, Any]]) -> list[CaseRun]:
    """The reference's outputs on ``cases``."""
    reference = reference_namespace(exercise)
    with np.errstate(all="ignore"):
        return _run_trusted(reference, cases)


def grade(
    exercise: Exercise,
    source: str,
    *,
    filename: str,
    seed: int | None = None,
    sandbox: Any = None,
    meanwhile: Callable[[], object] | None = None,
) -> Verdict:
    """Grade ``source`` (the learner's file, shown as ``filename``) for ``exercise``.

    ``sandbox`` is a warm ``tutor.grading.sandbox.Sandbox`` (the app keeps one); without it a worker
    is started for this one call (``run_once``). ``meanwhile`` is called once while the learner's
    code runs (or the worker starts): the caller's own preparation (``tutor check`` imports what
    prints and records the verdict). Raises ``GradingError`` only when the exercise itself is
    broken.
    """
    started = time.perf_counter()
    own_sandbox = None
    if sandbox is None:
        # start the worker first: its NumPy import overlaps the case building below
        from tutor.grading.sandbox import Sandbox

        sandbox = own_sandbox = Sandbox()
    try:
        return _grade(
            exercise, source, filename=filename, seed=seed, sandbox=sandbox, started=started, meanwhile=meanwhile
        )
    finally:
        if own_sandbox is not None:
            own_sandbox.close()


def _grade(
    exercise: Exercise,
    source: str,
    *,
    filename: str,
    seed: int | None,
    sandbox: Any,
    started: float,
    meanwhile: Callable[[], object] | None = None,
) -> Verdict:
    from tutor.grading.sandbox import RunRequest

    if seed is None:
        seed = int.from_bytes(os.urandom(8), "little") % _MAX_SEED
    cases = build_cases(exercise, seed)
    request = RunRequest(
        source=source,
        filename=filename,
        names=tuple(exercise.names),
        cases=tuple(cases),
        time_limit=float(exercise.time_limit),
        memory_mb=int(exercise.memory_mb),
        trace=bool(exercise.quantities),
    )
    ready = getattr(sandbox, "ready", None)
    if hasattr(sandbox, "submit") and (exercise.reference in sys.modules or (ready is not None and ready())):
        # a worker ready for it (the app; a cold check whose worker is set up): send the learner's
        # code off, run the reference meanwhile, then wait
        with sandbox.submit(request) as pending:
            expected = _expected(exercise, cases)
            if meanwhile is not None:
                meanwhile()
            result = pending.result()
    else:
        # a worker still starting (``Sandbox()`` was created first): importing and running the
        # reference overlaps its start-up, then the learner's run
        expected = _expected(exercise, cases)
        if meanwhile is not None:
            meanwhile()
        result = sandbox.run(request)
    for run_ in expected:
        if run_.error is not None:
            raise GradingError(
                f"exercise {exercise.id}: the reference fails on case {run_.name!r}: "
                f"{run_.error.type}: {run_.error.message}"
            )

    reference = reference_namespace(exercise)
    got_by_name = {c.name: c for c in result.cases}
    verdicts: list[CaseVerdict] = []
    for c, exp in zip(cases, expected):
        verdicts.append(
            _case_verdict(exercise, c, exp, got_by_name.get(c["name"]), result.message)
        )
    all_ok = result.status == "ok" and all(v.passed for v in verdicts)

    # the first failing case gets a small view of its inputs
    for i, v in enumerate(verdicts):
        if not v.passed:
            verdicts[i] = _with_inputs(v, cases[i])
            break

    diagnosis: tuple[Diagnosis, ...] = ()
    near: tuple[NearMatch, ...] = ()
    quantities: QuantityReport | None = None
    if not all_ok and result.status == "ok" and len(result.cases) == len(cases):
        learner = [got_by_name[c["name"]] for c in cases]
        failing = [i for i, v in enumerate(verdicts) if not v.passed]
        with np.errstate(all="ignore"):
            diagnosis, near = _diagnose(exercise, cases, reference, learner, expected, failing)
        quantities = _quantities(exercise, cases, reference, learner, failing)

    n_failed = sum(not v.passed for v in verdicts)
    if result.status != "ok":
        summary = result.message or f"the run ended with status {result.status}"
    elif all_ok:
        summary = f"All {len(verdicts)} cases passed."
    else:
        summary = f"{n_failed} of {len(verdicts)} cases failed."
        from tutor.grading.by_name import summary_line  # several names: which pass, which fail

        per_name = summary_line(exercise.names, cases, [v.passed for v in verdicts])
        if per_name:
            summary += " " + per_name
    return Verdict(
        exercise=exercise.id,
        passed=all_ok,
        seed=seed,
        status=result.status,
        summary=summary,
        cases=tuple(verdicts),
        diagnosis=diagnosis,
        output=result.output,
        message=result.message if result.status != "ok" else "",
        traceback=result.traceback,
        seconds=time.perf_counter() - started,
        sandbox=getattr(result, "sandbox", {}),
        quantities=quantities,
        near=near,
    )


# --------------------------------------------------------------------------- one case


def _op_label(case: Mapping[str, Any], index: int) -> str:
    ops = case.get("ops", [])
    if not 0 <= index < len(ops):
        return f"op {index}"
    op = ops[index]
    if op["op"] == "call":
        return op["fn"]
    if op["op"] == "new":
        return op["cls"]
    if op["op"] == "method":
        n = sum(1 for o in ops[: index + 1] if o["op"] == "method" and o["method"] == op["method"])
        return f"{op['method']} call #{n}"
    return op["op"]


_SIGNATURE_ERROR = re.compile(r"unexpected keyword argument|missing \d+ required|takes \d+ positional|positional-only")


def _signature_hint(case: Mapping[str, Any], error: Any) -> str:
    """For a TypeError about the arguments: how the checker called, by the contract's names."""
    if error.type != "TypeError" or not _SIGNATURE_ERROR.search(error.message or ""):
        return ""
    ops = case.get("ops", [])
    if error.op_index is None or not 0 <= error.op_index < len(ops):
        return ""
    op = ops[error.op_index]
    target = {"call": op.get("fn"), "new": op.get("cls"), "method": op.get("method")}.get(op["op"])
    if not target:
        return ""
    names = ", ".join(f"{k}=…" for k in op.get("kwargs", {}))
    return f" (the checker calls {target}({names}) by keyword: keep the parameter names and defaults of the signature)"


def _case_verdict(
    exercise: Exercise,
    case: Mapping[str, Any],
    expected: CaseRun,
    got: CaseRun | None,
    run_message: str,
) -> CaseVerdict:
    name = case["name"]
    if got is None:
        return CaseVerdict(name, False, f"not run: {run_message}" if run_message else "not run")
    mutated = tuple(f"{arg} (in {_op_label(case, i)})" for i, arg in got.mutated)
    if got.error is not None:
        where = ""
        if got.error.op_index is not None:
            where = f" in {_op_label(case, got.error.op_index)}"
        return CaseVerdict(
            name,
            False,
            f"raised {got.error.one_line()}{where}{_signature_hint(case, got.error)}",
            traceback=got.error.traceback,
            mutated=mutated,
        )
    mismatches = compare_case(case, expected.outputs, got.outputs, rtol=exercise.rtol, atol=exercise.atol)
    mutation_failure = bool(got.mutated) and not exercise.allow_mutation
    if not mismatches and not mutation_failure:
        return CaseVerdict(name, True, mutated=mutated)
    if not mismatches:
        args = ", ".join(dict.fromkeys(arg for _, arg in got.mutated))  # once each, in order
        return CaseVerdict(
            name,
            False,
            f"changed its input {args} in place: build and return new arrays or dicts instead "
            "(e.g. x = x * c or new = dict(old), not x *= c or old[key] = ...)",
            mutated=mutated,
        )
    first: Mismatch = mismatches[0]
    details: list[str] = []
    if (first.expected or first.got) and first.index is not None:  # scalars: the reason says it all
        details += [f"expected {first.expected}", f"got      {first.got}"]
    for m in mismatches[1:4]:
        details.append(f"also {m.path}: {m.reason}" if m.path else f"also: {m.reason}")
    if len(mismatches) > 4:
        details.append(f"… and {len(mismatches) - 4} more")
    if mutation_failure:
        details.append("also changed its input " + ", ".join(dict.fromkeys(arg for _, arg in got.mutated)) + " in place")
    return CaseVerdict(
        name,
        False,
        f"{first.path}: {first.reason}" if first.path else first.reason,
        details=tuple(details),
        where=first.path,
        max_abs_error=first.max_abs,
        max_rel_error=first.max_rel,
        index=first.index,
        expected=first.expected,
        got=first.got,
        mutated=mutated,
    )


# --------------------------------------------------------------------------- inputs view


def _show(value: Any, depth: int = 0) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=8, edgeitems=2, separator=", ", max_line_width=10_000)
        return " ".join(text.split()) + (f" (shape {value.shape})" if value.ndim > 1 or value.size > 8 else "")
    if isinstance(value, Rng):
        return f"numpy.random.default_rng({value.seed})"
    if isinstance(value, Ref):
        return value.slot
    if isinstance(value, Mapping) and depth < 3:
        return "{" + ", ".join(f"{k!r}: {_show(v, depth + 1)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)) and depth < 3:
        return "[" + ", ".join(_show(v, depth + 1) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def inputs_view(case: Mapping[str, Any], limit: int = 900) -> str:
    """The case's calls as Python-like lines, e.g. ``adam_update(w=[...], dw=[...], t=3)``."""
    lines = []
    for op in case.get("ops", []):
        kwargs = ", ".join(f"{k}={_show(v)}" for k, v in (op.get("kwargs") or {}).items())
        kind = op["op"]
        if kind == "call":
            lines.append(f"{op['out']} = {op['fn']}({kwargs})")
        elif kind == "new":
            lines.append(f"{op['slot']} = {op['cls']}({kwargs})")
        elif kind == "method":
            prefix = f"{op['out']} = " if op.get("out") else ""
            lines.append(f"{prefix}{op['obj']}.{op['method']}({kwargs})")
        elif kind == "let":
            lines.append(f"{op['slot']} = {_show(op['value'])}")
    if len(lines) > 6:  # e.g. a sweep of a schedule over 13 epochs
        lines = lines[:4] + [f"… {len(lines) - 5} more calls …"] + lines[-1:]
    text = "\n".join(lines)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _with_inputs(v: CaseVerdict, case: Mapping[str, Any]) -> CaseVerdict:
    from dataclasses import replace

    return replace(v, inputs=inputs_view(case))


# --------------------------------------------------------------------------- diagnosis

NEAR_SHARE = 0.5  # a near match agrees on at least this share of all cases and of the failing ones
NEAR_SHOWN = 3  # cases named where a near match does not agree


def _agree(case: Mapping[str, Any], mistake: CaseRun, learner: CaseRun, exercise: Exercise) -> bool:
    if mistake.error is not None or learner.error is not None:
        return mistake.error is not None and learner.error is not None
    if _clearly_differ(mistake.outputs, learner.outputs, exercise.rtol, exercise.atol):
        return False  # without compare_case's excerpts, which cost most of a diagnosis
    return not compare_case(case, mistake.outputs, learner.outputs, rtol=exercise.rtol, atol=exercise.atol, detail=False)


def _clearly_differ(a: Any, b: Any, rtol: float, atol: float, depth: int = 0) -> bool:
    """True when two outputs certainly differ: a float array (or float) of the same shape with an
    element 10 × beyond the tolerance. False means "maybe": compare_case decides."""
    if depth > 8:
        return False
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return any(k in b and _clearly_differ(v, b[k], rtol, atol, depth + 1) for k, v in a.items())
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        return any(_clearly_differ(x, y, rtol, atol, depth + 1) for x, y in zip(a, b))
    if type(a) is float and type(b) is float:
        a, b = np.float64(a), np.float64(b)
    if not (isinstance(a, (np.ndarray, np.floating)) and isinstance(b, (np.ndarray, np.floating))):
        return False
    if a.dtype.kind != "f" or b.dtype.kind != "f" or np.shape(a) != np.shape(b) or np.size(a) == 0:
        return False
    with np.errstate(all="ignore"):
        e, g = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        finite = np.isfinite(e) & np.isfinite(g)
        if not finite.any():
            return False
        scale = float(np.max(np.abs(e[finite])))
        tol = rtol * np.abs(e[finite]) + atol * scale
        return bool(np.any(np.abs(e[finite] - g[finite]) > 10 * tol + 1e-300))


def _matches(
    exercise: Exercise,
    cases: Sequence[dict[str, Any]],
    ns: Mapping[str, Any],
    learner: Sequence[CaseRun],
) -> bool:
    return all(_agree(c, run_case(ns, c), got, exercise) for c, got in zip(cases, learner))


def _diagnose(
    exercise: Exercise,
    cases: Sequence[dict[str, Any]],
    reference: Mapping[str, Any],
    learner: Sequence[CaseRun],
    expected: Sequence[CaseRun] = (),
    failing: Sequence[int] = (),
) -> tuple[tuple[Diagnosis, ...], tuple[NearMatch, ...]]:
    """The known mistakes that explain the learner's outputs, and the near matches.

    1. Every mistake that agrees with the learner on every case.
    2. When none does alone and the exercise has several names (the optimizer classes), pairs of
       mistakes in *different* names tried together: two wrong classes are two diagnoses.
    3. Else per function: a mistake that agrees with the learner on every output of one function
       or method where the learner is wrong (``Diagnosis.scope``), so a wrong ``backward`` is named
       even when ``forward`` differs for another reason.
    4. Else the near match: the mistake agreeing on most cases (at least ``NEAR_SHARE`` of all
       cases and of the failing ones), with the cases where it does not.
    """
    table = _MistakeRuns(exercise, cases, reference, learner)
    # a mistake's cases are run only until one disagrees: most checks stop here, cheaply
    found = [Diagnosis(m.name, m.message.strip()) for m in exercise.mistakes if table.agrees_everywhere(m)]
    if found:
        return tuple(found), ()
    if len(exercise.names) >= 2:
        target = {m.name: (m.replaces or exercise.names[0]) for m in exercise.mistakes}
        for i, a in enumerate(exercise.mistakes):
            for b in exercise.mistakes[i + 1 :]:
                if target[a.name] == target[b.name]:
                    continue
                ns = mistake_namespace(exercise, b, mistake_namespace(exercise, a, reference))
                if _matches(exercise, cases, ns, learner):
                    found += [Diagnosis(a.name, a.message.strip()), Diagnosis(b.name, b.message.strip())]
        if found:
            # a mistake may appear in several pairs: keep each once, in catalogue order
            seen: set[str] = set()
            return tuple(d for d in found if not (d.name in seen or seen.add(d.name))), ()
    if expected:
        scoped = _per_function(exercise, cases, learner, expected, table.run)
        if scoped:
            return scoped, ()
    # per name (the capstone's functions, the nine classes): each mistake on its own name's cases
    from tutor.grading import by_name

    owned = by_name.diagnose(
        exercise,
        cases,
        learner,
        lambda m: reference if m is None else mistake_namespace(exercise, m, reference),
        lambda c, a, b: _agree(c, a, b, exercise),
        run_case,
    )
    if owned:
        return tuple(Diagnosis(name, message) for name, message in owned), ()
    return (), _near_matches(exercise, cases, table.near_agreements(NEAR_SHARE), failing)


class _MistakeRuns:
    """Each known mistake's runs of the cases and whether they agree with the learner's, computed
    only as far as they are needed."""

    def __init__(self, exercise: Exercise, cases: Sequence[dict[str, Any]], reference: Mapping[str, Any],
                 learner: Sequence[CaseRun]) -> None:
        self.exercise, self.cases, self.reference, self.learner = exercise, cases, reference, learner
        self._runs: dict[tuple[str, int], CaseRun] = {}
        self._agree: dict[tuple[str, int], bool] = {}
        self._ns: dict[str, Mapping[str, Any]] = {}

    def run(self, m: Any, i: int) -> CaseRun:
        key = (m.name, i)
        if key not in self._runs:
            if m.name not in self._ns:
                self._ns[m.name] = mistake_namespace(self.exercise, m, self.reference)
            self._runs[key] = run_case(self._ns[m.name], self.cases[i])
        return self._runs[key]

    def agrees(self, m: Any, i: int) -> bool:
        key = (m.name, i)
        if key not in self._agree:
            self._agree[key] = _agree(self.cases[i], self.run(m, i), self.learner[i], self.exercise)
        return self._agree[key]

    def agrees_everywhere(self, m: Any) -> bool:
        return all(self.agrees(m, i) for i in range(len(self.cases)))

    def near_agreements(self, share: float) -> dict[str, list[bool]]:
        """Per mistake, whether it agrees on each case; only the mistakes that agree on at least
        ``share`` of the cases (the others are dropped as soon as they cannot)."""
        out = {}
        allowed = len(self.cases) - share * len(self.cases)  # disagreements a near match may have
        for m in self.exercise.mistakes:
            flags, misses = [], 0
            for i in range(len(self.cases)):
                flags.append(self.agrees(m, i))
                misses += not flags[-1]
                if misses > allowed:
                    break
            else:
                out[m.name] = flags
        return out


def _output_owners(case: Mapping[str, Any]) -> dict[str, str]:
    """``{OUT: the function or method that produced it}``; a snapshot belongs to the call before it."""
    from tutor.grading.quantities import op_labels

    owners: dict[str, str] = {}
    last = ""
    for op, label in zip(case.get("ops", ()), op_labels(case)):
        if op.get("op") in ("call", "method", "new"):
            last = label
        if op.get("op") in ("call", "method") and op.get("out") is not None:
            owners[str(op["out"])] = label
        elif op.get("op") == "snapshot":
            owners[str(op["out"])] = last
    return owners


def _owner(path: str, owners: Mapping[str, str]) -> str:
    """The function behind a mismatch path (``update result[0] − w``, ``after step 2["W1"]``)."""
    from tutor.grading.compare import parse_path

    text = path[len("update ") :] if path.startswith("update ") else path
    text = text.split(" − ")[0]
    try:
        head = parse_path(text)[0]
    except ValueError:
        head = text
    return owners.get(head, "")


def _failing_functions(
    exercise: Exercise, case: Mapping[str, Any], a: CaseRun, b: CaseRun, owners: Mapping[str, str]
) -> set[str] | None:
    """The functions whose outputs differ between two runs of ``case``; None when one raised
    (then the runs are compared as a whole)."""
    if a.error is not None or b.error is not None:
        return None
    mismatches = compare_case(case, a.outputs, b.outputs, rtol=exercise.rtol, atol=exercise.atol, detail=False)
    return {_owner(m.path, owners) for m in mismatches}


def _per_function(
    exercise: Exercise,
    cases: Sequence[dict[str, Any]],
    learner: Sequence[CaseRun],
    expected: Sequence[CaseRun],
    run: Callable[[Any, int], CaseRun],
) -> tuple[Diagnosis, ...]:
    """Mistakes that agree with the learner on every output of one function where the learner
    is wrong and the mistake differs from the reference (``_diagnose``, step 3). ``run(m, i)``:
    mistake ``m``'s run of case ``i`` (``_MistakeRuns.run``, made when first needed)."""
    owners = [_output_owners(c) for c in cases]
    functions = {label for o in owners for label in o.values() if label}
    if len(functions) < 2:
        return ()
    wrong: set[str] = set()
    for c, exp, got, own in zip(cases, expected, learner, owners):
        diff = _failing_functions(exercise, c, exp, got, own)
        wrong |= diff if diff is not None else set()
    candidates = wrong - {""}
    if not candidates:
        return ()
    # a case none of whose functions is wrong cannot add to ``candidates & differs - disagrees``,
    # except by one side raising: there only that is looked at (no comparison)
    relevant = [bool(candidates & set(own.values())) for own in owners]
    found = []
    for m in exercise.mistakes:
        # first where the mistake disagrees with the learner (most mistakes soon do, everywhere
        # that matters: then nothing more is compared), then where it differs from the reference
        disagrees: set[str] = set()
        for i, (c, got, own, look) in enumerate(zip(cases, learner, owners, relevant)):
            mine = run(m, i)
            if (mine.error is None) != (got.error is None):
                disagrees |= functions  # one raised, the other did not: nothing to tell apart
            elif look:
                d = _failing_functions(exercise, c, mine, got, own)
                disagrees |= d if d is not None else set()
            if not candidates - disagrees:
                break
        left = candidates - disagrees
        if not left:
            continue
        differs: set[str] = set()
        for i, (c, exp, own, look) in enumerate(zip(cases, expected, owners, relevant)):
            if look:
                d = _failing_functions(exercise, c, exp, run(m, i), own)
                differs |= d if d is not None else set()
        for label in sorted(left & differs):
            found.append(Diagnosis(m.name, m.message.strip(), scope=label))
    return tuple(found)


def _near_matches(
    exercise: Exercise,
    cases: Sequence[dict[str, Any]],
    agree: Mapping[str, Sequence[bool]],
    failing: Sequence[int],
) -> tuple[NearMatch, ...]:
    """The mistake agreeing with the learner on the most cases, above ``NEAR_SHARE`` of all cases
    and of the failing ones (agreeing only where both equal the reference says nothing)."""
    best = None
    for m in exercise.mistakes:
        flags = agree.get(m.name)
        if flags is None:  # too far from the learner's outputs to be near
            continue
        on_failing = sum(flags[i] for i in failing)
        total = sum(flags)
        if not failing or on_failing < max(1, NEAR_SHARE * len(failing)) or total < NEAR_SHARE * len(cases):
            continue
        key = (on_failing, total)
        if best is None or key > best[0]:
            best = (key, m, flags)
    if best is None:
        return ()
    _, m, flags = best
    differ = tuple(c["name"] for c, ok in zip(cases, flags) if not ok)
    return (NearMatch(m.name, m.message.strip(), sum(flags), len(cases), differ[:NEAR_SHOWN]),)


# --------------------------------------------------------------------------- quantities


def _quantities(
    exercise: Exercise,
    cases: Sequence[dict[str, Any]],
    reference: Mapping[str, Any],
    learner: Sequence[CaseRun],
    failing: Sequence[int],
) -> QuantityReport | None:
    """The first wrong quantity inside the learner's call (``quantities.py``); None without
    declared quantities, records or a quantity to blame. Never raises: it is only a diagnosis."""
    if not exercise.quantities or not failing:
        return None
    from tutor.grading.quantities import quantity_report

    try:
        impls = {q.call: resolve(q.impl) for q in exercise.quantities}
        return quantity_report(impls, reference, cases, learner, failing, rtol=exercise.rtol, atol=exercise.atol)
    except Exception:  # noqa: BLE001 - a broken quantities impl must not cost the learner a verdict
        return None
