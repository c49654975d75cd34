"""``tutor.record.Record`` behaves as ``@dataclass(frozen=True)`` does: each test holds a record
class against its frozen-dataclass twin."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.record import FrozenInstanceError, Record, field, fields, replace


class Point(Record):
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class PointDC:
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()
    meta: dict = dataclasses.field(default_factory=dict)


class Other(Record):
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)


class Tag(Record):
    name: str
    rank: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class TagDC:
    name: str
    rank: tuple[int, ...] = ()


def twins(*args, **kwargs):
    return Point(*args, **kwargs), PointDC(*args, **kwargs)


def test_arguments_defaults_and_fresh_factories():
    r, d = twins(1)
    assert (r.x, r.label, r.tags, r.meta) == (d.x, d.label, d.tags, d.meta) == (1, "p", (), {})
    r, d = twins(2, "q", tags=("a",))
    assert (r.x, r.label, r.tags) == (d.x, d.label, d.tags) == (2, "q", ("a",))
    assert Point(1).meta is not Point(1).meta
    assert fields(Point) == fields(Point(1)) == tuple(f.name for f in dataclasses.fields(PointDC))
    assert Point.__match_args__ == PointDC.__match_args__
    assert "meta" not in Point.__dict__  # a factory is not left as a shared class attribute


@pytest.mark.parametrize(
    "args, kwargs",
    [((), {}), ((1, "a", (), {}, 5), {}), ((1,), {"x": 2}), ((1,), {"nope": 2}), ((), {"label": "a"})],
)
def test_wrong_arguments_raise_type_error_like_a_dataclass(args, kwargs):
    with pytest.raises(TypeError):
        PointDC(*args, **kwargs)
    with pytest.raises(TypeError):
        Point(*args, **kwargs)


def test_frozen():
    r = Point(1)
    with pytest.raises(FrozenInstanceError):
        r.x = 2
    with pytest.raises(FrozenInstanceError):
        del r.x
    with pytest.raises(FrozenInstanceError):
        r.new = 1
    assert issubclass(FrozenInstanceError, AttributeError)


def test_equality_is_by_type_and_values():
    assert Point(1, "a") == Point(1, "a")
    assert Point(1, "a") != Point(1, "b")
    assert Point(1) != Other(1)  # same fields, another type: as dataclasses
    assert PointDC(1) != Point(1)
    assert hash(Tag("a", (1,))) == hash(Tag("a", (1,))) == hash(TagDC("a", (1,)))
    with pytest.raises(TypeError):  # a dict field makes the value unhashable, as for dataclasses
        hash(Point(1, meta={"k": 1}))
    with pytest.raises(TypeError):
        hash(PointDC(1, meta={"k": 1}))


@given(
    x=st.integers(),
    label=st.text(max_size=8),
    tags=st.lists(st.text(max_size=3), max_size=3).map(tuple),
    other=st.integers(),
)
def test_repr_eq_and_hash_agree_with_the_dataclass(x, label, tags, other):
    r, d = twins(x, label, tags)
    assert repr(r) == repr(d).replace("PointDC(", "Point(")
    assert (r == Point(other, label, tags)) == (d == PointDC(other, label, tags))
    assert hash(Tag(label, (x,))) == hash(TagDC(label, (x,)))  # both hash the tuple of values
    assert repr(Tag(label, (x, other))) == repr(TagDC(label, (x, other))).replace("TagDC(", "Tag(")


def test_pickle_and_copy_keep_the_value():
    r = Point(3, "z", ("a", "b"), {"k": [1, 2]})
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(r, protocol=protocol))
        assert back == r and type(back) is Point
    assert copy.deepcopy(r) == r and copy.copy(r) == r


def test_replace():
    r = Point(1, "a", ("t",))
    s = replace(r, label="b")
    assert s == Point(1, "b", ("t",)) and r.label == "a"
    with pytest.raises(TypeError, match="nope"):
        replace(r, nope=1)


def test_inheritance_post_init_and_field_order_errors():
    class Base(Record):
        a: int
        b: int = 2

    class Child(Base):
        c: int = 3
        b: int = 5  # a new default; the field keeps its place

    seen = []

    class Checked(Record):
        n: int

        def __post_init__(self) -> None:
            seen.append(self.n)
            if self.n < 0:
                raise ValueError("negative")

    assert fields(Child) == ("a", "b", "c")
    assert Child(1) == Child(1, 5, 3)
    assert repr(Child(1)).endswith("Child(a=1, b=5, c=3)")
    Checked(4)
    assert seen == [4]
    with pytest.raises(ValueError):
        Checked(-1)
    with pytest.raises(TypeError, match="non-default"):

        class Bad(Record):
            a: int = 1
            b: int
