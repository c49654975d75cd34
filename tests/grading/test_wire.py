"""The wire encoding: faithful round trips of data, markers for everything else, no unpickling."""

from __future__ import annotations

import json
import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.grading import wire
from tutor.grading.program import MARKERS, Ref, Rng
from tutor.grading.wire import Unsupported, WireError, pack, roundtrip, unpack


def same(a, b) -> bool:
    """Equal values of exactly the same types (arrays: dtype, shape and bits)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def test_types_are_kept_apart():
    value = [1, 1.0, True, np.float64(1.0), np.array(1.0), np.int64(1), np.float32(1.0), None, "1"]
    back = roundtrip(value)
    assert [type(x) for x in back] == [type(x) for x in value]
    assert same(back, value)


def test_containers_and_special_floats():
    value = {
        "W1": np.arange(6.0).reshape(2, 3),
        3: (float("nan"), float("inf"), -0.0),
        (1, "a"): [np.zeros((0, 4)), np.ones((2, 1, 3, 1), dtype=np.float32)],
        "big": 2**100,
        "text": "é\u2028",
        "bools": np.array([True, False]),
    }
    back = roundtrip(value)
    assert same(back, value)
    assert math.copysign(1.0, back[3][2]) == -1.0


def test_fortran_and_strided_arrays_come_back_equal():
    a = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    assert np.array_equal(roundtrip(a), a)
    assert np.array_equal(roundtrip(a[:, ::2]), a[:, ::2])


def test_decoded_arrays_are_writable_copies():
    back = roundtrip(np.zeros(3))
    back += 1
    assert back.tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (np.array([1, None], dtype=object), "objects"),
        (len, "builtin_function_or_method"),
        (1 + 2j, "complex"),
        (b"raw", "bytes"),
        (object(), "object"),
        (np.ma.masked_array([1.0]), "MaskedArray"),
    ],
)
def test_non_data_becomes_unsupported(value, kind):
    back = roundtrip(value)
    assert isinstance(back, Unsupported) and kind in back.type


def test_huge_int_is_unsupported_not_a_crash():
    assert roundtrip(10**3900) == 10**3900
    assert isinstance(roundtrip(10**5000), Unsupported)


def test_self_containing_list_and_deep_nesting_do_not_crash():
    a: list = [1]
    a.append(a)
    back = roundtrip(a)
    assert back[0] == 1 and isinstance(back[1], Unsupported)
    deep: list = []
    for _ in range(500):
        deep = [deep]
    assert roundtrip(deep) is not None


def test_markers_only_with_the_marker_table():
    value = {"p": Ref("params"), "rng": Rng(3)}
    assert roundtrip(value, markers=MARKERS) == value
    assert isinstance(roundtrip(value)["p"], Unsupported)


def _forge(tree, blob=b"") -> bytes:
    header = json.dumps(tree).encode()
    return wire.MAGIC + struct.pack("<Q", len(header)) + header + blob


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        _forge(["a", "|O", [1], 0, 8], b"\0" * 8),  # object dtype
        _forge(["a", "<f8", [2], 0, 8], b"\0" * 8),  # size does not match the shape
        _forge(["a", "<f8", [1], 8, 8], b"\0" * 8),  # out of range
        _forge(["a", "[('a', 'O')]", [1], 0, 8], b"\0" * 8),
        _forge(["m", "Ref", [["s", "x"]]]),  # a marker without the table
        _forge(["d", [[["l", []], ["N"]]]]),  # unhashable key
        _forge(["zz"]),
        _forge(["i", "1" * 10000]),
        wire.MAGIC + struct.pack("<Q", 10**9) + b"{}",
    ],
)
def test_malformed_messages_raise_wire_error(data):
    with pytest.raises(WireError):
        unpack(data)


def test_unpack_never_unpickles():
    # a pickle payload is not a wire message at all
    import pickle

    with pytest.raises(WireError):
        unpack(pickle.dumps({"a": 1}))


@settings(deadline=None, max_examples=60)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.uint16, np.bool_, np.complex128]),
        shape=hnp.array_shapes(min_dims=0, max_dims=4, max_side=4),
    )
)
def test_any_plain_array_round_trips_bit_for_bit(array):
    back = roundtrip({"x": array, "t": (array,)})
    assert same(back["x"], array) and same(back["t"][0], array)


@settings(deadline=None, max_examples=60)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=5),
        lambda children: st.lists(children, max_size=3)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=3), children, max_size=3),
        max_leaves=12,
    )
)
def test_any_plain_python_value_round_trips(value):
    assert same(roundtrip(value), value)


def test_pack_output_is_bytes():
    assert isinstance(pack({"a": np.zeros(2)}), bytes)
