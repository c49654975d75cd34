"""Record the values the learner's code binds while it runs, for the quantities diagnosis.

The sandbox child loads this file by path (like ``program.py`` and ``wire.py``): it imports only the
standard library and NumPy. ``program.run_case(..., tracer=Tracer(filename))`` switches tracing on
around each call of the learner's code (``Tracer.begin(op_index)`` … ``Tracer.end()``) and keeps the
records in ``CaseRun.trace``; they travel back through ``wire.py`` as plain data::

    trace = [[op_index, line, label, value], ...]      # in the order the values were bound

``value`` is a copy (an ndarray of numbers, int arrays included, or a float; Python ints are left
out: loop counters would fill the record) of a value bound in a frame of the learner's file — a
local variable, an item of a local list/tuple/dict, an attribute of ``self`` or an item of a dict
held there (``self.m["W1"]``), or the return value (label ``"return"``) — at
the moment it was bound or changed in place. ``line`` is the line of the learner's file that bound
it. Arguments and the state ``self`` held before the call are not recorded, only what the code
computed. Names play no part in the diagnosis (the parent matches by value, shape and tolerance);
the label only helps a human reading the record.

How: ``sys.settrace`` (Python 3.10+), a global trace function that returns a local one only for
frames whose ``co_filename`` is the learner's file (helpers, classes, loops, lambdas and
comprehensions of that file included; NumPy's own frames are never traced). At each ``line`` event
the names the previous line binds (``line_stores``: its ``STORE_FAST`` targets) are looked at; after
a line that changes something else (an item, an attribute, in place: ``v *= beta``,
``params[k] -= …``) and at the return, every local is compared with what was seen before in that
frame (identity, and for arrays their bytes). Changes are attributed to the frame's previous line.

Bounded: at most ``max_values`` records per case, arrays of at most ``max_elements`` elements,
``max_events`` line events per call (a long Python loop stops being traced, the call goes on at full
speed), a few container items per local. The learner's code can switch tracing off or install its
own trace function (``sys.settrace``): it then only loses the diagnosis, never its verdict, which
is decided on outputs alone. A failure inside the tracer turns tracing off; it never reaches the
learner's code.
"""

from __future__ import annotations

import json
import opcode
import sys
from typing import Any

import numpy as np

__all__ = ["Tracer", "compact", "expand", "MAX_VALUES", "MAX_ELEMENTS", "MAX_EVENTS"]

MAX_VALUES = 200  # records kept per case
MAX_ELEMENTS = 4096  # largest array recorded
MAX_EVENTS = 4000  # line events traced per call of the learner's code
MAX_ITEMS = 16  # items looked at in one container
MAX_TOTAL = 65536  # array elements recorded per case (what travels back stays ~0.5 MB a case)
_NUMERIC = frozenset("biuf")  # bool arrays too: a dropout mask is often one


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
    ``params[k] -= …``, ``self.m = …``); ``line_stores`` marks the same lines (None) for the tracer."""
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


_STORE_FAST = opcode.opmap.get("STORE_FAST", -1)
_STORE_PAIRS = {opcode.opmap[n]: n for n in ("STORE_FAST_STORE_FAST", "STORE_FAST_LOAD_FAST") if n in opcode.opmap}
_EXTENDED_ARG = opcode.opmap.get("EXTENDED_ARG", -1)
#: other ops that bind or unbind something: after them the whole frame is looked at
_OTHER_STORES = frozenset(
    code for name, code in opcode.opmap.items()
    if ("STORE" in name or "DELETE" in name) and name not in ("STORE_FAST", *_STORE_PAIRS.values())
)


def line_stores(code: Any) -> dict[int, tuple[str, ...] | None]:
    """For each line of ``code``, the local names its bytecode binds (``STORE_FAST``), or None
    when it binds or changes something else too (an item, an attribute, a cell, in place): after
    such a line every local is looked at, after the others only the names they bind."""
    raw = code.co_code
    names = code.co_varnames
    by_offset: list[tuple[int, tuple[str, ...] | None]] = []
    extended = False
    for at in range(0, len(raw) - 1, 2):
        op, arg = raw[at], raw[at + 1]
        if op == _STORE_FAST and not extended and arg < len(names):
            by_offset.append((at, (names[arg],)))
        elif op in _STORE_PAIRS and not extended:
            pair = (arg >> 4, arg & 15) if _STORE_PAIRS[op] == "STORE_FAST_STORE_FAST" else (arg >> 4,)
            by_offset.append((at, tuple(names[i] for i in pair if i < len(names))))
        elif op in _OTHER_STORES or op in _MUTATING or op == _STORE_FAST or op in _STORE_PAIRS or (
            op == _BINARY_OP and arg in _INPLACE_ARGS
        ):
            by_offset.append((at, None))
        extended = op == _EXTENDED_ARG
    lines: dict[int, tuple[str, ...] | None] = {}
    for start, end, line in code.co_lines():
        if line is None:
            continue
        for at, stored in by_offset:
            if start <= at < end:
                if stored is None or lines.get(line, ()) is None:
                    lines[line] = None
                else:
                    lines[line] = lines.get(line, ()) + stored
    return lines


class Tracer:
    """Collects ``[op_index, line, label, value]`` records for one case (see the module docstring).

    ``globals``: the learner module's namespace, when known (the child passes it): a frame is
    the learner's when its globals are that dict, an identity test. Without it, frames are told
    by ``co_filename``. The hot path avoids what the sandbox's audit hook would see on every
    event (``id()``, ``frame.f_code``): objects are compared by identity and a frame's code is
    read once per call."""

    def __init__(
        self,
        filename: str,
        *,
        globals: dict | None = None,  # noqa: A002 - the frame attribute's name
        max_values: int = MAX_VALUES,
        max_events: int = MAX_EVENTS,
    ) -> None:
        self.filename = filename
        self.globals = globals
        self.max_values = max_values
        self.max_events = max_events
        self.records: list[list[Any]] = []
        self.elements = 0
        self.op_index = -1
        self.events = 0
        self.active = False
        # per running frame of the learner's: label -> (object, bytes) last seen; its last line;
        # (in-place lines, name of its first argument)
        self._seen: dict[Any, dict[str, Any]] = {}
        self._last_line: dict[Any, int] = {}
        self._info: dict[Any, tuple[dict[int, Any], str | None]] = {}
        self._code_info: dict[Any, tuple[dict[int, Any], str | None]] = {}  # code -> the same, cached

    # --- switching ---------------------------------------------------------------------------

    def new_case(self) -> None:
        """Start the records of a new case."""
        self.records = []
        self.elements = 0

    def _room(self, size: int) -> bool:
        """Whether ``size`` more elements may be recorded in this case (and count them)."""
        if len(self.records) >= self.max_values or self.elements + size > MAX_TOTAL:
            return False
        self.elements += size
        return True

    def begin(self, op_index: int) -> None:
        """Trace the learner's code from now on (the call of op ``op_index``)."""
        self.op_index = op_index
        self.events = 0
        self._forget()
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
        self._forget()

    def _stop(self) -> None:
        """Stop for the rest of this call: no more events, not even the calls of new frames."""
        self.active = False
        try:
            sys.settrace(None)
        except Exception:  # noqa: BLE001
            pass

    def _forget(self) -> None:
        self._seen.clear()
        self._last_line.clear()
        self._info.clear()

    def take(self) -> list[list[Any]]:
        """The records of the case so far (and forget them)."""
        records, self.records = self.records, []
        return records

    # --- the trace functions -----------------------------------------------------------------

    def _global(self, frame: Any, event: str, arg: Any) -> Any:
        if not self.active:
            return None
        if self.globals is not None:
            return self._local if frame.f_globals is self.globals else None
        return self._local if frame.f_code.co_filename == self.filename else None

    def _local(self, frame: Any, event: str, arg: Any) -> Any:
        if not self.active:
            return None
        try:
            return self._event(frame, event, arg)
        except Exception:  # noqa: BLE001 - a failure here must never reach the learner's code
            self._stop()
            return None

    def _frame_info(self, frame: Any) -> tuple[dict[int, Any], str | None]:
        """The frame's code: what each line binds (``line_stores``) and its first argument's name."""
        code = frame.f_code
        info = self._code_info.get(code)
        if info is None:
            self_name = code.co_varnames[0] if code.co_argcount else None
            self._code_info[code] = info = (line_stores(code), self_name)
        self._info[frame] = info
        return info

    def _event(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            self.events += 1
            if self.events > self.max_events or len(self.records) >= self.max_values:
                self._stop()
                return None
            seen = self._seen.get(frame)
            if seen is None:  # first line of this call: the arguments are not the code's work
                self._seen[frame] = seen = {}
                self._scan(frame, seen, 0, record=False, info=self._frame_info(frame))
            else:
                info = self._info.get(frame) or self._frame_info(frame)
                last = self._last_line.get(frame, frame.f_lineno or 0)
                stored = info[0].get(last, ())
                if stored is None:  # an item, an attribute, in place: look at everything
                    self._scan(frame, seen, last, record=True, deep=True, info=info)
                elif stored:
                    self._names(frame, stored, seen, last)
            self._last_line[frame] = frame.f_lineno or 0
        elif event == "return":
            seen = self._seen.pop(frame, None)
            line = self._last_line.pop(frame, frame.f_lineno or 0)
            info = self._info.pop(frame, None)
            if seen is not None:
                self._scan(frame, seen, line, record=True, info=info or self._frame_info(frame))
                self._info.pop(frame, None)
            self._visit("return", arg, {}, line, True, 1)
        return self._local

    def _names(self, frame: Any, names: tuple[str, ...], seen: dict[str, Any], line: int) -> None:
        """Look at the locals ``names`` only (what the line just run binds)."""
        local = frame.f_locals
        for name in names:
            if name in local:
                self._visit(name, local[name], seen, line, True, 1, False)

    def _scan(
        self, frame: Any, seen: dict[str, Any], line: int, record: bool, deep: bool = True,
        info: tuple[dict[int, Any], str | None] = ({}, None),
    ) -> None:
        """Look at every local of ``frame`` (the hot path: arrays and floats handled inline).

        ``deep``: compare the bytes of arrays seen before (after a line that may change one in
        place, and at the return); else only their identity."""
        self_name = info[1]
        records = self.records
        for name, value in list(frame.f_locals.items()):
            kind = type(value)
            if kind is np.ndarray:
                if value.size > MAX_ELEMENTS or value.dtype.kind not in _NUMERIC:
                    continue
                old = seen.get(name)
                if old is not None and old[0] is value and (not deep or old[1] == value.tobytes()):
                    continue
                seen[name] = (value, value.tobytes())
                if record and self._room(value.size):
                    records.append([self.op_index, line, name, value.copy()])
            elif kind is float:
                if seen.get(name) is not value:
                    seen[name] = value
                    if record and self._room(1):
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
        if kind is np.ndarray:  # the hot path: one copy of the bytes, one of the array
            size = value.size
            old = seen.get(label)
            if type(old) is tuple and old[0] is value:
                if not deep or size > MAX_ELEMENTS:
                    return
                raw = value.tobytes()
                if old[1] == raw:
                    return
            else:
                raw = value.tobytes() if size <= MAX_ELEMENTS else b""
            seen[label] = (value, raw)
            if record and size <= MAX_ELEMENTS and value.dtype.kind in _NUMERIC and self._room(size):
                self.records.append([self.op_index, int(line), label, value.copy()])
            return
        if kind is float or isinstance(value, np.floating):
            if seen.get(label) is value:
                return
            seen[label] = value
            if record and self._room(1):
                self.records.append([self.op_index, int(line), label, float(value)])


def _show_key(key: Any) -> str:
    return repr(key[:20]) if type(key) is str else type(key).__name__


def _instance_dict(obj: Any) -> dict | None:
    """The instance dict of ``obj`` when it is a plain dict (no learner code runs to get it)."""
    try:
        attrs = object.__getattribute__(obj, "__dict__")
    except Exception:  # noqa: BLE001 - no __dict__, or a hostile descriptor
        return None
    return attrs if type(attrs) is dict else None


# --- across the wire ------------------------------------------------------------------------------


def compact(records: Any) -> list[Any]:
    """The records as one JSON string ``[[op, line, label, kind, shape], ...]`` plus one flat
    float64 array of every value: two nodes on the wire instead of a dozen per value
    (``wire.pack`` costs per node). Never raises: ``[]`` when anything is odd."""
    try:
        return _compact(records)
    except Exception:  # noqa: BLE001 - the trace is never worth a lost case
        return []


def _compact(records: Any) -> list[Any]:
    meta: list[list[Any]] = []
    values: list[np.ndarray] = []
    for op, line, label, value in records:
        array = np.asarray(value, dtype=np.float64)
        kind = "f" if type(value) is float else "a"
        meta.append([op, line, label, kind, list(array.shape)])
        values.append(array.reshape(-1))
    flat = np.concatenate(values) if values else np.zeros(0)
    return [json.dumps(meta, ensure_ascii=True, separators=(",", ":")), flat]


def expand(data: Any, limit: int = MAX_VALUES * 2) -> tuple[tuple[int, int, str, Any], ...]:
    """The records of ``compact``; anything malformed is dropped (the trace feeds a diagnosis only,
    and a child may send anything)."""
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], str)) or len(data[0]) > 200 * limit:
        return ()
    try:
        meta = json.loads(data[0])
    except ValueError:
        return ()
    flat = data[1]
    if not isinstance(meta, list):
        return ()
    if type(flat) is not np.ndarray or flat.dtype != np.float64 or flat.ndim != 1:
        return ()
    out = []
    at = 0
    for item in meta[:limit]:
        if not (isinstance(item, list) and len(item) == 5):
            break
        op, line, label, kind, shape = item
        if type(op) is not int or type(line) is not int or not isinstance(label, str) or kind not in ("f", "a"):
            break
        if not (isinstance(shape, list) and len(shape) <= 32 and all(type(n) is int and n >= 0 for n in shape)):
            break
        size = 1
        for n in shape:
            size *= n
        if at + size > flat.size or size > MAX_ELEMENTS:
            break
        chunk = flat[at : at + size]
        at += size
        value: Any = float(chunk[0]) if kind == "f" and size == 1 else chunk.reshape(shape)
        out.append((op, line, label[:80], value))
    return tuple(out)
