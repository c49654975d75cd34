"""Record the values the learner's code binds while it runs, for the quantities diagnosis.

The sandbox child loads this file by path (like ``program.py`` and ``wire.py``): it imports only the
standard library and NumPy. ``program.run_case(..., tracer=Tracer(filename))`` switches tracing on
around each call of the learner's code (``Tracer.begin(op_index)`` … ``Tracer.end()``) and keeps the
records in ``CaseRun.trace``; they travel back through ``wire.py`` as plain data::

    trace = [[op_index, line, label, value], ...]      # in the order the values were bound

``value`` is a copy (an ndarray of numbers, a float or an int) of a value bound in a frame of the
learner's file — a local variable, an item of a local list/tuple/dict, an attribute of ``self`` or
an item of a dict held there (``self.m["W1"]``), or the return value (label ``"return"``) — at
the moment it was bound or changed in place. ``line`` is the line of the learner's file that bound
it. Arguments and the state ``self`` held before the call are not recorded, only what the code
computed. Names play no part in the diagnosis (the parent matches by value, shape and tolerance);
the label only helps a human reading the record.

How: ``sys.settrace`` (Python 3.10+), a global trace function that returns a local one only for
frames whose ``co_filename`` is the learner's file (helpers, classes, loops, lambdas and
comprehensions of that file included; NumPy's own frames are never traced). At each ``line`` event
the frame's locals are compared with what was seen before in that frame (identity, and for arrays
their bytes, so ``v *= beta`` counts); the changes are attributed to the frame's previous line.

Bounded: at most ``max_values`` records per case, arrays of at most ``max_elements`` elements,
``max_events`` line events per call (a long Python loop stops being traced, the call goes on at full
speed), a few container items per local. The learner's code can switch tracing off or install its
own trace function (``sys.settrace``): it then only loses the diagnosis, never its verdict, which
is decided on outputs alone. A failure inside the tracer turns tracing off; it never reaches the
learner's code.
"""

from __future__ import annotations

import opcode
import sys
from typing import Any

import numpy as np

__all__ = ["Tracer", "MAX_VALUES", "MAX_ELEMENTS", "MAX_EVENTS"]

MAX_VALUES = 200  # records kept per case
MAX_ELEMENTS = 4096  # largest array recorded
MAX_EVENTS = 4000  # line events traced per call of the learner's code
MAX_ITEMS = 16  # items looked at in one container
_NUMERIC = frozenset("biuf")  # bool arrays too: a dropout mask is often one


def _snapshot(value: Any) -> Any:
    """A copy of ``value`` if it is a float or a small numeric array, else None.

    Python ints are left out (loop counters would fill the record); int arrays are kept."""
    kind = type(value)
    if kind is float:
        return value
    if kind is np.ndarray:
        if value.dtype.kind in _NUMERIC and value.size <= MAX_ELEMENTS:
            return value.copy()
        return None
    if isinstance(value, np.floating):
        return float(value)
    return None


def _mutating_opcodes() -> tuple[frozenset[int], int, frozenset[int]]:
    """Opcodes that may change an array in place or rebind an item or attribute:
    ``INPLACE_*`` (3.10), ``BINARY_OP`` with an in-place argument (3.11+), ``STORE_SUBSCR``,
    ``STORE_ATTR``; and ``BINARY_OP``'s code with its in-place arguments."""
    names = {"STORE_SUBSCR", "STORE_ATTR", "DELETE_SUBSCR"}
    ops = frozenset(code for name, code in opcode.opmap.items() if name in names or name.startswith("INPLACE_"))
    binary_op = opcode.opmap.get("BINARY_OP", -1)
    nb_ops = getattr(opcode, "_nb_ops", None)
    if nb_ops is None:  # unknown layout: every BINARY_OP may be in place
        inplace = frozenset(range(256))
    else:
        inplace = frozenset(i for i, (name, _) in enumerate(nb_ops) if name.startswith("NB_INPLACE"))
    return ops, binary_op, inplace


_MUTATING, _BINARY_OP, _INPLACE_ARGS = _mutating_opcodes()


def mutating_lines(code: Any) -> frozenset[int]:
    """The lines of ``code`` whose bytecode may change an array in place (``v *= b``,
    ``params[k] -= …``, ``self.m = …``): after them the arrays' bytes are compared, after the other
    lines only identities (a new binding), which is much cheaper."""
    raw = code.co_code
    offsets = []
    for at in range(0, len(raw) - 1, 2):
        op = raw[at]
        if op in _MUTATING or (op == _BINARY_OP and raw[at + 1] in _INPLACE_ARGS):
            offsets.append(at)
    if not offsets:
        return frozenset()
    lines = set()
    for start, end, line in code.co_lines():
        if line is not None and any(start <= at < end for at in offsets):
            lines.add(line)
    return frozenset(lines)


def _key(value: Any) -> Any:
    """What tells a later change apart: identity, plus the bytes of an array (in-place changes)."""
    if type(value) is np.ndarray:
        return (id(value), value.tobytes() if value.size <= MAX_ELEMENTS else value.shape)
    return id(value)


class Tracer:
    """Collects ``[op_index, line, label, value]`` records for one case (see the module docstring)."""

    def __init__(
        self,
        filename: str,
        *,
        max_values: int = MAX_VALUES,
        max_events: int = MAX_EVENTS,
    ) -> None:
        self.filename = filename
        self.max_values = max_values
        self.max_events = max_events
        self.records: list[list[Any]] = []
        self.op_index = -1
        self.events = 0
        self.active = False
        self._seen: dict[int, dict[str, Any]] = {}  # id(frame) -> label -> key
        self._last_line: dict[int, int] = {}
        self._mutating: dict[Any, frozenset[int]] = {}  # code object -> its in-place lines

    # --- switching ---------------------------------------------------------------------------

    def new_case(self) -> None:
        """Start the records of a new case."""
        self.records = []

    def begin(self, op_index: int) -> None:
        """Trace the learner's code from now on (the call of op ``op_index``)."""
        self.op_index = op_index
        self.events = 0
        self._seen.clear()
        self._last_line.clear()
        if len(self.records) >= self.max_values:
            return
        self.active = True
        try:
            sys.settrace(self._global)
        except Exception:  # noqa: BLE001 - tracing is never worth a failure
            self.active = False

    def end(self) -> None:
        """Stop tracing (whatever the learner's code did to ``sys.settrace`` meanwhile)."""
        self.active = False
        sys.settrace(None)
        self._seen.clear()
        self._last_line.clear()

    def take(self) -> list[list[Any]]:
        """The records of the case so far (and forget them)."""
        records, self.records = self.records, []
        return records

    # --- the trace functions -----------------------------------------------------------------

    def _global(self, frame: Any, event: str, arg: Any) -> Any:
        if not self.active or frame.f_code.co_filename != self.filename:
            return None
        return self._local

    def _local(self, frame: Any, event: str, arg: Any) -> Any:
        if not self.active:
            return None
        try:
            return self._event(frame, event, arg)
        except Exception:  # noqa: BLE001 - a failure here must never reach the learner's code
            self.active = False
            return None

    def _event(self, frame: Any, event: str, arg: Any) -> Any:
        fid = id(frame)
        if event == "line":
            self.events += 1
            if self.events > self.max_events or len(self.records) >= self.max_values:
                self.active = False
                return None
            seen = self._seen.get(fid)
            if seen is None:  # first line of this call: the arguments are not the code's work
                self._seen[fid] = seen = {}
                self._scan(frame, seen, 0, record=False)
            else:
                last = self._last_line.get(fid, frame.f_lineno)
                code = frame.f_code
                lines = self._mutating.get(code)
                if lines is None:
                    self._mutating[code] = lines = mutating_lines(code)
                self._scan(frame, seen, last, record=True, deep=last in lines)
            self._last_line[fid] = frame.f_lineno
        elif event == "return":
            seen = self._seen.pop(fid, None)
            line = self._last_line.pop(fid, frame.f_lineno)
            if seen is not None:
                self._scan(frame, seen, line, record=True)
            self._visit("return", arg, {}, line, True, 1)
        return self._local

    def _scan(self, frame: Any, seen: dict[str, Any], line: int, record: bool, deep: bool = True) -> None:
        """Look at every local of ``frame`` (the hot path: arrays and floats handled inline).

        ``deep``: compare the bytes of arrays seen before (after a line that may change one in
        place, and at the return); else only their identity."""
        code = frame.f_code
        self_name = code.co_varnames[0] if code.co_argcount else None
        records = self.records
        for name, value in list(frame.f_locals.items()):
            kind = type(value)
            if kind is np.ndarray:
                if value.size > MAX_ELEMENTS or value.dtype.kind not in _NUMERIC:
                    continue
                old = seen.get(name)
                if old is not None and old[0] == id(value) and (not deep or old[1] == value.tobytes()):
                    continue
                seen[name] = (id(value), value.tobytes())
                if record and len(records) < self.max_values:
                    records.append([self.op_index, line, name, value.copy()])
            elif kind is float:
                key = id(value)
                if seen.get(name) != key:
                    seen[name] = key
                    if record and len(records) < self.max_values:
                        records.append([self.op_index, line, name, value])
            elif kind is dict or kind is list or kind is tuple or isinstance(value, np.floating):
                self._visit(name, value, seen, line, record, 1, deep)
            elif name == self_name:
                attrs = _instance_dict(value)
                if attrs is not None:
                    for i, (attr, item) in enumerate(list(attrs.items())):
                        if i >= MAX_ITEMS * 2:
                            break
                        self._visit(f"{name}.{attr}", item, seen, line, record, 1, deep)

    def _visit(
        self, label: str, value: Any, seen: dict[str, Any], line: int, record: bool, depth: int, deep: bool = True
    ) -> None:
        kind = type(value)
        if kind is dict:
            if depth > 0:
                for i, (k, item) in enumerate(list(value.items())):
                    if i >= MAX_ITEMS:
                        break
                    self._visit(f"{label}[{_show_key(k)}]", item, seen, line, record, depth - 1, deep)
            return
        if kind is list or kind is tuple:
            if depth > 0:
                for i, item in enumerate(value[:MAX_ITEMS]):
                    self._visit(f"{label}[{i}]", item, seen, line, record, depth - 1, deep)
            return
        if not (kind is np.ndarray or kind is float or isinstance(value, np.floating)):
            return
        old = seen.get(label)
        if old is not None and not deep and type(old) is tuple and old[0] == id(value):
            return
        key = _key(value)
        if old == key:
            return
        seen[label] = key
        if not record or len(self.records) >= self.max_values:
            return
        copy = _snapshot(value)
        if copy is not None:
            self.records.append([self.op_index, int(line), label, copy])


def _show_key(key: Any) -> str:
    return repr(key[:20]) if type(key) is str else type(key).__name__


def _instance_dict(obj: Any) -> dict | None:
    """The instance dict of ``obj`` when it is a plain dict (no learner code runs to get it)."""
    try:
        attrs = object.__getattribute__(obj, "__dict__")
    except Exception:  # noqa: BLE001 - no __dict__, or a hostile descriptor
        return None
    return attrs if type(attrs) is dict else None
