"""Compare a learner's outputs with the expected ones (``curriculum.md``, "Comparison").

Runs in the trusted process only. The rule, elementwise on every numeric leaf::

    |got − expected| ≤ rtol·|expected| + atol·max|expected|

relative to the array's own scale, so a tiny array is compared as strictly as a large one.
Structure is checked before values:

* arrays: ``got`` must be an ndarray of the same shape. A float result may come back in any real
  dtype (``int``, ``float32`` … are compared by value; a failing ``float32`` result gets a note);
  where integers are expected (indices) an integer dtype is required. Booleans, complex numbers and
  object arrays are refused with a message saying what came back.
* scalars: Python numbers, NumPy scalars and 0-d arrays are all the same answer; a float that is an
  exact integer is accepted where an integer scalar is expected. ``bool`` is not a number here.
* tuples and lists of the same items are the same answer; lengths must agree.
* dicts: the key sets must agree (missing and extra keys are named), then each value.
* ``None`` and ``str`` compare by equality; anything else (``Unsupported`` values from the sandbox,
  custom objects) is refused as "not data".
* NaN and ±inf in ``got`` are reported as such (they only match the same value in ``expected``).

Updates (optimizer steps): a case may name, for an output, the value it was computed from
(``"updates"``, see docs/internals.md "Case programs"); then ``got − base`` is compared with
``expected − base`` by the same rule, relative to the *update's* own scale, plus a floor of four
units in the last place of the result (the update cannot be known more precisely than the rounding
of ``w'``). This is what exposes eps inside the square root: the result differs by 1e-10 but the
update by a factor.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import re
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Mismatch",
    "compare",
    "compare_update",
    "compare_case",
    "parse_path",
    "lookup",
    "describe_value",
]

_EPS64 = float(np.finfo(np.float64).eps)
_EXCERPT = 6  # array elements shown in an excerpt


@dataclass(frozen=True)
class Mismatch:
    """Why one output differs: where, the errors, and a small expected-vs-got excerpt."""

    path: str  # the output: 'result[0]', 'update of result[0] (result[0] − w)'
    reason: str  # one line for the learner
    max_abs: float | None = None  # largest |got − expected| over the leaf
    max_rel: float | None = None  # largest |got − expected| / |expected|
    index: tuple[int, ...] | None = None  # where the worst violation is
    expected: str = ""  # excerpt
    got: str = ""  # excerpt

    def lines(self) -> list[str]:
        """The mismatch as text lines (first line: where and why)."""
        out = [f"{self.path}: {self.reason}" if self.path else self.reason]
        if self.expected or self.got:
            out.append(f"  expected {self.expected}")
            out.append(f"  got      {self.got}")
        return out


# --------------------------------------------------------------------------- values


def _is_unsupported(x: Any) -> bool:
    return type(x).__name__ == "Unsupported"


def describe_value(x: Any) -> str:
    """A short description of what a value is: 'an array of shape (2, 3) (float64)', 'a list of 2 items'."""
    if x is None:
        return "None"
    if _is_unsupported(x):
        name = getattr(x, "type", None) or str(x)
        return f"a {name} object (not data)"
    if isinstance(x, (bool, np.bool_)):
        return f"the bool {bool(x)}"
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return f"a 0-d array ({x.dtype})"
        return f"an array of shape {tuple(x.shape)} ({x.dtype})"
    if isinstance(x, (numbers.Number, np.generic)):
        return f"the number {_fmt_scalar(x)}"
    if isinstance(x, tuple):
        return f"a tuple of {len(x)} item{'s' if len(x) != 1 else ''}"
    if isinstance(x, list):
        return f"a list of {len(x)} item{'s' if len(x) != 1 else ''}"
    if isinstance(x, Mapping):
        return f"a dict with keys {_keys(x)}"
    if isinstance(x, str):
        return f"the string {x!r:.40}"
    return f"a {type(x).__name__} object (not data)"


def _keys(d: Mapping[Any, Any]) -> str:
    return "{" + ", ".join(repr(k) for k in d) + "}"


def _fmt_scalar(x: Any) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (numbers.Integral, np.integer)):
        return str(int(x))
    try:
        f = float(x)
    except (TypeError, ValueError):
        return repr(x)
    return f"{f:.10g}"


def _fmt_array(a: np.ndarray) -> str:
    if a.ndim == 0:
        return _fmt_scalar(a.item())
    return np.array2string(
        a, precision=8, threshold=_EXCERPT, edgeitems=2, separator=", ", max_line_width=100
    ).replace("\n", "")


def _fmt_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _is_number(x: Any) -> bool:
    """A real number: Python int/float, NumPy integer/floating scalar (not bool)."""
    if isinstance(x, (bool, np.bool_)):
        return False
    return isinstance(x, (numbers.Real, np.integer, np.floating))


def _scalar_like(x: Any) -> bool:
    return _is_number(x) or (isinstance(x, np.ndarray) and x.ndim == 0)


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}[{key!r}]".replace("'", '"')


def compare(
    expected: Any, got: Any, *, rtol: float, atol: float, path: str = ""
) -> Mismatch | None:
    """The first way ``got`` differs from ``expected`` (structure, then values), or ``None``."""
    with np.errstate(all="ignore"):
        return _compare(expected, got, rtol=rtol, atol=atol, path=path)


def _compare(expected: Any, got: Any, *, rtol: float, atol: float, path: str) -> Mismatch | None:
    # the common case first, as ``_diff`` would decide it: float64 arrays of the same shape (or
    # a tuple of them, an optimizer's (w', v', s')) go straight to the elementwise rule
    kind = type(expected)
    if kind is np.ndarray and type(got) is np.ndarray:
        if expected.dtype == _F64 and got.dtype == _F64 and expected.shape == got.shape:
            return _values(expected, got, rtol=rtol, atol=atol, path=path)
    elif kind is tuple and type(got) is tuple and len(got) == len(expected):
        for i, (e, g) in enumerate(zip(expected, got)):
            mismatch = _compare(e, g, rtol=rtol, atol=atol, path=_join(path, i))
            if mismatch is not None:
                return mismatch
        return None
    for mismatch in _diff(expected, got, rtol=rtol, atol=atol, path=path):
        return mismatch
    return None


_F64 = np.dtype(np.float64)


def _diff(expected: Any, got: Any, *, rtol: float, atol: float, path: str) -> Iterator[Mismatch]:
    if _is_unsupported(got) or not _is_data(got):
        yield Mismatch(path, f"returned {describe_value(got)}; expected {describe_value(expected)}")
        return
    if expected is None:
        if got is not None:
            yield Mismatch(path, f"expected None (nothing returned), got {describe_value(got)}")
        return
    if isinstance(expected, str):
        if got != expected:
            yield Mismatch(path, f"expected the string {expected!r}, got {describe_value(got)}")
        return
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)) or bool(got) != bool(expected):
            yield Mismatch(path, f"expected {bool(expected)}, got {describe_value(got)}")
        return
    if isinstance(expected, Mapping):
        yield from _diff_dict(expected, got, rtol=rtol, atol=atol, path=path)
        return
    if isinstance(expected, (tuple, list)):
        yield from _diff_seq(expected, got, rtol=rtol, atol=atol, path=path)
        return
    if _scalar_like(expected):
        mismatch = _diff_scalar(expected, got, rtol=rtol, atol=atol, path=path)
        if mismatch is not None:
            yield mismatch
        return
    if isinstance(expected, np.ndarray):
        mismatch = _diff_array(expected, got, rtol=rtol, atol=atol, path=path)
        if mismatch is not None:
            yield mismatch
        return
    raise TypeError(f"cannot compare against expected value of type {type(expected).__name__}")


def _is_data(x: Any) -> bool:
    if x is None or isinstance(x, (str, bool, np.bool_)) or _is_number(x):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype != object
    if isinstance(x, np.generic):
        return not isinstance(x, np.object_)
    return isinstance(x, (tuple, list, Mapping))


def _diff_dict(expected: Mapping[Any, Any], got: Any, *, rtol: float, atol: float, path: str) -> Iterator[Mismatch]:
    if not isinstance(got, Mapping):
        yield Mismatch(path, f"expected a dict with keys {_keys(expected)}, got {describe_value(got)}")
        return
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing key" + ("s " if len(missing) > 1 else " ") + ", ".join(map(repr, missing)))
        if extra:
            parts.append("unexpected key" + ("s " if len(extra) > 1 else " ") + ", ".join(map(repr, extra)))
        yield Mismatch(path, "; ".join(parts) + f" (expected keys {_keys(expected)})")
        return
    for key in expected:
        yield from _diff(expected[key], got[key], rtol=rtol, atol=atol, path=_join(path, key))


def _diff_seq(expected: Sequence[Any], got: Any, *, rtol: float, atol: float, path: str) -> Iterator[Mismatch]:
    kind = "tuple" if isinstance(expected, tuple) else "list"
    if not isinstance(got, (tuple, list)):
        extra = ""
        if isinstance(got, np.ndarray) and got.ndim >= 1 and got.shape[0] == len(expected):
            extra = " (return the values separated by commas, not stacked into one array)"
        yield Mismatch(path, f"expected a {kind} of {len(expected)} item{'s' if len(expected) != 1 else ''}, got {describe_value(got)}{extra}")
        return
    if len(got) != len(expected):
        n = len(expected)
        yield Mismatch(path, f"expected a {kind} of {n} item{'s' if n != 1 else ''}, got {len(got)}")
        return
    for i, (e, g) in enumerate(zip(expected, got)):
        yield from _diff(e, g, rtol=rtol, atol=atol, path=_join(path, i))


def _diff_scalar(
    expected: Any, got: Any, *, rtol: float, atol: float, path: str, floor: float = 0.0
) -> Mismatch | None:
    e = np.asarray(expected)
    if isinstance(got, np.ndarray) and got.ndim > 0:
        return Mismatch(path, f"expected a number, got {describe_value(got)}")
    if not _scalar_like(got):
        return Mismatch(path, f"expected a number, got {describe_value(got)}")
    g = np.asarray(got)
    if g.dtype.kind not in "iuf":
        return Mismatch(path, f"expected a real number, got {describe_value(got)}")
    if e.dtype.kind in "iu":
        gv = g.item()
        if g.dtype.kind == "f" and not (math.isfinite(gv) and float(gv).is_integer()):
            return Mismatch(
                path, f"expected the integer {int(e)}, got {_fmt_scalar(gv)}", expected=str(int(e)), got=_fmt_scalar(gv)
            )
        if int(gv) != int(e):
            return Mismatch(path, f"expected {int(e)}, got {int(gv)}", expected=str(int(e)), got=str(int(gv)))
        return None
    return _values(e.astype(np.float64), g, rtol=rtol, atol=atol, path=path, floor=floor)


def _diff_array(expected: np.ndarray, got: Any, *, rtol: float, atol: float, path: str) -> Mismatch | None:
    if not isinstance(got, np.ndarray):
        how = describe_value(got)
        hint = ""
        if isinstance(got, (list, tuple)):
            hint = " (return a NumPy array, e.g. np.array(...))"
        return Mismatch(path, f"expected an array of shape {tuple(expected.shape)}, got {how}{hint}")
    if got.dtype == object:
        return Mismatch(path, "returned an object array (not data); expected a numeric array")
    if got.shape != expected.shape:
        hint = ""
        if got.size == expected.size:
            hint = " (same number of values: check for a transpose or a reshape)"
        elif got.ndim == expected.ndim + 1 or got.ndim + 1 == expected.ndim:
            hint = " (check the axis you sum, index or keep)"
        return Mismatch(path, f"expected shape {tuple(expected.shape)}, got {tuple(got.shape)}{hint}")
    ek, gk = expected.dtype.kind, got.dtype.kind
    if gk == "b" and ek != "b":
        return Mismatch(path, f"expected numbers ({expected.dtype}), got a boolean array")
    if gk == "c":
        return Mismatch(path, f"expected real numbers ({expected.dtype}), got a complex array")
    if gk not in "iufb":
        return Mismatch(path, f"expected numbers ({expected.dtype}), got an array of dtype {got.dtype}")
    if ek == "b":
        if gk != "b":
            return Mismatch(path, f"expected a boolean array, got dtype {got.dtype}")
        bad = np.argwhere(expected != got)
        if bad.size:
            idx = tuple(int(i) for i in bad[0])
            return Mismatch(
                path,
                f"{len(bad)} value(s) differ, first at {_fmt_index(idx)}",
                index=idx,
                expected=_fmt_array(expected) if _DETAIL.get() else "",
                got=_fmt_array(got) if _DETAIL.get() else "",
            )
        return None
    if ek in "iu" and gk not in "iu":
        return Mismatch(path, f"expected integers ({expected.dtype}, e.g. indices), got dtype {got.dtype}")
    mismatch = _values(expected.astype(np.float64), got, rtol=rtol, atol=atol, path=path)
    if mismatch is not None and gk == "f" and got.dtype.itemsize < 8:
        return Mismatch(
            mismatch.path,
            mismatch.reason + f" (your array is {got.dtype}: compute in float64)",
            mismatch.max_abs,
            mismatch.max_rel,
            mismatch.index,
            mismatch.expected,
            mismatch.got,
        )
    return mismatch


def _values(
    expected: np.ndarray,
    got: np.ndarray,
    *,
    rtol: float,
    atol: float,
    path: str,
    floor: np.ndarray | float = 0.0,
) -> Mismatch | None:
    """The elementwise rule on float arrays of the same shape (NaN/inf handled first)."""
    e = expected if isinstance(expected, np.ndarray) and expected.dtype == np.float64 else np.asarray(expected, dtype=np.float64)
    g = got if isinstance(got, np.ndarray) and got.dtype == np.float64 else np.asarray(got).astype(np.float64)
    # fast path (the common case: a right answer): everything finite and within tolerance.
    # Callers hold np.errstate(all="ignore").
    abs_e = np.abs(e)
    scale = float(abs_e.max()) if e.size else 0.0
    if math.isfinite(scale):
        tol = rtol * abs_e
        tol += atol * scale
        if not isinstance(floor, float) or floor != 0.0:
            tol += floor
        if (np.abs(g - e) <= tol).all():
            return None
    e_nan, g_nan = np.isnan(e), np.isnan(g)
    e_inf, g_inf = np.isinf(e), np.isinf(g)
    # NaN where a number was expected, or a number where NaN was expected.
    for bad, what in ((g_nan & ~e_nan, "NaN"), (g_inf & ~e_inf & ~g_nan, "inf")):
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0]) if e.ndim else ()
            where = f" at {_fmt_index(idx)}" if e.ndim else ""
            count = int(bad.sum())
            more = f" ({count} values)" if count > 1 else ""
            return Mismatch(
                path,
                f"got {what}{where}{more} where a finite number was expected"
                " (a division by zero or an overflow?)",
                index=idx if e.ndim else None,
                expected=_excerpt(e, idx if e.ndim else None),
                got=_excerpt(g, idx if e.ndim else None),
            )
    special = e_nan | e_inf
    if (special & ~((e_nan & g_nan) | (e_inf & (g == e)))).any():
        bad = special & ~((e_nan & g_nan) | (e_inf & (g == e)))
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if e.ndim else ()
        return Mismatch(
            path,
            "differs where the expected value is not finite",
            index=idx if e.ndim else None,
            expected=_excerpt(e, idx if e.ndim else None),
            got=_excerpt(g, idx if e.ndim else None),
        )
    finite = ~special
    e0 = np.where(finite, e, 0.0)
    g0 = np.where(finite, g, 0.0)
    err = np.abs(g0 - e0)
    scale = float(np.max(np.abs(e0))) if e0.size else 0.0
    tol = rtol * np.abs(e0) + atol * scale + floor
    over = err > tol
    if not over.any():
        return None
    rel = np.where(e0 != 0, err / np.abs(e0), np.where(err > 0, np.inf, 0.0))
    ratio = np.where(tol > 0, err / np.where(tol > 0, tol, 1.0), np.where(over, np.inf, 0.0))
    flat = int(np.argmax(ratio)) if e.ndim else 0
    idx = tuple(int(i) for i in np.unravel_index(flat, e.shape)) if e.ndim else ()
    n_bad = int(over.sum())
    max_abs = float(err.max())
    max_rel = float(rel.max())
    where = f" at {_fmt_index(idx)}" if e.ndim else ""
    count = f"{n_bad} of {e.size} values differ; " if e.ndim else ""
    reason = (
        f"{count}largest error {max_abs:.3g} (relative {_fmt_rel(max_rel)}){where}: "
        f"expected {_fmt_scalar(e[idx] if e.ndim else e.item())}, got {_fmt_scalar(g[idx] if e.ndim else g.item())}"
    )
    return Mismatch(
        path,
        reason,
        max_abs=max_abs,
        max_rel=max_rel,
        index=idx if e.ndim else None,
        expected=_excerpt(e, idx if e.ndim else None),
        got=_excerpt(g, idx if e.ndim else None),
    )


def _fmt_rel(r: float) -> str:
    return "inf (expected 0)" if math.isinf(r) else f"{r:.3g}"


#: False inside ``compare_case(..., detail=False)``: the excerpts are left empty
_DETAIL: ContextVar[bool] = ContextVar("tutor_compare_detail", default=True)


def _excerpt(a: np.ndarray, index: tuple[int, ...] | None) -> str:
    """A few values around ``index`` (the whole array when it is small)."""
    if not _DETAIL.get():
        return ""
    if a.ndim == 0:
        return _fmt_scalar(a.item())
    if a.size <= _EXCERPT or index is None:
        return _fmt_array(a)
    # the row (last axis) that holds the index, clipped around it
    row = a[index[:-1]] if a.ndim > 1 else a
    j = index[-1]
    lo = max(0, min(j - 2, row.shape[0] - 5))
    hi = min(row.shape[0], lo + 5)
    vals = ", ".join(_fmt_scalar(v) for v in row[lo:hi])
    head = "…, " if lo > 0 else ""
    tail = ", …" if hi < row.shape[0] else ""
    where = f"row {_fmt_index(index[:-1])}: " if a.ndim > 1 else ""
    return f"{where}[{head}{vals}{tail}]"


# --------------------------------------------------------------------------- updates


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Numeric leaves of a structure, in order, with their paths."""
    if isinstance(value, Mapping):
        for key in value:
            yield from _leaves(value[key], _join(path, key))
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _leaves(item, _join(path, i))
    elif isinstance(value, np.ndarray) or _is_number(value):
        yield path, value


def compare_update(
    expected: Any,
    got: Any,
    base_expected: Any,
    base_got: Any,
    *,
    rtol: float,
    atol: float,
    path: str,
    base_name: str,
) -> Mismatch | None:
    """Compare ``got − base_got`` with ``expected − base_expected`` leaf by leaf.

    Leaves missing on one side or of another shape are skipped (the value comparison reports
    them). The tolerance adds four units in the last place of the expected result, the precision
    to which ``w' − w`` is defined.
    """
    with np.errstate(all="ignore"):
        return _compare_update(expected, got, base_expected, base_got, rtol=rtol, atol=atol, path=path, base_name=base_name)


def _compare_update(
    expected: Any,
    got: Any,
    base_expected: Any,
    base_got: Any,
    *,
    rtol: float,
    atol: float,
    path: str,
    base_name: str,
) -> Mismatch | None:
    if all(type(x) is np.ndarray for x in (expected, got, base_expected, base_got)):
        # one array each (``w'`` against ``w``): the one leaf, without walking the structures
        return _update_leaf(path, expected, got, base_expected, base_got, rtol=rtol, atol=atol, path=path, base_name=base_name)
    exp_leaves = dict(_leaves(expected, path))
    got_leaves = dict(_leaves(got, path))
    base_e = dict(_leaves(base_expected, path))
    base_g = dict(_leaves(base_got, path))
    for leaf, e in exp_leaves.items():
        if leaf not in got_leaves or leaf not in base_e or leaf not in base_g:
            continue
        mismatch = _update_leaf(
            leaf, e, got_leaves[leaf], base_e[leaf], base_g[leaf], rtol=rtol, atol=atol, path=path, base_name=base_name
        )
        if mismatch is not None:
            return mismatch
    return None


def _update_leaf(
    leaf: str, e: Any, g: Any, base_e: Any, base_g: Any, *, rtol: float, atol: float, path: str, base_name: str
) -> Mismatch | None:
    """``g − base_g`` against ``e − base_e`` for one leaf (None when they agree or cannot be compared)."""
    e_arr = np.asarray(e, dtype=np.float64)
    g_arr = np.asarray(g)
    if g_arr.dtype.kind not in "iuf":
        return None
    low_precision = g_arr.dtype.kind == "f" and g_arr.dtype.itemsize < 8
    g_arr = g_arr.astype(np.float64, copy=False)
    be = np.asarray(base_e, dtype=np.float64)
    bg = np.asarray(base_g, dtype=np.float64)
    if e_arr.shape != be.shape or g_arr.shape != bg.shape or e_arr.shape != g_arr.shape:
        return None
    d_exp = e_arr - be
    d_got = g_arr - bg
    if not (np.isfinite(d_exp).all() and np.isfinite(d_got).all()):
        return None  # NaN/inf are reported by the value comparison
    floor = 4 * _EPS64 * np.abs(e_arr)
    suffix = leaf[len(path):] if leaf.startswith(path) else ""
    label = f"update {leaf} − {base_name}{suffix if base_name != path else ''}"
    mismatch = _values(d_exp, d_got, rtol=rtol, atol=atol, path=label, floor=floor)
    if mismatch is not None and low_precision:
        mismatch = dataclasses.replace(
            mismatch, reason=mismatch.reason + f" (your array is {np.asarray(g).dtype}: compute in float64)"
        )
    return mismatch


# --------------------------------------------------------------------------- paths

_TOKEN = re.compile(r"""\[\s*(?:(-?\d+)|"([^"]*)"|'([^']*)')\s*\]""")


@functools.lru_cache(maxsize=1024)
def parse_path(path: str) -> tuple[str, tuple[int | str, ...]]:
    """``'result[0]["W1"]'`` → ``('result', (0, 'W1'))``. Raises ``ValueError`` if malformed."""
    head = path.split("[", 1)[0].strip()
    rest = path[len(path.split("[", 1)[0]) :]
    keys: list[int | str] = []
    pos = 0
    while pos < len(rest):
        m = _TOKEN.match(rest, pos)
        if m is None:
            raise ValueError(f"bad output path {path!r}")
        if m.group(1) is not None:
            keys.append(int(m.group(1)))
        else:
            keys.append(m.group(2) if m.group(2) is not None else m.group(3))
        pos = m.end()
    if not head:
        raise ValueError(f"bad output path {path!r}")
    return head, tuple(keys)


_MISSING = object()


def lookup(root: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in a mapping of outputs (or of keyword arguments); ``_MISSING`` if absent."""
    head, keys = parse_path(path)
    if head not in root:
        return _MISSING
    value = root[head]
    for key in keys:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return value


# --------------------------------------------------------------------------- cases


def _producer_kwargs(case: Mapping[str, Any], out: str) -> Mapping[str, Any] | None:
    """The keyword arguments of the (last) op that wrote output ``out``."""
    found = None
    for op in case.get("ops", ()):
        if op.get("out") == out:
            found = op.get("kwargs", {})
    return found


def compare_case(
    case: Mapping[str, Any],
    expected: Mapping[str, Any],
    got: Mapping[str, Any],
    *,
    rtol: float,
    atol: float,
    detail: bool = True,
) -> list[Mismatch]:
    """Every mismatch of one case: structure, then updates, then values (each in output order).

    ``detail=False``: the mismatches without their expected/got excerpts (``Mismatch.expected``,
    ``.got`` empty), for a caller that needs only where outputs differ (formatting the excerpts
    is most of the cost of a mismatch).

    ``case["updates"]`` maps an output path to its base: the name (or path) of a keyword argument
    of the op that produced that output (``{"result[0]": "w"}``), or ``"out:<path>"`` for another
    output of the same run (``{"after_2": "out:after_1"}``, each side against its own).
    Only one mismatch is kept per output; an update is checked only where the value's structure
    agreed. ``case["shared_scale"]`` (a sweep of one scalar function, ``sweep_case``): its scalar
    outputs are one array, so ``atol`` is relative to their largest value — a schedule that
    should reach exactly 0 may come back as 1e-34 from an equivalent formula.
    """
    token = _DETAIL.set(detail)
    try:
        with np.errstate(all="ignore"):
            return _compare_case(case, expected, got, rtol=rtol, atol=atol)
    finally:
        _DETAIL.reset(token)


def _sweep_scale(expected: Mapping[str, Any]) -> float:
    """The largest finite |value| among a case's scalar float outputs (its sweep, seen as one array)."""
    values = [abs(float(e)) for e in expected.values() if _scalar_like(e) and np.asarray(e).dtype.kind == "f"]
    finite = [v for v in values if math.isfinite(v)]
    return max(finite, default=0.0)


def _compare_case(
    case: Mapping[str, Any],
    expected: Mapping[str, Any],
    got: Mapping[str, Any],
    *,
    rtol: float,
    atol: float,
) -> list[Mismatch]:
    mismatches: list[Mismatch] = []
    update_mismatches: list[Mismatch] = []
    sweep_floor = atol * _sweep_scale(expected) if case.get("shared_scale") else 0.0
    for out, e in expected.items():
        if out not in got:
            mismatches.append(Mismatch(out, "no value (the case stopped before this output)"))
            continue
        if sweep_floor and _scalar_like(e) and np.asarray(e).dtype.kind == "f" and _is_data(got[out]):
            m = _diff_scalar(e, got[out], rtol=rtol, atol=atol, path=out, floor=sweep_floor)
        else:
            m = _compare(e, got[out], rtol=rtol, atol=atol, path=out)
        if m is not None:
            mismatches.append(m)
    for out_path, base in (case.get("updates") or {}).items():
        head, _ = parse_path(out_path)
        e_val, g_val = lookup(expected, out_path), lookup(got, out_path)
        if e_val is _MISSING or g_val is _MISSING:
            continue
        # leaves missing on one side, of another shape, or not finite are skipped by
        # compare_update: the value comparison above has reported them
        if base.startswith("out:"):
            base_path = base[4:]
            be, bg = lookup(expected, base_path), lookup(got, base_path)
            base_name = base_path
        else:
            kwargs = _producer_kwargs(case, head) or {}
            be = bg = lookup(kwargs, base)
            base_name = base
        if be is _MISSING or bg is _MISSING:
            continue
        m = _compare_update(e_val, g_val, be, bg, rtol=rtol, atol=atol, path=out_path, base_name=base_name)
        if m is not None:
            update_mismatches.append(m)
    # structure first (a missing output, a wrong length or shape); then an update's error, which
    # says more than the result's (a step 100× too small is a relative error of 1 in the update
    # but maybe 1e-3 in w'); then the values
    structural = [m for m in mismatches if m.max_abs is None]
    numeric = [m for m in mismatches if m.max_abs is not None]
    return structural + update_mismatches + numeric
