"""The course model as JSON data, and back: a format that cannot run code.

Caches keep loaded courses and exercises (the app's course cache, ``tutor check``'s exercise
cache). A pickle would run whatever code a planted file names; this format can only name the
record classes of :mod:`tutor.course.model`, and :func:`from_data` builds nothing else.

Encoding (every Python dict is wrapped, so a tagged object is never confused with data)::

    Record      {"@r": "Exercise", "f": {field: value, ...}}
    tuple       {"@t": [...]}
    Path        {"@p": "/abs/path"}
    dict        {"@d": {key: value}}       (string keys only)
    list, str, int, float, bool, None      as themselves

:data:`SHAPE` (a hash of every record class and its fields) belongs in a cache's key, so a
model that gained a field never reads an old entry.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tutor.course import model
from tutor.record import Record

CLASSES: dict[str, type[Record]] = {
    name: cls
    for name, cls in vars(model).items()
    if isinstance(cls, type) and issubclass(cls, Record) and cls is not Record and cls.__module__ == model.__name__
}

_FIELDS = {cls: frozenset(cls._fields) for cls in CLASSES.values()}
_POST_INIT = {cls for cls in CLASSES.values() if hasattr(cls, "__post_init__")}

SHAPE = hashlib.sha256(
    "|".join(f"{name}:{','.join(cls._fields)}" for name, cls in sorted(CLASSES.items())).encode()
).hexdigest()[:16]


class SerialError(ValueError):
    """The data is not a model this module wrote (or the value cannot be written)."""


def to_data(value: Any) -> Any:
    """JSON-able data for a model value (records, tuples, paths, dicts of str, lists, scalars)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Record):
        name = type(value).__name__
        if CLASSES.get(name) is not type(value):
            raise SerialError(f"not a course model record: {type(value).__qualname__}")
        return {"@r": name, "f": {k: to_data(getattr(value, k)) for k in value._fields}}
    if isinstance(value, tuple):
        return {"@t": [to_data(v) for v in value]}
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, Path):
        return {"@p": str(value)}
    if isinstance(value, dict) or hasattr(value, "items"):
        items = dict(value.items())
        if not all(isinstance(k, str) for k in items):
            raise SerialError("a mapping with keys that are not strings")
        return {"@d": {k: to_data(v) for k, v in items.items()}}
    raise SerialError(f"cannot write a {type(value).__name__}")


def from_data(data: Any) -> Any:
    """The model value :func:`to_data` wrote; :class:`SerialError` for anything else."""
    if data is None or isinstance(data, (str, bool, int, float)):
        return data
    if isinstance(data, list):
        return [from_data(v) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise SerialError("unexpected data")
    if "@t" in data:
        return tuple(from_data(v) for v in _list(data["@t"]))
    if "@p" in data:
        if not isinstance(data["@p"], str):
            raise SerialError("a path that is not a string")
        return Path(data["@p"])
    if "@d" in data:
        inner = data["@d"]
        if not isinstance(inner, dict):
            raise SerialError("a mapping that is not a mapping")
        return {str(k): from_data(v) for k, v in inner.items()}
    if "@r" in data and isinstance(data.get("f"), dict):
        cls = CLASSES.get(data["@r"])
        if cls is None:
            raise SerialError(f"unknown record {data['@r']!r}")
        fields = data["f"]
        if set(fields) != set(cls._fields):
            raise SerialError(f"{data['@r']} with other fields than the model's")
        try:
            return cls(**{k: from_data(v) for k, v in fields.items()})
        except TypeError as exc:
            raise SerialError(str(exc)) from None
    raise SerialError("unexpected data")


def _make_hook() -> Any:
    """The ``object_hook`` for one :func:`loads` call (paths are shared: a course has ~300 Sources
    in ~50 files)."""
    paths: dict[str, Path] = {}
    classes, fields_of, post_init = CLASSES, _FIELDS, _POST_INIT
    new = object.__new__

    def hook(obj: dict[str, Any]) -> Any:
        """Called for every JSON object, innermost first."""
        name = obj.get("@r")
        if name is not None:
            cls = classes.get(name)
            fields = obj.get("f")
            if cls is None or len(obj) != 2 or not isinstance(fields, dict) or fields.keys() != fields_of[cls]:
                raise SerialError(f"not a record of the course model: {name!r}")
            if cls in post_init:
                return cls(**fields)
            record = new(cls)  # the fields were checked above: what __init__ would store
            record.__dict__.update(fields)
            return record
        if len(obj) == 1:
            if "@t" in obj:
                return tuple(_list(obj["@t"]))
            if "@p" in obj:
                text = obj["@p"]
                if not isinstance(text, str):
                    raise SerialError("a path that is not a string")
                path = paths.get(text)
                if path is None:
                    path = paths[text] = Path(text)
                return path
            if "@d" in obj:
                inner = obj["@d"]
                if not isinstance(inner, dict):
                    raise SerialError("a mapping that is not a mapping")
                return inner
        return obj  # a record's fields or a wrapped mapping's content (checked by the caller)

    return hook


def dumps(value: Any) -> str:
    """:func:`to_data` as JSON text."""
    import json

    return json.dumps(to_data(value), separators=(",", ":"), allow_nan=True)


def loads(text: str | bytes) -> Any:
    """The model value in JSON text written by :func:`dumps` (one pass, no recursion in Python).

    Raises :class:`SerialError` (or ``ValueError`` for text that is not JSON)."""
    import json

    return json.loads(text, object_hook=_make_hook())


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise SerialError("a tuple that is not a list")
    return value
