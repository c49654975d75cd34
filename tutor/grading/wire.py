"""Values across the process boundary: a JSON tree for the structure plus one binary blob of arrays.

``pack(value) -> bytes`` and ``unpack(data) -> value``. Decoding never unpickles and never calls
code named by the data: arrays are rebuilt with ``numpy.frombuffer`` from a dtype string whose kind
is one of ``b i u f c U S m M`` (no objects, no structured types), so a hostile child can send at
worst wrong numbers, which the comparison in the parent then rejects.

What survives, with its type (the comparison needs to tell them apart):

=====================  =========================================================
Python                 ``None``, ``bool``, ``int``, ``float`` (NaN/inf included), ``str``
containers             ``list``, ``tuple``, ``dict`` (keys: any of these values)
NumPy                  ``ndarray`` of a data dtype (any shape, 0-d included), NumPy scalars
                       (``np.float64(1.0)`` stays a NumPy scalar, not a Python float)
markers                ``Ref``/``Rng`` of the case programs (when ``markers`` is given)
anything else          ``Unsupported("<type name>")``: object arrays, functions, class
                       instances, complex numbers, bytes, self-containing containers, ...
=====================  =========================================================

Layout of a message: ``b"TW1\\n"``, the JSON length as 8 bytes little-endian, the JSON tree, then
the blob. Tree nodes are JSON lists whose first item is a tag: ``["N"]`` None, ``["b", true]``,
``["i", "12"]``, ``["f", "0.1"]`` (``repr``, so round trips are exact), ``["s", "text"]``,
``["l", [...]]``, ``["t", [...]]``, ``["d", [[key, value], ...]]``,
``["a", dtype, shape, offset, nbytes]`` (an array in the blob), ``["g", dtype, offset, nbytes]``
(a NumPy scalar), ``["u", type name]`` and ``["m", marker name, [fields]]``.

Only the standard library and NumPy are imported: the sandbox child loads this file by path.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import struct
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

__all__ = ["Unsupported", "WireError", "pack", "unpack", "roundtrip", "MAX_DEPTH"]

MAGIC = b"TW1\n"
MAX_DEPTH = 64
_ALLOWED_KINDS = frozenset("biufcUSmM")
_ALIGN = 16


@dataclass(frozen=True)
class Unsupported:
    """Stands for a value that is not plain data (its type name is kept for the message)."""

    type: str

    def __str__(self) -> str:
        return f"<{self.type}>"


class WireError(ValueError):
    """A message that is not a well-formed encoding (truncated, forged or too deep)."""


def pack(value: Any, *, markers: Mapping[str, type] | None = None) -> bytes:
    """Encode ``value`` as bytes (see the module docstring). Never fails on odd values: they become
    ``Unsupported``."""
    encoder = _Encoder(markers or {})
    tree = encoder.node(value, 0)
    header = json.dumps(tree, separators=(",", ":")).encode("utf-8")
    return b"".join([MAGIC, struct.pack("<Q", len(header)), header, *encoder.chunks])


def unpack(data: bytes | bytearray | memoryview, *, markers: Mapping[str, type] | None = None) -> Any:
    """Decode a message made by ``pack``; raises ``WireError`` on anything malformed."""
    view = memoryview(data)
    if len(view) < 12 or bytes(view[:4]) != MAGIC:
        raise WireError("not a wire message")
    (size,) = struct.unpack("<Q", view[4:12])
    if 12 + size > len(view):
        raise WireError("truncated wire message")
    try:
        tree = json.loads(bytes(view[12 : 12 + size]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"bad wire header: {exc}") from None
    decoder = _Decoder(view[12 + size :], markers or {})
    try:
        return decoder.node(tree, 0)
    except WireError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, RecursionError) as exc:
        raise WireError(f"bad wire message: {type(exc).__name__}: {exc}") from None


def roundtrip(value: Any, *, markers: Mapping[str, type] | None = None) -> Any:
    """``unpack(pack(value))``: the value as the parent would receive it from the sandbox
    (useful to put in-process results, e.g. the reference's, in the same form)."""
    return unpack(pack(value, markers=markers), markers=markers)


def _type_name(value: Any) -> str:
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__qualname__", None) or getattr(cls, "__name__", "object")
    if module in ("builtins", "") or not isinstance(module, str):
        return str(name)
    return f"{module}.{name}"


class _Encoder:
    def __init__(self, markers: Mapping[str, type]) -> None:
        self.markers = {cls: name for name, cls in markers.items()}
        self.chunks: list[bytes] = []
        self.offset = 0
        self.path: set[int] = set()

    def _blob(self, raw: bytes) -> int:
        offset = self.offset
        self.chunks.append(raw)
        pad = -len(raw) % _ALIGN
        if pad:
            self.chunks.append(b"\0" * pad)
        self.offset += len(raw) + pad
        return offset

    def node(self, value: Any, depth: int) -> list:
        if depth > MAX_DEPTH:
            return ["u", "too deeply nested value"]
        if value is None:
            return ["N"]
        # exact types first: a subclass may override what we are about to call
        cls = type(value)
        if cls is bool:
            return ["b", value]
        if cls is int:
            if value.bit_length() > 13000:  # about 4000 digits, Python's own str() limit is 4300
                return ["u", "int with more than 4000 digits"]
            return ["i", int.__repr__(value)]
        if cls is float:
            return ["f", float.__repr__(value)]
        if cls is str:
            return ["s", value]
        if cls is np.ndarray:
            return self.array(value)
        if isinstance(value, np.generic):
            return self.scalar(value)
        if cls in self.markers:
            fields = [self.node(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)]
            return ["m", self.markers[cls], fields]
        if cls in (list, tuple, dict):
            key = id(value)
            if key in self.path:
                return ["u", f"{cls.__name__} that contains itself"]
            self.path.add(key)
            try:
                if cls is dict:
                    items = [[self.node(k, depth + 1), self.node(v, depth + 1)] for k, v in dict.items(value)]
                    return ["d", items]
                tag = "l" if cls is list else "t"
                return [tag, [self.node(item, depth + 1) for item in value]]
            finally:
                self.path.discard(key)
        if cls is Unsupported:
            return ["u", str(value.type)]
        return ["u", _type_name(value)]

    def array(self, value: np.ndarray) -> list:
        dtype = value.dtype
        if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
            return ["u", f"numpy array of dtype {dtype}" if dtype.kind != "O" else "numpy array of objects"]
        raw = np.ascontiguousarray(value).tobytes()
        return ["a", dtype.str, list(value.shape), self._blob(raw), len(raw)]

    def scalar(self, value: np.generic) -> list:
        dtype = value.dtype
        if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
            return ["u", _type_name(value)]
        raw = np.asarray(value).tobytes()
        return ["g", dtype.str, self._blob(raw), len(raw)]


class _Decoder:
    """Rebuilds a value from a tree. Any malformed node ends in an exception that ``unpack`` turns
    into ``WireError``: a forged message can give wrong values, never run code."""

    def __init__(self, blob: memoryview, markers: Mapping[str, type]) -> None:
        self.blob = blob
        self.size = len(blob)
        self.markers = markers

    def node(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH + 1:
            raise WireError("wire message nested too deeply")
        if type(node) is not list or not node:
            raise WireError(f"bad node {node!r:.60}")
        tag = node[0]
        if tag == "a":
            _, text, shape, offset, size = node
            dtype = _dtype(text)
            if type(shape) is not list or len(shape) > 64:
                raise WireError("bad array shape")
            count = 1
            for n in shape:
                if type(n) is not int or n < 0:
                    raise WireError("bad array shape")
                count *= n
            raw = self._bytes(offset, size)
            if count * dtype.itemsize != size:
                raise WireError("array size does not match its shape")
            return np.frombuffer(raw, dtype=dtype, count=count).reshape(shape).copy()
        if tag == "f":
            return float(_str(node[1]))
        if tag == "i":
            text = _str(node[1])
            if len(text) > 4000:
                raise WireError("integer too long")
            return int(text)
        if tag == "s":
            return _str(node[1])
        if tag == "d":
            out = {}
            for key, value in node[1]:
                out[self.node(key, depth + 1)] = self.node(value, depth + 1)
            return out
        if tag == "t":
            return tuple([self.node(item, depth + 1) for item in node[1]])
        if tag == "l":
            items = node[1]
            if type(items) is not list:
                raise WireError("bad list")
            return [self.node(item, depth + 1) for item in items]
        if tag == "N":
            return None
        if tag == "b":
            if type(node[1]) is not bool:
                raise WireError("bad bool")
            return node[1]
        if tag == "g":
            _, text, offset, size = node
            dtype = _dtype(text)
            if size != dtype.itemsize:
                raise WireError("scalar size does not match its dtype")
            return np.frombuffer(self._bytes(offset, size), dtype=dtype, count=1)[0]
        if tag == "u":
            return Unsupported(_str(node[1]))
        if tag == "m":
            cls = self.markers.get(_str(node[1]))
            if cls is None:
                raise WireError(f"unknown marker {node[1]!r:.40}")
            return cls(*[self.node(item, depth + 1) for item in node[2]])
        raise WireError(f"unknown tag {tag!r:.20}")

    def _bytes(self, offset: Any, size: Any) -> memoryview:
        if type(offset) is not int or type(size) is not int or offset < 0 or size < 0 or offset + size > self.size:
            raise WireError("array data out of range")
        return self.blob[offset : offset + size]


def _str(value: Any) -> str:
    if type(value) is not str:
        raise WireError("expected a string")
    return value


@functools.lru_cache(maxsize=256)
def _dtype(text: str) -> np.dtype:
    if type(text) is not str or len(text) > 32:
        raise WireError("bad dtype")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise WireError(f"bad dtype {text!r}") from None
    if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
        raise WireError(f"dtype {text!r} is not plain data")
    return dtype
