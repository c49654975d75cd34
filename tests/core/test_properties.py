"""Property tests: any valid shape, float64 in and out, no input mutated, classes equal functions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.core import (
    Dropout,
    dropconnect_forward,
    dropout_backward,
    dropout_forward,
    elastic_net_cost,
    elastic_net_grads,
    l1_cost,
    l1_grads,
    l2_cost,
    l2_grads,
    make_minibatches,
    make_optimizer,
    spatial_dropout_forward,
)
from tutor.core import optimizers as O

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# 1-D, 2-D (square or not) and 4-D shapes, a few elements each
SHAPES = st.one_of(
    hnp.array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=9),
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
    hnp.array_shapes(min_dims=4, max_dims=4, min_side=1, max_side=3),
)
FLOATS = st.floats(-100, 100, allow_nan=False, allow_infinity=False, width=64)
POSITIVE = st.floats(0, 100, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def same_shape_arrays(draw, n_signed: int, n_nonneg: int = 0):
    shape = draw(SHAPES)
    signed = [draw(hnp.arrays(np.float64, shape, elements=FLOATS)) for _ in range(n_signed)]
    nonneg = [draw(hnp.arrays(np.float64, shape, elements=POSITIVE)) for _ in range(n_nonneg)]
    return signed + nonneg


def call_unmutated(fn, *args, **kwargs):
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    out = fn(*args, **kwargs)
    for a, c in zip(args, copies):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, c, err_msg=f"{fn.__name__} mutated an input")
    return out


def check_outputs(outs, shape):
    for o in outs:
        assert isinstance(o, np.ndarray) and o.dtype == np.float64 and o.shape == shape


UPDATES = [
    # (function, number of signed arrays (w, dw, v), number of non-negative state arrays, uses t)
    (O.momentum_update, 3, 0, False),
    (O.nesterov_update, 3, 0, False),
    (O.adagrad_update, 2, 1, False),
    (O.rmsprop_update, 2, 1, False),
]
T_UPDATES = [O.adam_update, O.adamax_update, O.nadam_update, O.adamw_update]


@pytest.mark.parametrize("fn, n_signed, n_nonneg, _", UPDATES, ids=lambda x: getattr(x, "__name__", ""))
@SETTINGS
@given(data=st.data(), lr=st.floats(1e-4, 1.0))
def test_updates_any_shape_no_mutation(fn, n_signed, n_nonneg, _, data, lr):
    arrays = data.draw(same_shape_arrays(n_signed, n_nonneg))
    outs = call_unmutated(fn, *arrays, lr)
    check_outputs(outs, arrays[0].shape)
    assert not any(np.shares_memory(o, a) for o in outs for a in arrays)


@pytest.mark.parametrize("fn", T_UPDATES, ids=lambda f: f.__name__)
@SETTINGS
@given(data=st.data(), t=st.integers(1, 50), beta1=st.floats(0, 0.99), beta2=st.floats(0, 0.999))
def test_adam_family_any_shape_no_mutation(fn, data, t, beta1, beta2):
    w, dw, v, s = data.draw(same_shape_arrays(3, 1))
    outs = call_unmutated(fn, w, dw, v, s, t, lr=0.01, beta1=beta1, beta2=beta2)
    check_outputs(outs, w.shape)
    assert np.all(np.isfinite(outs[0]))


@SETTINGS
@given(data=st.data(), t=st.integers(1, 20))
def test_momentum_bc_any_shape(data, t):
    w, dw, v = data.draw(same_shape_arrays(3))
    check_outputs(call_unmutated(O.momentum_bc_update, w, dw, v, t, 0.1), w.shape)


NAMES = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "nadam", "adamw"]


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data(), steps=st.integers(1, 4))
def test_class_steps_equal_functions(name, data, steps):
    """Any shapes, several steps: the in-place class equals the readable function."""
    shape_w = data.draw(SHAPES)
    shape_b = data.draw(hnp.array_shapes(min_dims=1, max_dims=1, max_side=5))
    params0 = {"W1": data.draw(hnp.arrays(np.float64, shape_w, elements=FLOATS)),
               "b1": data.draw(hnp.arrays(np.float64, shape_b, elements=FLOATS))}
    grads = [{"d" + k: data.draw(hnp.arrays(np.float64, v.shape, elements=FLOATS)) for k, v in params0.items()}
             for _ in range(steps)]
    opt = make_optimizer(name, lr=0.01)
    params = {k: v.copy() for k, v in params0.items()}
    ref = {k: v.copy() for k, v in params0.items()}
    state = {k: [np.zeros_like(v), np.zeros_like(v)] for k, v in params0.items()}
    for t, g in enumerate(grads, start=1):
        g_copy = {k: v.copy() for k, v in g.items()}
        opt.step(params, g)
        for k in g:
            np.testing.assert_array_equal(g[k], g_copy[k])
        for k in ref:
            dw = g["d" + k]
            if name == "sgd":
                ref[k] = O.sgd_update(ref[k], dw, 0.01)
                continue
            if name in ("momentum", "nesterov"):
                r = getattr(O, f"{name}_update")(ref[k], dw, state[k][0], 0.01)
            elif name in ("adagrad", "rmsprop"):
                r = getattr(O, f"{name}_update")(ref[k], dw, state[k][0], 0.01)
            elif name == "adamw":
                r = O.adamw_update(ref[k], dw, *state[k], t, lr=0.01, wd=0.01 if k.startswith("W") else 0.0)
            else:
                r = getattr(O, f"{name}_update")(ref[k], dw, *state[k], t, lr=0.01)
            ref[k] = r[0]
            state[k] = list(r[1:]) + state[k][len(r) - 1:]
    assert opt.t == steps
    for k in ref:
        assert params[k].dtype == np.float64 and params[k].shape == ref[k].shape
        scale = max(1.0, float(np.max(np.abs(ref[k]))))
        np.testing.assert_allclose(params[k], ref[k], rtol=1e-12, atol=1e-13 * scale)


@SETTINGS
@given(data=st.data(), keep_prob=st.floats(0.05, 1.0), seed=st.integers(0, 2**32 - 1))
def test_dropout_any_shape(data, keep_prob, seed):
    (A,) = data.draw(same_shape_arrays(1))
    out, mask = call_unmutated(dropout_forward, A, keep_prob, np.random.default_rng(seed))
    check_outputs((out, mask), A.shape)
    assert set(np.unique(mask)) <= {0.0, 1.0 / keep_prob}
    np.testing.assert_array_equal(mask, (np.random.default_rng(seed).random(A.shape) < keep_prob) / keep_prob)
    dA = A + 1
    check_outputs((call_unmutated(dropout_backward, dA, mask),), A.shape)
    layer = Dropout(keep_prob)
    np.testing.assert_array_equal(call_unmutated(layer.forward, A, np.random.default_rng(seed)), out)
    np.testing.assert_array_equal(layer.backward(dA), dA * mask)


@SETTINGS
@given(m=st.integers(1, 6), n_in=st.integers(1, 5), n_out=st.integers(1, 5), keep_prob=st.floats(0.1, 1.0))
def test_dropconnect_any_shape(m, n_in, n_out, keep_prob):
    rng = np.random.default_rng(m * 100 + n_in * 10 + n_out)
    A_prev, W, b = rng.normal(size=(m, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
    Z, mask = call_unmutated(dropconnect_forward, A_prev, W, b, keep_prob, np.random.default_rng(0))
    assert Z.shape == (m, n_out) and mask.shape == W.shape and Z.dtype == np.float64


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=4, max_dims=4, max_side=4), keep_prob=st.floats(0.1, 1.0))
def test_spatial_dropout_any_shape(shape, keep_prob):
    A = np.random.default_rng(0).normal(size=shape)
    out, mask = call_unmutated(spatial_dropout_forward, A, keep_prob, np.random.default_rng(1))
    assert out.shape == shape and mask.shape == (shape[0], shape[1], 1, 1) and out.dtype == np.float64


@SETTINGS
@given(data=st.data(), lambd1=st.floats(0, 10), lambd2=st.floats(0, 10), m=st.integers(1, 100))
def test_penalties_any_shapes_no_mutation(data, lambd1, lambd2, m):
    params = {"W1": data.draw(hnp.arrays(np.float64, data.draw(SHAPES), elements=FLOATS)),
              "b1": data.draw(hnp.arrays(np.float64, data.draw(SHAPES), elements=FLOATS)),
              "W2": data.draw(hnp.arrays(np.float64, data.draw(SHAPES), elements=FLOATS))}
    grads = {"d" + k: data.draw(hnp.arrays(np.float64, v.shape, elements=FLOATS)) for k, v in params.items()}
    p0 = {k: v.copy() for k, v in params.items()}
    g0 = {k: v.copy() for k, v in grads.items()}
    for cost in (l2_cost(params, lambd2, m), l1_cost(params, lambd1, m), elastic_net_cost(params, lambd1, lambd2, m)):
        assert type(cost) is float and cost >= 0
    assert elastic_net_cost(params, lambd1, lambd2, m) == pytest.approx(
        l1_cost(params, lambd1, m) + l2_cost(params, lambd2, m), rel=1e-12, abs=1e-300)
    for out in (l2_grads(grads, params, lambd2, m), l1_grads(grads, params, lambd1, m),
                elastic_net_grads(grads, params, lambd1, lambd2, m)):
        assert set(out) == set(grads)
        for k, v in out.items():
            assert v.dtype == np.float64 and v.shape == grads[k].shape
        np.testing.assert_array_equal(out["db1"], grads["db1"])
    for k in params:
        np.testing.assert_array_equal(params[k], p0[k])
        np.testing.assert_array_equal(grads["d" + k], g0["d" + k])


@SETTINGS
@given(m=st.integers(1, 30), n=st.integers(1, 4), batch_size=st.integers(1, 40), seed=st.integers(0, 1000))
def test_minibatches_cover_every_example_once(m, n, batch_size, seed):
    X = np.arange(m * n, dtype=np.float64).reshape(m, n)
    Y = np.arange(m, dtype=np.float64)
    batches = make_minibatches(X, Y, batch_size, np.random.default_rng(seed))
    sizes = [len(xb) for xb, _ in batches]
    assert all(s == batch_size for s in sizes[:-1]) and 1 <= sizes[-1] <= batch_size
    assert sum(sizes) == m
    np.testing.assert_array_equal(np.sort(np.concatenate([yb for _, yb in batches])), Y)
    for xb, yb in batches:
        assert xb.dtype == np.float64
        np.testing.assert_array_equal(xb[:, 0], yb * n)
