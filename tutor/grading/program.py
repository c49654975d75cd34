"""The case interpreter: runs a case program against a namespace of functions and classes.

A case is plain data, ``{"name": str, "ops": [op, ...]}``; see docs/internals.md, "Case programs".
The same interpreter runs a case against the learner's namespace (in the isolated child) and against
the reference or a known mistake (in the trusted parent), so both see exactly the same calls.

This module imports only the standard library and NumPy: the sandbox child loads it by file path,
without importing ``tutor``.

Public API::

    run_case(namespace, case, *, filename=None) -> CaseRun
    run_cases(namespace, cases, *, filename=None) -> list[CaseRun]
    iter_cases(namespace, cases, *, filename=None, catch=(Exception,)) -> Iterator[CaseRun]

Every op works on fresh copies of the case's values, so one case can be run against the reference,
the learner and every mistake without one run seeing another's changes.
"""

from __future__ import annotations

import copy
import io
import pickle  # the request, one way (pack_request); NumPy imports it anyway
import traceback
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

__all__ = [
    "Ref",
    "Rng",
    "ErrorInfo",
    "CaseRun",
    "CaseOutcome",
    "ProgramError",
    "check_case",
    "error_info",
    "run_case",
    "run_cases",
    "iter_cases",
    "cut_traceback",
    "MARKERS",
]


@dataclass(frozen=True)
class Ref:
    """A value that stands for ``slots[slot]`` itself (not a copy), so in-place changes persist."""

    slot: str


@dataclass(frozen=True)
class Rng:
    """A value that becomes a fresh ``numpy.random.default_rng(seed)`` where it is used."""

    seed: int


#: the marker types a case may contain, by name (the wire encoding needs them).
MARKERS: dict[str, type] = {"Ref": Ref, "Rng": Rng}


# --- the request, from the grading process to the child ---------------------------------------
# One direction only: the trusted side encodes, the sandbox child decodes, before any learner
# code runs. Nothing the child sends back is ever unpickled (that is ``wire.py``). Pickle here is
# ~4x faster than the wire encoding both ways (about 1 ms of a ~12 ms check), and the decoder
# still builds only plain data, NumPy arrays and the markers: any other global is refused.

#: (module, name) of the globals a request may name: NumPy's array and scalar rebuilders
_REQUEST_GLOBALS = frozenset(
    (module, name)
    for module in ("numpy", "numpy.core.numeric", "numpy._core.numeric", "numpy.core.multiarray", "numpy._core.multiarray")
    for name in ("dtype", "ndarray", "_frombuffer", "_reconstruct", "scalar")
)


def pack_request(request: Mapping[str, Any]) -> bytes:
    """The request (source, names, cases with their arrays and markers) as bytes for the child."""
    return pickle.dumps(dict(request), protocol=5)


class _RequestUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name in MARKERS and module.rpartition(".")[2].endswith("program"):
            return MARKERS[name]  # ``tutor.grading.program`` there, loaded by path here
        if (module, name) in _REQUEST_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a request may not name {module}.{name}")


def unpack_request(data: bytes) -> dict[str, Any]:
    """The child's side of ``pack_request``; raises ``ValueError`` on anything else."""
    try:
        value = _RequestUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # noqa: BLE001 - a grader bug: say so, never crash the child
        raise ValueError(f"unreadable request: {type(exc).__name__}: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError("unreadable request: not a dict")
    return value


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised by the code under test.

    ``traceback`` keeps only the frames of ``filename`` (the learner's own lines) when a filename
    was given to the interpreter, else the whole traceback. ``op_index`` is the op that raised
    (None for errors outside a case, e.g. at import).
    """

    type: str
    message: str
    traceback: str = ""
    op_index: int | None = None

    def one_line(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type


@dataclass(frozen=True)
class CaseRun:
    """What one case produced: its outputs (OUT -> value), an error if an op raised, and the
    ``(op_index, argument name)`` pairs whose arrays the code changed in place."""

    name: str
    outputs: dict[str, Any] = field(default_factory=dict)
    error: ErrorInfo | None = None
    mutated: tuple[tuple[int, str], ...] = ()
    #: with a tracer: the values the code bound, ``[op_index, line, label, value]`` (``trace.py``);
    #: from the sandbox, still packed (``trace.compact``; ``trace.expand`` reads it)
    trace: Any = ()


#: the same type under the name the brief of the interpreter used.
CaseOutcome = CaseRun


class ProgramError(ValueError):
    """A malformed case program (a bug in the trusted case generator, not in the learner's code)."""


#: each op and the keys it requires ("kwargs" is optional everywhere, "out" for call and method)
_OPS = {
    "call": ("fn",),
    "new": ("cls", "slot"),
    "method": ("obj", "method"),
    "let": ("slot", "value"),
    "snapshot": ("slot", "out"),
}


def run_cases(
    namespace: Mapping[str, Any],
    cases: Iterable[Mapping[str, Any]],
    *,
    filename: str | None = None,
) -> list[CaseRun]:
    """Run every case against ``namespace``; an exception ends only its own case."""
    return list(iter_cases(namespace, cases, filename=filename))


def iter_cases(
    namespace: Mapping[str, Any],
    cases: Iterable[Mapping[str, Any]],
    *,
    filename: str | None = None,
    catch: tuple[type[BaseException], ...] = (Exception,),
) -> Iterator[CaseRun]:
    """Yield one ``CaseRun`` per case, as each finishes (the sandbox child streams them)."""
    for case in cases:
        yield run_case(namespace, case, filename=filename, catch=catch)


def run_case(
    namespace: Mapping[str, Any],
    case: Mapping[str, Any],
    *,
    filename: str | None = None,
    catch: tuple[type[BaseException], ...] = (Exception,),
    tracer: Any = None,
) -> CaseRun:
    """Run one case program. Exceptions of type ``catch`` raised by the code under test become the
    case's ``error``; a malformed program raises ``ProgramError``.

    ``tracer`` (a ``trace.Tracer``, in the sandbox child) records the values the code binds during
    each call; they come back as ``CaseRun.trace``."""
    name, ops = check_case(case)
    slots: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    mutated: list[tuple[int, str]] = []
    if tracer is not None:
        tracer.new_case()
    for index, op in enumerate(ops):
        try:
            _run_op(namespace, op, index, slots, outputs, mutated, tracer)
        except ProgramError:
            raise
        except catch as exc:  # noqa: PERF203 - one try per op keeps the op index
            return CaseRun(name, outputs, error_info(exc, filename, op_index=index), tuple(mutated), _taken(tracer))
    return CaseRun(name, outputs, None, tuple(mutated), _taken(tracer))


def _taken(tracer: Any) -> tuple[Any, ...]:
    return () if tracer is None else tuple(tracer.take())


def error_info(exc: BaseException, filename: str | None, op_index: int | None = None) -> ErrorInfo:
    """An ``ErrorInfo`` for ``exc``, its traceback cut to ``filename``'s frames."""
    try:
        message = str(exc)
    except Exception:  # a hostile __str__
        message = "<unprintable message>"
    return ErrorInfo(type(exc).__name__, message, cut_traceback(exc, filename), op_index)


def cut_traceback(exc: BaseException, filename: str | None) -> str:
    """The traceback of ``exc``; with ``filename``, only the frames of that file, then the error line."""
    try:
        frames = traceback.extract_tb(exc.__traceback__)
        if filename is not None:
            frames = traceback.StackSummary.from_list([f for f in frames if f.filename == filename])
        lines = ["Traceback (most recent call last):\n"] if frames else []
        lines += frames.format()
        lines += traceback.format_exception_only(type(exc), exc)
        return "".join(lines).rstrip("\n")
    except Exception:
        return type(exc).__name__


# --- the interpreter ------------------------------------------------------------------------


def check_case(case: Mapping[str, Any]) -> tuple[str, list[Mapping[str, Any]]]:
    """The case's name and ops; raises ``ProgramError`` if it is not a well-formed case program."""
    if type(case) is not dict and not isinstance(case, Mapping):
        raise ProgramError(f"a case must be a dict, not {type(case).__name__}")
    name = case.get("name")
    ops = case.get("ops")
    if not isinstance(name, str):
        raise ProgramError("a case needs a 'name' (str)")
    if not isinstance(ops, (list, tuple)):
        raise ProgramError(f"case {name!r} needs 'ops' (a list)")
    for index, op in enumerate(ops):
        if (type(op) is not dict and not isinstance(op, Mapping)) or op.get("op") not in _OPS:
            raise ProgramError(f"case {name!r}, op {index}: unknown op {op!r:.80}")
        for key in _OPS[op["op"]]:
            if key not in op:
                raise ProgramError(f"case {name!r}, op {index} ({op['op']}): missing {key!r}")
    return name, list(ops)


def _run_op(
    ns: Mapping[str, Any],
    op: Mapping[str, Any],
    index: int,
    slots: dict[str, Any],
    outputs: dict[str, Any],
    mutated: list[tuple[int, str]],
    tracer: Any = None,
) -> None:
    kind = op["op"]
    if kind == "let":
        slots[op["slot"]] = _materialize(op["value"], slots)
        return
    if kind == "snapshot":
        outputs[op["out"]] = _freeze(_slot(slots, op["slot"]))
        return
    if kind == "call":
        target = _lookup(ns, op["fn"])
    elif kind == "new":
        target = _lookup(ns, op["cls"])
    else:
        target = getattr(_slot(slots, op["obj"]), op["method"])
    spec = op.get("kwargs") or {}
    if type(spec) is not dict and not isinstance(spec, Mapping):
        raise ProgramError(f"op {index}: 'kwargs' must be a dict")
    kwargs = {key: _materialize(value, slots) for key, value in spec.items()}
    if tracer is not None:
        tracer.begin(index)
    try:
        result = target(**kwargs)
    finally:
        if tracer is not None:
            tracer.end()
        for key, value in spec.items():
            if _changed(value, kwargs[key]):
                mutated.append((index, str(key)))
    if kind == "new":
        slots[op["slot"]] = result
    elif op.get("out") is not None:
        outputs[op["out"]] = _freeze(result)


def _lookup(ns: Mapping[str, Any], name: str) -> Any:
    try:
        return ns[name]
    except KeyError:
        raise NameError(f"name {name!r} is not defined") from None


def _slot(slots: Mapping[str, Any], name: str) -> Any:
    try:
        return slots[name]
    except KeyError:
        raise ProgramError(f"the case uses slot {name!r} before setting it") from None


def _materialize(value: Any, slots: Mapping[str, Any]) -> Any:
    """A fresh copy of a case value: arrays copied, containers rebuilt, markers resolved."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Ref):
        return _slot(slots, value.slot)
    if isinstance(value, Rng):
        return np.random.default_rng(value.seed)
    if isinstance(value, dict):
        return {key: _materialize(item, slots) for key, item in value.items()}
    if isinstance(value, list):
        return [_materialize(item, slots) for item in value]
    if isinstance(value, tuple):
        return tuple(_materialize(item, slots) for item in value)
    if isinstance(value, np.generic) or value is None or isinstance(value, (bool, int, float, str)):
        return value
    return copy.deepcopy(value)


def _changed(original: Any, passed: Any) -> bool:
    """Whether an array passed as (a copy of) ``original`` was changed in place.

    Only arrays (also inside lists, tuples and dicts of the case) are watched; ``Ref`` values are
    the slot's own object and are meant to change."""
    if isinstance(original, np.ndarray):
        if not isinstance(passed, np.ndarray):
            return False
        return (
            passed.shape != original.shape
            or passed.dtype != original.dtype
            or passed.tobytes() != original.tobytes()
        )
    if isinstance(original, dict) and isinstance(passed, dict):
        return any(key in passed and _changed(item, passed[key]) for key, item in original.items()) or (
            _has_array(original) and passed.keys() != original.keys()
        )
    if isinstance(original, (list, tuple)) and isinstance(passed, (list, tuple)):
        if len(passed) != len(original):
            return _has_array(original)
        return any(_changed(a, b) for a, b in zip(original, passed))
    return False


def _has_array(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, dict):
        return any(_has_array(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_array(item) for item in value)
    return False


def _freeze(value: Any, depth: int = 0) -> Any:
    """A copy of an output as it is now, so later ops cannot change it behind our back.

    Arrays are copied and plain containers rebuilt; other objects are deep-copied when they can
    be (they usually end up as ``Unsupported`` on the wire anyway)."""
    if depth > 50:
        return value
    if isinstance(value, np.ndarray):
        return value.copy()
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        return value
    if type(value) is dict:
        return {key: _freeze(item, depth + 1) for key, item in value.items()}
    if type(value) is list:
        return [_freeze(item, depth + 1) for item in value]
    if type(value) is tuple:
        return tuple(_freeze(item, depth + 1) for item in value)
    try:
        return copy.deepcopy(value)
    except Exception:
        return value
