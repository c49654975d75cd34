"""The first wrong quantity inside the learner's call (issue 14), in the trusted parent.

An exercise may declare, per call (``quantities:`` in its file: ``{call: adam_update, impl:
tutor.exercises.quantities.adam_update}``), the named quantities of its formula in order, as the
reference computes them (``tutor.grading.cases.Quantity``). The sandbox child records the values
the learner's code bound while it ran (``trace.py``: ``[op_index, line, label, value]``). For a
failing case, each quantity is looked for among those values by value, shape and tolerance —
never by name — and the report names the first one, in the formula's order, that none matches::

    v′ ✓ s′ ✓ v̂ ✗ — your v̂ equals v′ / (1 − β₁^(t+1)) (line 7)

Rules, per quantity q of the call (in order):

- ✓ when a learner value matches q (every leaf, for a per-parameter dict), or when a later
  quantity that needs q (``Quantity.needs``, transitively) is matched: a right ``v̂`` proves a
  ``v′`` computed inline.
- A quantity with ``output`` is compared with what the call returned there (``"[1]"``: the state
  the learner returns), not looked for among the values.
- ✗ with an explanation when a learner value (or the returned one) equals a declared wrong
  ``variant``; ✗ when the returned value differs, or when the code bound a value of q's shape that
  matches no quantity and no input (its line is given); else "not seen" (·) and on to the next.

The report stops at the first ✗. It is a diagnosis, never the verdict: the child's records could
be switched off or forged by the learner's code, which then only loses this line.
"""

from __future__ import annotations

import ast
import copy
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from tutor.grading import program
from tutor.grading.cases import Quantity
from tutor.grading.compare import lookup
from tutor.grading.trace import expand
from tutor.grading.verdict import QuantityCheck, QuantityReport

__all__ = ["quantity_report", "reference_quantities", "op_labels", "MAX_CASES"]

MAX_CASES = 3  # failing cases tried until one pins a wrong quantity
MAX_LOOKED_AT = 5  # failing cases whose quantities are computed to choose those MAX_CASES
_MISSING = object()


# --------------------------------------------------------------------------- the calls of a case


def op_labels(case: Mapping[str, Any]) -> list[str]:
    """A label per op: the function (``adam_update``), the class (``Adam``) or ``Class.method``."""
    classes: dict[str, str] = {}
    labels = []
    for op in case.get("ops", ()):
        kind = op.get("op")
        if kind == "call":
            labels.append(str(op["fn"]))
        elif kind == "new":
            classes[op["slot"]] = str(op["cls"])
            labels.append(str(op["cls"]))
        elif kind == "method":
            owner = classes.get(op["obj"], op["obj"])
            labels.append(f"{owner}.{op['method']}")
        else:
            labels.append("")
    return labels


def _call_name(case: Mapping[str, Any], labels: Sequence[str], index: int) -> str:
    """``"Adam.step call #2"`` when the same call happens several times in the case."""
    same = [i for i, label in enumerate(labels) if label == labels[index]]
    if len(same) < 2:
        return labels[index]
    return f"{labels[index]} call #{same.index(index) + 1}"


def reference_quantities(
    namespace: Mapping[str, Any],
    case: Mapping[str, Any],
    impls: Mapping[str, Callable[..., Any]],
) -> dict[int, tuple[list[Quantity], dict[str, Any]]]:
    """Run ``case`` against the reference; before each op whose label has an impl, compute its
    quantities from copies of the op's arguments (and of the object, for a method).

    Returns ``{op_index: (quantities, kwargs)}``; stops at the first op that raises."""
    _, ops = program.check_case(case)
    labels = op_labels(case)
    slots: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    found: dict[int, tuple[list[Quantity], dict[str, Any]]] = {}
    for index, op in enumerate(ops):
        impl = impls.get(labels[index])
        if impl is not None and op["op"] in ("call", "method"):
            kwargs = {k: program._materialize(v, slots) for k, v in (op.get("kwargs") or {}).items()}
            try:
                args = copy.deepcopy(kwargs)
                before = copy.deepcopy(kwargs)  # the op below may change a Ref argument in place
                if op["op"] == "method":
                    quantities = impl(copy.deepcopy(slots[op["obj"]]), **args)
                else:
                    quantities = impl(**args)
                found[index] = ([q for q in quantities if isinstance(q, Quantity)], before)
            except Exception:  # noqa: BLE001 - a diagnosis only: an impl that fails says nothing
                pass
        try:
            program._run_op(namespace, op, index, slots, outputs, [])
        except Exception:  # noqa: BLE001
            break
    return found


# --------------------------------------------------------------------------- matching


def _leaves(value: Any, depth: int = 0) -> list[Any]:
    if isinstance(value, Mapping) and depth < 4:
        return [leaf for item in value.values() for leaf in _leaves(item, depth + 1)]
    if isinstance(value, (list, tuple)) and depth < 4:
        return [leaf for item in value for leaf in _leaves(item, depth + 1)]
    if isinstance(value, (np.ndarray, np.generic, float, int)) and not isinstance(value, bool):
        return [value]
    return []


_PLAIN = (float, np.ndarray, np.float64)


class _Matcher:
    """Tolerant equality of a quantity's leaves with the learner's values."""

    def __init__(self, rtol: float, atol: float) -> None:
        self.rtol = max(rtol, 1e-7)
        self.atol = max(atol, 1e-12)

    def close(self, expected: Any, got: Any) -> bool:
        """``|e − g| ≤ rtol·|e| + atol·max|e|`` element-wise (NaN and inf only equal to
        themselves), same shape. Called hundreds of times a diagnosis: the usual cases first."""
        if type(expected) is float and type(got) is float:
            if math.isfinite(expected):
                return abs(expected - got) <= (self.rtol + self.atol) * abs(expected) + self.atol * 1e-300
            return expected == got or (math.isnan(expected) and math.isnan(got))
        if np.shape(expected) != np.shape(got):  # the cheap test first: most pairs stop here
            return False
        try:
            e = np.asarray(expected, dtype=np.float64)
            g = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        if e.size == 0:
            return True
        ae = np.abs(e)
        scale = ae.max()
        if math.isfinite(scale):  # every expected value finite: one vector test
            return bool((np.abs(e - g) <= self.rtol * ae + self.atol * max(float(scale), 1e-300)).all())
        finite = np.isfinite(e)
        scale = float(ae[finite].max()) if finite.any() else 0.0
        tol = self.rtol * ae + self.atol * max(scale, 1e-300)
        ok = np.where(finite, np.abs(e - g) <= tol, (e == g) | (np.isnan(e) & np.isnan(g)))
        return bool(np.all(ok))

    def find(self, value: Any, pool: Sequence[tuple[int, int, str, Any]]) -> tuple[int, int, str, Any] | None:
        """The first record of ``pool`` matching each leaf of ``value`` (the last leaf's record),
        or None when a leaf matches none."""
        leaves = _leaves(value)
        if not leaves:
            return None
        hit = None
        for leaf in leaves:
            hit = next((r for r in pool if self.close(leaf, r[3])), None)
            if hit is None:
                return None
        return hit

    def same(self, a: Any, b: Any) -> bool:
        if type(a) in _PLAIN and type(b) in _PLAIN:  # no container: no need to list leaves
            return self.close(a, b)
        la, lb = _leaves(a), _leaves(b)
        return len(la) == len(lb) and all(self.close(x, y) for x, y in zip(la, lb))


def _shape(value: Any) -> tuple[int, ...] | None:
    leaves = _leaves(value)
    if len(leaves) != 1:
        shapes = {np.shape(leaf) for leaf in leaves}
        return shapes.pop() if len(shapes) == 1 else None
    return np.shape(leaves[0])


def _check_call(
    quantities: Sequence[Quantity],
    kwargs: Mapping[str, Any],
    records: Sequence[tuple[int, int, str, Any]],
    returned: Any,
    matcher: _Matcher,
) -> tuple[list[QuantityCheck], tuple[str, ...]]:
    """The statuses of one call's quantities, up to the first wrong one (module docstring), and
    the explanations of every known variant that fits it (two or more: ambiguous in this case)."""
    by_name = {q.name: q for q in quantities}
    matched: dict[str, tuple[int, int, str, Any] | None] = {}
    output_ok: dict[str, bool] = {}
    outputs: dict[str, Any] = {}
    for q in quantities:
        if q.output is not None:
            outputs[q.name] = got = _returned(q, returned, kwargs, records)
            output_ok[q.name] = got is not _MISSING and matcher.same(q.value, got)
        else:
            matched[q.name] = matcher.find(q.value, records)
    proven: set[str] = set()
    for q in reversed(quantities):
        if output_ok.get(q.name) or matched.get(q.name) is not None or q.name in proven:
            stack = list(q.needs)
            while stack:
                name = stack.pop()
                if name not in proven and name in by_name:
                    proven.add(name)
                    stack.extend(by_name[name].needs)
    # values a wrong quantity's own value cannot be: the inputs, every quantity and every known
    # variant (a wrong value that is some other quantity's known variant is reported there)
    explained = _leaves(dict(kwargs))
    for q in quantities:
        explained += _leaves(q.value)
        for _, value in q.variants:
            explained += _leaves(value)
    checks: list[QuantityCheck] = []
    for q in quantities:
        hit = matched.get(q.name)
        right = output_ok.get(q.name) if q.output is not None else (hit is not None or q.name in proven)
        if right:
            line = hit[1] if hit else (_bound_line(outputs[q.name], records, matcher) if q.output is not None else None)
            checks.append(QuantityCheck(q.name, "ok", line))
            continue
        after = [_position(records, h) for name in q.needs if (h := _where(name, matched, outputs, records, matcher)) is not None]
        others = [o.value for o in quantities if o is not q]
        wrong, fits = _wrong(q, records, returned, kwargs, explained, matcher, max(after) + 1 if after else 0, others)
        if wrong is not None and not wrong.explanation.startswith(("your", "the")):
            # only a value of q's shape that matches nothing: if a later quantity has a known
            # wrong variant among the values, that is the stronger evidence — q may be inline
            later = [
                o for o in quantities[quantities.index(q) + 1 :]
                if not (output_ok.get(o.name) or matched.get(o.name) is not None or o.name in proven)
            ]
            values = [o.value for o in quantities]
            if any(_variant_found(o, records, returned, kwargs, matcher, values) for o in later):
                wrong = None
        if wrong is None:
            checks.append(QuantityCheck(q.name, "unseen"))
            continue
        checks.append(wrong)
        return checks, fits
    return checks, ()


def _variant_found(
    q: Quantity, records: Sequence[Any], returned: Any, kwargs: Mapping[str, Any], matcher: _Matcher,
    values: Sequence[Any] = (),
) -> bool:
    """Whether a known wrong variant of ``q`` (not equal to any quantity's right value) is among
    the learner's values, or is what the call returned."""
    got = _returned(q, returned, kwargs, records) if q.output is not None else _MISSING
    for _, value in q.variants:
        if any(matcher.same(value, x) for x in values):
            continue
        if got is not _MISSING and matcher.same(value, got):
            return True
        if q.output is None and matcher.find(value, records) is not None:
            return True
    return False


def _yours_prefixes(name: str) -> tuple[str, ...]:
    short = name[4:] if name.startswith("the ") else name
    return (f"the {short}", f"your {short}")


def _equals(name: str) -> str:
    """The verb for ``name`` as a subject: "the folds equal", "your v̂ equals"."""
    last = name.split()[-1] if name.split() else name
    return "equal" if last.endswith("s") and not last.endswith("ss") and last.isalpha() and len(last) > 2 else "equals"


def _yours(q: Quantity) -> str:
    name = q.name[4:] if q.name.startswith("the ") else q.name
    if q.output is not None and q.output.startswith("arg:"):
        return f"the {name} your code leaves in {q.output[4:]}"
    return f"the {name} you return" if q.output is not None else f"your {name}"


def _wrong(
    q: Quantity,
    records: Sequence[tuple[int, int, str, Any]],
    returned: Any,
    kwargs: Mapping[str, Any],
    explained: Sequence[Any],
    matcher: _Matcher,
    start: int = 0,
    others: Sequence[Any] = (),
) -> tuple[QuantityCheck | None, tuple[str, ...]]:
    """Why ``q`` is wrong (None when nothing says so), and every known variant's explanation that
    fits (the first is used; two or more are ambiguous in this case). ``start``:
    the first record bound after the quantities ``q`` needs (where the learner's ``q`` should be)."""
    where = _yours(q)
    variants = [(text, value) for text, value in q.variants if not matcher.same(value, q.value)]
    if q.output is not None:
        got = _returned(q, returned, kwargs, records)
        line = _bound_line(got, records, matcher)
        fits = [text for text, value in variants if got is not _MISSING and matcher.same(value, got)]
        if fits:
            said = tuple(f"{where} {_equals(q.name)} {text}" for text in fits)
            return QuantityCheck(q.name, "wrong", line, said[0]), said
        factor = _factor(q, got, kwargs, matcher)
        if factor is not None:
            what = "change from " + q.relative_to if q.relative_to else "value"
            text = (
                f"{where} is off by a constant factor: its {what} is {factor:.4g} × the right one "
                f"({q.formula}) — a hyper-parameter written in the code or a default changed, or a "
                "constant factor dropped or added"
            )
            # like a variant, it must hold (the same factor) in the other failing cases: from a
            # zero state everything is proportional to g
            return QuantityCheck(q.name, "wrong", line, text), (text,)
        return QuantityCheck(q.name, "wrong", line, _generic(q)), ()
    # a variant that equals another quantity in this case (v̂ "not corrected" is v′) proves
    # nothing when found among the values: the learner may hold that other quantity, rightly
    variants = [(text, value) for text, value in variants if not any(matcher.same(value, x) for x in others)]
    fits_at = [(text, hit) for text, value in variants if (hit := matcher.find(value, records)) is not None]
    if fits_at:
        text, hit = fits_at[0]
        return QuantityCheck(q.name, "wrong", hit[1], f"{where} {_equals(q.name)} {text}"), tuple(f"{where} {_equals(q.name)} {t}" for t, _ in fits_at)
    shape = _shape(q.value)
    if shape is None:
        return None, ()
    for record in records[start:]:
        value = record[3]
        if np.shape(value) != shape or record[2].startswith("return"):
            continue
        if _trivial(value) or any(matcher.close(leaf, value) for leaf in explained):
            continue
        # a value of q's shape that is no quantity, no known variant and no input: most likely their q
        name = q.name[4:] if q.name.startswith("the ") else q.name
        text = f"none of your values equals the {name}" if q.name.startswith("the ") else f"none of your values equals {q.name}"
        return QuantityCheck(q.name, "wrong", record[1], f"{text} = {q.formula}" if q.formula else text), ()
    return None, ()


def _generic(q: Quantity) -> str:
    """What is sure when no known variant explains a wrong quantity."""
    if q.output is not None:
        return f"{_yours(q)} is not {q.formula}" if q.formula else ""
    name = q.name[4:] if q.name.startswith("the ") else q.name
    text = f"none of your values equals the {name}" if q.name.startswith("the ") else f"none of your values equals {q.name}"
    return f"{text} = {q.formula}" if q.formula else text


def _factor(q: Quantity, got: Any, kwargs: Mapping[str, Any], matcher: _Matcher) -> float | None:
    """``c`` when the learner's value (or its change from ``q.relative_to``) is ``c ×`` the right
    one for a constant ``c ≠ 1`` (a lr of 0.01 for 0.001 makes every step 10 × too large)."""
    if got is _MISSING:
        return None
    expected, actual = _leaves(q.value), _leaves(got)
    if not expected or len(expected) != len(actual):
        return None
    if q.relative_to:
        base = _leaves(kwargs.get(q.relative_to))
        if len(base) != len(expected):
            return None
    else:
        base = [0.0] * len(expected)
    try:
        e = np.concatenate([np.ravel(np.asarray(x, dtype=np.float64) - b) for x, b in zip(expected, base)])
        g = np.concatenate([np.ravel(np.asarray(y, dtype=np.float64) - b) for y, b in zip(actual, base)])
    except (TypeError, ValueError):
        return None
    if e.shape != g.shape or not (np.all(np.isfinite(e)) and np.all(np.isfinite(g))):
        return None
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    big = np.abs(e) > 1e-3 * scale
    if scale == 0.0 or not big.any():
        return None
    if int(big.sum()) < 2:  # one number is always some multiple of another
        return None
    ratios = g[big] / e[big]
    c = float(np.median(ratios))
    if c == 0.0 or abs(c - 1.0) < 1e-3:
        return None
    return c if matcher.same(c * e, g) else None


def _trivial(value: Any) -> bool:
    """An initial value (``total = 0.0``, ``np.zeros_like(w)``, ``np.ones(…)``), not a result."""
    array = np.asarray(value, dtype=np.float64)
    return bool(array.size) and bool(np.all(array == 0) or np.all(array == 1))


def _returned(q: Quantity, returned: Any, kwargs: Mapping[str, Any], records: Sequence[Any]) -> Any:
    """What the learner's call gave for an ``output`` quantity: a path into its result
    (``"[1]"``), or ``"arg:params"``: the dict argument as the call left it (its items as last
    recorded in the learner's frames, else as they came in)."""
    if q.output is None:
        return _MISSING
    if q.output.startswith("arg:"):
        name = q.output[4:]
        base = kwargs.get(name, _MISSING)
        if not isinstance(base, Mapping):
            return _MISSING
        state = dict(base)
        prefix = name + "["
        for record in records:
            label = record[2]
            if label.startswith(prefix) and label.endswith("]"):
                try:
                    key = ast.literal_eval(label[len(prefix) : -1])
                except (ValueError, SyntaxError):
                    continue
                if key in state:
                    state[key] = record[3]
        return state
    return _at(returned, q.output)


def _where(
    name: str,
    matched: Mapping[str, Any],
    outputs: Mapping[str, Any],
    records: Sequence[tuple[int, int, str, Any]],
    matcher: _Matcher,
) -> Any:
    """The record holding quantity ``name`` in the learner's run: its match, or for a returned
    quantity the first record (not the return itself) equal to what was returned."""
    if matched.get(name) is not None:
        return matched[name]
    got = outputs.get(name, _MISSING)
    if got is _MISSING:
        return None
    return matcher.find(got, [r for r in records if not r[2].startswith("return")])


def _distinct(quantities: Sequence[Quantity], kwargs: Mapping[str, Any], matcher: _Matcher) -> bool:
    """Whether no quantity looked for among the learner's values equals an input or another
    quantity in this call (then a match cannot be a coincidence)."""
    inputs = _leaves(dict(kwargs))
    bag = [q for q in quantities if q.output is None]
    for i, q in enumerate(bag):
        leaves = _leaves(q.value)
        if any(matcher.close(leaf, x) for leaf in leaves for x in inputs):
            return False
        if any(matcher.same(q.value, other.value) for other in quantities if other is not q):
            return False
    return True


def _position(records: Sequence[Any], record: Any) -> int:
    return next(i for i, r in enumerate(records) if r is record)


def _at(returned: Any, path: str) -> Any:
    if returned is _MISSING:
        return _MISSING
    if not path:
        return returned
    return lookup({"r": returned}, "r" + path)


def _bound_line(value: Any, records: Sequence[tuple[int, int, str, Any]], matcher: _Matcher) -> int | None:
    """The line that bound ``value`` (a returned one): the first record equal to it that is not
    the return itself, else the return's line."""
    if value is not _MISSING:
        hit = matcher.find(value, [r for r in records if not r[2].startswith("return")])
        if hit is not None:
            return hit[1]
    return _return_line(records)


def _return_line(records: Sequence[tuple[int, int, str, Any]]) -> int | None:
    lines = [r[1] for r in records if r[2].startswith("return")]
    return lines[-1] if lines else None


# --------------------------------------------------------------------------- the report


def quantity_report(
    impls: Mapping[str, Callable[..., Any]],
    reference: Mapping[str, Any],
    cases: Sequence[Mapping[str, Any]],
    learner: Sequence[Any],
    failing: Sequence[int],
    *,
    rtol: float,
    atol: float,
) -> QuantityReport | None:
    """The report for the first of the ``failing`` case indices (at most ``MAX_CASES`` tried)
    whose calls show a wrong quantity; None when none does (or nothing was recorded)."""
    if not impls:
        return None
    matcher = _Matcher(rtol, atol)
    candidates = []
    traces = {}
    for index in list(failing)[:MAX_LOOKED_AT]:
        run = learner[index]
        trace = getattr(run, "trace", ()) or ()
        if isinstance(trace, list):  # packed, as it came from the sandbox
            trace = expand(trace)
        if not trace:
            continue
        traces[index] = trace
        with np.errstate(all="ignore"):
            quantities = reference_quantities(reference, cases[index], impls)
        candidates.append((index, quantities))
    # cases where every quantity differs from the inputs and from the others first: there a
    # value of the learner's that matches one says something (from a zero state, v̂ = g)
    with np.errstate(all="ignore"):
        candidates.sort(key=lambda c: not all(_distinct(qs, kw, matcher) for qs, kw in c[1].values()))
    found: list[tuple[QuantityReport, tuple[str, ...], str]] = []  # (report, fitting variants, what is sure)
    for index, quantities in candidates[:MAX_CASES]:
        case, run = cases[index], learner[index]
        trace = traces[index]
        labels = op_labels(case)
        ops = case.get("ops", ())
        with np.errstate(all="ignore"):
            for op_index in sorted(quantities):  # a wrong call ends the case (see below)
                if run.error is not None and run.error.op_index is not None and op_index >= run.error.op_index:
                    break
                qs, kwargs = quantities[op_index]
                records = [r for r in trace if r[0] == op_index]
                out = ops[op_index].get("out")
                returned = run.outputs.get(out, _MISSING) if out is not None else _MISSING
                checks, fits = _check_call(qs, kwargs, records, returned, matcher)
                wrong = next((c for c in checks if c.status == "wrong"), None)
                if wrong is None:
                    continue
                checks = [c if c.line else QuantityCheck(c.name, c.status, None, c.explanation) for c in checks]
                report = QuantityReport(
                    case=str(case.get("name", "")),
                    call=_call_name(case, labels, op_index),
                    items=tuple(checks),
                    first_wrong=wrong.name,
                    line=wrong.line or None,  # 0: a frame without a line number
                )
                sure = _generic(next(q for q in qs if q.name == wrong.name))
                found.append((report, fits, sure))
                break  # later calls of a case with state start from a state already wrong
    if not found:
        return None
    # the first case whose explanation is not ambiguous (two known variants fitting at once)
    chosen = next((f for f in found if len(f[1]) < 2), found[0])
    report, fits, sure = chosen
    wrong = report.items[-1]
    if fits and fits[0].startswith(_yours_prefixes(report.first_wrong)) and "constant factor" in fits[0] and not [
        f for f in found if f is not chosen and f[0].first_wrong == report.first_wrong
    ]:
        # a constant factor seen in one case only proves little (from a zero state everything is ∝ g)
        fits = ()
        items = report.items[:-1] + (QuantityCheck(wrong.name, wrong.status, wrong.line, sure),)
        report = QuantityReport(report.case, report.call, items, report.first_wrong, report.line)
        wrong = report.items[-1]
    # a known variant's explanation must fit every failing case where the same quantity is wrong:
    # one that fits here by coincidence (lr = 0.01 = 1 − β) but not there gives way to what is sure
    others = [f[1] for f in found if f is not chosen and f[0].first_wrong == report.first_wrong]
    if fits and any(wrong.explanation not in other for other in others):
        items = report.items[:-1] + (QuantityCheck(wrong.name, wrong.status, wrong.line, sure),)
        report = QuantityReport(report.case, report.call, items, report.first_wrong, report.line)
    return report
