"""The MLP: shapes, parameters, train/eval modes, dropout, penalties, validation, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.core.dropout import dropout_forward
from tutor.core.model import MLP, DropConnectDense, SpatialDropout
from tutor.core.regularization import elastic_net_cost, elastic_net_grads, l1_grads, l2_cost, l2_grads


def _model(**kw):
    kw.setdefault("rng", np.random.default_rng(0))
    return MLP([3, 5, 4, 2], **kw)


def test_parameter_names_shapes_and_layout():
    m = _model()
    assert sorted(m.params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert m.params["W1"].shape == (3, 5) and m.params["b1"].shape == (5,)
    assert m.params["W3"].shape == (4, 2) and m.params["b3"].shape == (2,)
    assert m.n_params == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2
    assert m.n_weights == 3 * 5 + 5 * 4 + 4 * 2
    # the params are views into theta: weights first, then biases
    m.theta[0] = 42.0
    assert m.params["W1"][0, 0] == 42.0
    assert np.all(m.params["b1"] == 0.0)


def test_initialization_is_seeded_he_for_relu_xavier_otherwise():
    a = MLP([200, 300, 1], rng=np.random.default_rng(1))
    b = MLP([200, 300, 1], rng=np.random.default_rng(1))
    assert np.array_equal(a.theta, b.theta)
    assert a.params["W1"].std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)
    assert a.params["W2"].std() == pytest.approx(np.sqrt(1 / 300), rel=0.2)
    t = MLP([200, 300, 1], rng=np.random.default_rng(1), activation="tanh")
    assert t.params["W1"].std() == pytest.approx(np.sqrt(1 / 200), rel=0.05)
    assert np.all(MLP([2, 3, 1]).theta == 0.0)


def test_forward_shapes_and_outputs():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((7, 3))
    A, cache = _model(output="softmax", loss="cross_entropy").forward(X)
    assert A.shape == (7, 2)
    np.testing.assert_allclose(A.sum(axis=1), 1.0)
    A, _ = _model(output="sigmoid").forward(X)
    assert np.all((A > 0) & (A < 1))
    assert len(cache) == 4


def test_set_and_get_params_copy():
    m = _model()
    p = m.get_params()
    p["W1"][...] = 7.0
    assert not np.any(m.params["W1"] == 7.0)
    m.set_params(p)
    assert np.all(m.params["W1"] == 7.0)
    with pytest.raises(ValueError, match="W2"):
        m.set_params({"W1": p["W1"]})
    with pytest.raises(ValueError, match="shape"):
        m.set_params({**p, "W1": np.ones((2, 2))})


def test_rebound_params_are_synced():
    m = _model()
    new = np.full((3, 5), 0.5)
    m.params["W1"] = new
    X = np.ones((2, 3))
    A1 = m.predict(X)
    m.sync_params()
    assert np.all(m.theta[:15] == 0.5)
    np.testing.assert_allclose(m.predict(X), A1)


def test_loss_values():
    m = MLP([1, 1])
    m.set_params({"W1": np.array([[2.0]]), "b1": np.array([1.0])})
    X = np.array([[1.0], [0.0]])
    Y = np.array([[0.0], [0.0]])
    assert m.loss(X, Y) == pytest.approx((9 + 1) / (2 * 2))
    c = MLP([1, 1], output="sigmoid", loss="cross_entropy")
    c.set_params({"W1": np.array([[0.0]]), "b1": np.array([0.0])})
    assert c.loss(X, np.array([[1.0], [0.0]])) == pytest.approx(np.log(2))
    # extreme logits stay finite
    c.set_params({"W1": np.array([[1e4]]), "b1": np.array([0.0])})
    assert np.isfinite(c.loss(np.array([[1.0], [-1.0]]), np.array([[0.0], [1.0]])))


def test_penalties_use_the_regularization_functions():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    base = _model()
    data_loss, data_grads = base.loss_and_grads(X, Y, training=False)
    p = base.params
    l2 = MLP([3, 5, 4, 2], params=p, penalty="l2", lambd=0.7)
    J, g = l2.loss_and_grads(X, Y, training=False)
    assert J == pytest.approx(data_loss + l2_cost(p, 0.7, 6))
    want = l2_grads(data_grads, p, 0.7, 6)
    for k in want:
        np.testing.assert_allclose(g[k], want[k], rtol=1e-12, atol=1e-15)
    en = MLP([3, 5, 4, 2], params=p, penalty="elastic_net", lambd1=0.2, lambd2=0.5)
    J, g = en.loss_and_grads(X, Y, training=False)
    assert J == pytest.approx(data_loss + elastic_net_cost(p, 0.2, 0.5, 6))
    want = elastic_net_grads(data_grads, p, 0.2, 0.5, 6)
    for k in want:
        np.testing.assert_allclose(g[k], want[k], rtol=1e-12, atol=1e-15)
    l1 = MLP([3, 5, 4, 2], params=p, penalty="l1", lambd=0.3)
    _, g = l1.loss_and_grads(X, Y, training=False)
    want = l1_grads(data_grads, p, 0.3, 6)
    np.testing.assert_allclose(g["dW2"], want["dW2"])
    np.testing.assert_array_equal(g["db2"], data_grads["db2"])  # biases never regularized
    assert base.loss(X, Y) == l2.loss(X, Y, penalty=False)


def test_dropout_masks_follow_the_contract_and_eval_mode_draws_nothing():
    m = _model(keep_probs=(0.5, 0.8))
    X = np.random.default_rng(4).standard_normal((9, 3))
    rng = np.random.default_rng(99)
    A_eval = m.predict(X)
    state = rng.bit_generator.state
    m.forward(X, training=False, rng=rng)
    assert rng.bit_generator.state == state
    _, cache = m.forward(X, training=True, rng=np.random.default_rng(99))
    # the first hidden layer's mask is dropout_forward's on the same stream
    ref = np.random.default_rng(99)
    _, mask1 = dropout_forward(cache[1][1], 0.5, ref)
    np.testing.assert_array_equal(cache[1][3], mask1)
    assert set(np.unique(cache[1][3])) <= {0.0, 2.0}
    assert set(np.unique(cache[2][3])) <= {0.0, 1.25}
    assert cache[3][3] is None  # never on the output
    np.testing.assert_array_equal(m.predict(X), A_eval)
    with pytest.raises(ValueError, match="rng"):
        m.forward(X, training=True)


def test_dropout_statistics():
    m = MLP([50, 2000, 1], rng=np.random.default_rng(5), activation="linear", keep_probs=0.3)
    X = np.random.default_rng(6).standard_normal((40, 50))
    _, cache = m.forward(X, training=True, rng=np.random.default_rng(7))
    mask = cache[1][3]
    kept = np.mean(mask > 0)
    sd = np.sqrt(0.3 * 0.7 / mask.size)
    assert abs(kept - 0.3) < 4 * sd
    assert abs(mask.mean() - 1.0) < 4 * sd / 0.3


def test_groups_step_equals_per_layer_step():
    """An elementwise optimizer on the two flat groups does exactly what it does per layer."""
    from tutor.core.optimizers import make_optimizer

    rng = np.random.default_rng(8)
    X, Y = rng.standard_normal((10, 3)), rng.standard_normal((10, 2))
    for name, hp in (("adam", {"lr": 0.01}), ("adamw", {"lr": 0.01, "wd": 0.3}), ("sgd", {"lr": 0.1, "weight_decay": 0.2})):
        a, b = _model(), _model()
        oa, ob = make_optimizer(name, **hp), make_optimizer(name, **hp)
        for _ in range(5):
            _, g = a.loss_and_flat_grad(X, Y)
            oa.step(a.groups(), a.split_grad(g))
            _, grads = b.loss_and_grads(X, Y)
            ob.step(b.params, grads)
            b.sync_params()
        np.testing.assert_allclose(a.theta, b.theta, rtol=1e-13, atol=1e-15)


def test_copy_is_independent():
    m = _model()
    c = m.copy()
    c.theta[:] = 0.0
    assert np.any(m.theta != 0.0)
    assert c.params["W1"].base is not None and np.all(c.params["W1"] == 0.0)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"sizes": [3]}, "sizes"),
        ({"sizes": "3,1"}, "sizes"),
        ({"sizes": [3, 0, 1]}, r"sizes\[1\]"),
        ({"activation": "gelu"}, "activation"),
        ({"activation": ["relu"]}, "activation"),
        ({"output": "swish"}, "output"),
        ({"loss": "hinge"}, "loss"),
        ({"loss": "cross_entropy", "output": "linear"}, "output"),
        ({"penalty": "l3"}, "penalty"),
        ({"lambd": -1.0}, "lambd"),
        ({"keep_probs": 0.0}, "keep_prob"),
        ({"keep_probs": 1.5}, "keep_prob"),
        ({"keep_probs": [0.5]}, "keep_probs"),
        ({"dropout": "zoneout"}, "dropout"),
        ({"rng": 3}, "rng"),
    ],
)
def test_bad_settings(kwargs, match):
    kwargs = {"sizes": [3, 4, 4, 1], **kwargs}
    sizes = kwargs.pop("sizes")
    with pytest.raises(ValueError, match=match):
        MLP(sizes, **kwargs)


def test_bad_data():
    m = _model()
    with pytest.raises(ValueError, match="X"):
        m.predict(np.ones((4, 2)))
    with pytest.raises(ValueError, match="Y"):
        m.loss(np.ones((4, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="X"):
        m.loss(np.ones(3), np.ones((1, 2)))
    with pytest.raises(ValueError, match="accuracy"):
        m.accuracy(np.ones((4, 3)), np.ones((4, 2)))


def test_accuracy():
    c = MLP([1, 1], output="sigmoid", loss="cross_entropy")
    c.set_params({"W1": np.array([[1.0]]), "b1": np.array([0.0])})
    X = np.array([[1.0], [-1.0], [2.0], [-2.0]])
    assert c.accuracy(X, np.array([[1.0], [0.0], [0.0], [0.0]])) == 0.75


def test_dropconnect_and_spatial_layers():
    rng = np.random.default_rng(10)
    A, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)
    layer = DropConnectDense(0.5)
    Z = layer.forward(A, W, b, np.random.default_rng(1))
    mask = (np.random.default_rng(1).random(W.shape) < 0.5) / 0.5
    np.testing.assert_allclose(Z, A @ (W * mask) + b)
    dZ = rng.standard_normal((4, 2))
    dA, dW, db = layer.backward(dZ)
    np.testing.assert_allclose(dW, (A.T @ dZ) * mask)
    np.testing.assert_allclose(dA, dZ @ (W * mask).T)
    np.testing.assert_allclose(db, dZ.sum(axis=0))
    np.testing.assert_allclose(layer.forward(A, W, b, None, training=False), A @ W + b)
    sd = SpatialDropout(0.5)
    F = rng.standard_normal((2, 3, 4, 4))
    out = sd.forward(F, np.random.default_rng(2))
    assert out.shape == F.shape
    per_channel = out.reshape(2, 3, -1)
    for i in range(2):
        for c in range(3):
            assert np.all(per_channel[i, c] == 0) or np.allclose(per_channel[i, c], 2 * F[i, c].ravel())
    np.testing.assert_allclose(sd.backward(np.ones_like(F)), np.broadcast_to(sd.mask, F.shape))
    np.testing.assert_array_equal(sd.forward(F, None, training=False), F)


@settings(deadline=None, max_examples=25)
@given(
    m=st.integers(1, 6),
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
    seed=st.integers(0, 2**16),
)
def test_property_float64_no_mutation_any_shape(m, sizes, activation, seed):
    rng = np.random.default_rng(seed)
    model = MLP(sizes, rng=rng, activation=activation, penalty="l2", lambd=0.1, keep_probs=0.8)
    X = rng.standard_normal((m, sizes[0]))
    Y = rng.standard_normal((m, sizes[-1]))
    X0, Y0, theta0 = X.copy(), Y.copy(), model.theta.copy()
    J, grads = model.loss_and_grads(X, Y, rng=np.random.default_rng(seed))
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0) and np.array_equal(model.theta, theta0)
    assert isinstance(J, float) and np.isfinite(J)
    for k, v in model.params.items():
        assert grads["d" + k].dtype == np.float64 and grads["d" + k].shape == v.shape
    assert model.predict(X).dtype == np.float64
    # int inputs are accepted and give the same as their float64 version
    Xi = np.round(X).astype(np.int64)
    np.testing.assert_array_equal(model.predict(Xi), model.predict(Xi.astype(np.float64)))
