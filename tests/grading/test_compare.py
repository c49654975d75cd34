"""The comparison rule of curriculum.md and the structure checks around it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.grading.compare import compare, compare_case, compare_update, lookup, parse_path
from tutor.grading.wire import Unsupported

R, A = 1e-6, 1e-9


def cmp(expected, got):
    return compare(expected, got, rtol=R, atol=A, path="result")


# --------------------------------------------------------------------------- values


def test_equal_arrays_pass():
    a = np.array([[1.0, -2.0, 3.0], [0.0, 5.0, 6.0]])
    assert cmp(a, a.copy()) is None


def test_rule_is_relative_to_each_value_plus_scale():
    e = np.array([1000.0, 1.0])
    # 1e-6 relative on the large value is fine; on the small one, the allowance is
    # 1e-6*1 + 1e-9*1000 = 2e-6
    assert cmp(e, e + np.array([9e-4, 1.9e-6])) is None
    m = cmp(e, e + np.array([0.0, 2.5e-6]))
    assert m is not None and m.index == (1,)
    assert m.max_abs == pytest.approx(2.5e-6, rel=1e-3)


def test_tiny_array_compared_as_strictly_as_a_large_one():
    e = np.array([1e-12, 2e-12])
    assert cmp(e, e * (1 + 1e-7)) is None
    assert cmp(e, e * 1.001) is not None
    assert cmp(e * 1e12, e * 1e12 * 1.001) is not None


def test_message_names_largest_errors_and_where():
    e = np.arange(60.0).reshape(3, 20) + 1
    g = e.copy()
    g[1, 7] += 0.5
    m = cmp(e, g)
    assert m.index == (1, 7)
    assert "1 of 60 values differ" in m.reason and "[1, 7]" in m.reason
    assert m.max_rel == pytest.approx(0.5 / e[1, 7])
    assert "row [1]" in m.expected and "28" in m.expected


def test_shape_mismatch_with_transpose_hint():
    m = cmp(np.ones((2, 3)), np.ones((3, 2)))
    assert "expected shape (2, 3), got (3, 2)" in m.reason and "transpose" in m.reason


def test_nan_and_inf_reported():
    m = cmp(np.array([1.0, 2.0, 3.0]), np.array([1.0, np.nan, 3.0]))
    assert "NaN" in m.reason and "[1]" in m.reason
    m = cmp(np.array([1.0, 2.0]), np.array([np.inf, 2.0]))
    assert "inf" in m.reason
    assert cmp(np.array([np.inf, np.nan]), np.array([np.inf, np.nan])) is None
    assert cmp(np.array([np.inf, 1.0]), np.array([-np.inf, 1.0])) is not None


def test_int_array_accepted_where_float_expected_but_not_bool_or_complex():
    assert cmp(np.array([1.0, 2.0]), np.array([1, 2])) is None
    assert "boolean" in cmp(np.array([1.0, 0.0]), np.array([True, False])).reason
    assert "complex" in cmp(np.array([1.0, 0.0]), np.array([1 + 0j, 0j])).reason


def test_float32_result_passes_on_value_but_its_update_gets_a_note():
    w = np.array([1.0, -1.0])
    e = w - np.array([1e-5, 3e-5])
    g = e.astype(np.float32)
    assert cmp(e, g) is None  # float32 is within 1e-6 of w'
    m = compare_update(e, g, w, w, rtol=R, atol=A, path="result[0]", base_name="w")
    assert m is not None and "float32" in m.reason


def test_integers_required_where_integers_expected():
    e = np.array([3, 1, 2])
    assert cmp(e, np.array([3, 1, 2], dtype=np.int32)) is None
    assert "integers" in cmp(e, np.array([3.0, 1.0, 2.0])).reason
    assert cmp(e, np.array([3, 2, 1])) is not None


def test_object_array_and_unsupported_refused():
    assert "object" in cmp(np.ones(2), np.array([1.0, "x"], dtype=object)).reason
    assert "not data" in cmp(np.ones(2), Unsupported("MyThing")).reason
    assert "MyThing" in cmp(np.ones(2), Unsupported("MyThing")).reason

    class Custom:
        pass

    assert "not data" in cmp(1.0, Custom()).reason


@pytest.mark.parametrize("got", [2.5, np.float64(2.5), np.float32(2.5), np.array(2.5), 2.5 + 1e-12])
def test_scalar_forms_all_accepted(got):
    assert cmp(2.5, got) is None


def test_scalar_mismatches():
    assert "expected a number" in cmp(2.5, np.array([2.5])).reason
    assert "bool" in cmp(1.0, True).reason
    assert cmp(2.5, 2.6).max_abs == pytest.approx(0.1)
    assert cmp(3, 3.0) is None  # an integral float where an int is expected
    assert cmp(3, np.int64(3)) is None
    assert cmp(3, 3.5) is not None
    assert cmp(3, 4) is not None


def test_tuple_and_list_are_the_same_answer():
    e = (np.ones(2), np.zeros(2))
    assert cmp(e, [np.ones(2), np.zeros(2)]) is None
    assert "expected a tuple of 2 items, got 3" in cmp(e, (np.ones(2), np.zeros(2), np.ones(2))).reason
    m = cmp(e, np.stack([np.ones(2), np.zeros(2)]))
    assert "separated by commas" in m.reason
    assert cmp(e, (np.ones(2), np.ones(2))).path == "result[1]"


def test_dict_key_sets():
    e = {"dW1": np.ones(2), "db1": np.zeros(2)}
    assert cmp(e, {"db1": np.zeros(2), "dW1": np.ones(2)}) is None
    m = cmp(e, {"dW1": np.ones(2), "db": np.zeros(2)})
    assert "missing key 'db1'" in m.reason and "unexpected key 'db'" in m.reason
    assert cmp(e, {"dW1": np.ones(2), "db1": np.ones(2)}).path == 'result["db1"]'


def test_none_and_strings():
    assert cmp(None, None) is None
    assert cmp(None, 0.0) is not None
    assert cmp(1.0, None).reason.startswith("expected a number")
    assert cmp("a", "a") is None and cmp("a", "b") is not None


@settings(deadline=None, max_examples=60)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
               elements=st.floats(-1e6, 1e6, allow_nan=False)),
    st.floats(0, 0.9e-6),
)
def test_property_within_tolerance_passes(e, frac):
    # a perturbation of at most frac*|e| (< rtol*|e|) always passes
    assert cmp(e, e * (1 + frac)) is None


@settings(deadline=None, max_examples=60)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
               elements=st.floats(-1e3, 1e3, allow_nan=False).filter(lambda x: abs(x) > 1e-3)),
    st.data(),
)
def test_property_one_value_off_by_1e_4_fails(e, data):
    i = data.draw(st.integers(0, e.size - 1))
    g = e.copy().reshape(-1)
    g[i] += 1e-4 * max(abs(g[i]), np.abs(e).max())
    m = cmp(e, g.reshape(e.shape))
    assert m is not None and m.index == tuple(int(x) for x in np.unravel_index(i, e.shape))


# --------------------------------------------------------------------------- updates


def test_update_catches_what_the_value_misses():
    w = np.array([1.0, -2.0])
    e = w - np.array([1e-9, 2e-9])
    g = w - np.array([1.3e-9, 2e-9])  # value error ~3e-10: within 1e-6 relative of w'
    assert cmp(e, g) is None
    m = compare_update(e, g, w, w, rtol=R, atol=A, path="result[0]", base_name="w")
    assert m is not None and m.path == "update result[0] − w" and m.index == (0,)


def test_update_tolerates_rounding_of_w():
    w = np.array([1.0, 3.0])
    d = np.array([1e-11, -3e-11])
    e = w - d
    g = (w - d / 2) - d / 2  # the same update done in two roundings
    assert compare_update(e, g, w, w, rtol=R, atol=A, path="r", base_name="w") is None


def test_compare_case_with_kwarg_and_output_bases():
    w = np.array([1.0, 2.0])
    case = {
        "name": "c",
        "ops": [{"op": "call", "fn": "f", "kwargs": {"w": w}, "out": "result"}],
        "updates": {"result[0]": "w"},
    }
    exp = {"result": (w - 1e-9, np.zeros(2))}
    assert compare_case(case, exp, {"result": [w - 1e-9, np.zeros(2)]}, rtol=R, atol=A) == []
    ms = compare_case(case, exp, {"result": (w - 2e-9, np.zeros(2))}, rtol=R, atol=A)
    assert [m.path for m in ms] == ["update result[0] − w"]
    # a missing output and a structure error are reported, the update then skipped
    assert compare_case(case, exp, {}, rtol=R, atol=A)[0].reason.startswith("no value")
    assert "expected a tuple" in compare_case(case, exp, {"result": w}, rtol=R, atol=A)[0].reason

    traj = {"name": "t", "ops": [], "updates": {"after step 1": "out:after step 0"}}
    p0 = {"W1": np.ones(2)}
    exp = {"after step 0": p0, "after step 1": {"W1": np.ones(2) - 1e-9}}
    got = {"after step 0": p0, "after step 1": {"W1": np.ones(2) - 1.5e-9}}
    ms = compare_case(traj, exp, got, rtol=R, atol=A)
    assert ms and ms[0].path == 'update after step 1["W1"] − after step 0["W1"]'


def test_paths():
    assert parse_path('result[0]["W1"]') == ("result", (0, "W1"))
    assert parse_path("after step 2['b1']") == ("after step 2", ("b1",))
    with pytest.raises(ValueError):
        parse_path("result[x]")
    assert lookup({"r": ({"a": 5},)}, 'r[0]["a"]') == 5
