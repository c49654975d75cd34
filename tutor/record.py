"""``Record``: a frozen value class that behaves like ``@dataclass(frozen=True)``, built without
generating code.

``@dataclass`` writes ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and
``__delattr__`` as source text and compiles each with ``exec``: about 1 ms per frozen class. The
twenty value classes ``tutor start`` imports before its first screen (the course model, the
progress store's rows, the outline's step references) cost ~20 ms that way, a sixth of the app's
start-up over a bare Textual app (docs/performance.md). A record's methods are written once, here,
and read the field list the class records when it is defined.

    class Source(Record):
        path: Path
        line: int = 1
        tags: tuple[str, ...] = ()
        extra: dict = field(default_factory=dict)

Like a frozen dataclass: fields in annotation order (a base record's first), positional or keyword
arguments, defaults, ``field(default_factory=...)``, ``__post_init__``, equality and hashing by
type and field values, a ``Name(a=1, b=2)`` repr, ``FrozenInstanceError`` on assignment, pickling.
``replace(record, **changes)`` and ``fields(record)`` stand in for ``dataclasses.replace`` and
``dataclasses.fields`` (names only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:  # the decorator only informs type checkers; typing has it from Python 3.11
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_kwargs: Any) -> Callable[[Any], Any]:
        """A no-op at run time (``typing.dataclass_transform`` is 3.11+, and it only sets an attribute)."""
        return lambda cls: cls

__all__ = ["FrozenInstanceError", "Record", "field", "fields", "replace"]

_MISSING: Any = object()
R = TypeVar("R", bound="Record")


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A default made fresh for each record (``field(default_factory=dict)``)."""
    return _Factory(default_factory)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class Record:
    """Base class of a frozen value class; see the module docstring."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = list(cls._fields)
        defaults = dict(cls._defaults)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            if name not in names:
                names.append(name)
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
                if isinstance(defaults[name], _Factory):
                    delattr(cls, name)
            elif name in defaults:
                del defaults[name]  # re-declared without a default
            if name not in defaults and any(n in defaults for n in names[: names.index(name)]):
                raise TypeError(f"non-default field {name!r} follows a field with a default in {cls.__name__}")
        cls._fields = tuple(names)
        cls._defaults = defaults
        cls.__match_args__ = cls._fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        names = cls._fields
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} positional arguments but {len(args)} were given")
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")
            if name in values:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
            values[name] = value
        state = self.__dict__
        for name in names:
            if name in values:
                state[name] = values[name]
                continue
            default = cls._defaults.get(name, _MISSING)
            if default is _MISSING:
                raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            state[name] = default.make() if isinstance(default, _Factory) else default
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def _values(self) -> tuple[Any, ...]:
        state = self.__dict__
        return tuple(state[name] for name in self._fields)

    def __repr__(self) -> str:
        state = self.__dict__
        inner = ", ".join(f"{name}={state[name]!r}" for name in self._fields)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def fields(record: Record | type[Record]) -> tuple[str, ...]:
    """The field names of a record (or record class), in order."""
    return record._fields


def replace(record: R, **changes: Any) -> R:
    """A copy of ``record`` with ``changes`` (``dataclasses.replace`` for records)."""
    values = {name: getattr(record, name) for name in record._fields}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(record)(**values)
