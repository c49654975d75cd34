"""Modules 8 and 9 exercises: right answers written differently pass, the cases hold the edge classes
of issue 4, and the extra exercise's reference (dropout_network) agrees with independent oracles.

The generic dev check (solution passes, starter fails, every mistake diagnosed) is in
test_dev_check.py; this file holds what is specific to these exercises.
"""

from __future__ import annotations

import numpy as np
import pytest

from ._grading_helpers import exercise
from tutor.grading.grade import build_cases, grade
from tutor.grading.program import Ref, Rng
from tutor.grading.sandbox import Sandbox

IDS_89 = (
    "l2_cost", "l2_grads", "l1_cost", "l1_grads", "elastic_net_cost", "elastic_net_grads",
    "early_stopping", "kfold_indices",
    "dropout_forward", "dropout_backward", "dropout_layer", "dropconnect_forward",
    "spatial_dropout_forward", "dropout_network",
)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


# --------------------------------------------------------------------------- equivalent answers

RIGHT = {
    "l2_cost: a 0-d array from np.sum over a list": ("l2_cost", """
import numpy as np

def l2_cost(params, lambd, m):
    squares = [np.sum(np.square(W)) for k, W in params.items() if k[0] == "W"]
    return np.sum(squares) * lambd / m / 2 + np.zeros(())
"""),
    "l2_grads: dict comprehension, np.add": ("l2_grads", """
import numpy as np

def l2_grads(grads, params, lambd, m):
    return {k: (np.add(g, lambd / m * params[k[1:]]) if k.startswith("dW") else g.copy())
            for k, g in grads.items()}
"""),
    "l1_cost: np.linalg.norm(ord=1) on flattened weights": ("l1_cost", """
import numpy as np

def l1_cost(params, lambd, m):
    return lambd / m * sum(np.linalg.norm(W.ravel(), 1) for k, W in params.items() if k.startswith("W"))
"""),
    "l1_grads: sign from two comparisons, copy then in place on the copy": ("l1_grads", """
import numpy as np

def l1_grads(grads, params, lambd, m):
    out = {k: g.copy() for k, g in grads.items()}
    for k, W in params.items():
        if k.startswith("W"):
            out["d" + k] += lambd / m * ((W > 0).astype(float) - (W < 0))
    return out
"""),
    "elastic_net_cost: two helpers": ("elastic_net_cost", """
import numpy as np

def _weights(params):
    return [W for k, W in params.items() if k.startswith("W")]

def elastic_net_cost(params, lambd1, lambd2, m):
    l1 = lambd1 * sum(np.abs(W).sum() for W in _weights(params)) / m
    l2 = lambd2 * sum((W * W).sum() for W in _weights(params)) / (2 * m)
    return l1 + l2
"""),
    "elastic_net_grads: the L1 step then the L2 step": ("elastic_net_grads", """
import numpy as np

def _add(grads, params, f):
    return {k: g + f(params[k[1:]]) if k.startswith("dW") else g for k, g in grads.items()}

def elastic_net_grads(grads, params, lambd1, lambd2, m):
    g = _add(grads, params, lambda W: lambd1 / m * np.sign(W))
    return _add(g, params, lambda W: lambd2 / m * W)
"""),
    "early_stopping: a wait counter, NumPy integers": ("early_stopping", """
import numpy as np

def early_stopping(val_losses, patience):
    best, best_loss, wait = np.int64(0), val_losses[0], 0
    for e, loss in enumerate(val_losses):
        if loss < best_loss:
            best, best_loss, wait = np.int64(e), loss, 0
        elif e > 0:
            wait += 1
        if wait == patience:
            return best, np.int64(e)
    return best, np.int64(len(val_losses) - 1)
"""),
    "kfold_indices: rng.shuffle(np.arange(m)), lists, np.hstack": ("kfold_indices", """
import numpy as np

def kfold_indices(m, k, rng):
    idx = np.arange(m)
    rng.shuffle(idx)
    folds = np.array_split(idx, k)
    return [[np.hstack(folds[:i] + folds[i + 1:]), folds[i]] for i in range(k)]
"""),
    "dropout_forward: rng.uniform (the same stream), np.where": ("dropout_forward", """
import numpy as np

def dropout_forward(A, keep_prob, rng):
    mask = np.where(rng.uniform(size=A.shape) < keep_prob, 1.0 / keep_prob, 0.0)
    return np.multiply(A, mask), mask
"""),
    "dropout_backward: np.multiply": ("dropout_backward", """
import numpy as np

def dropout_backward(dA, mask):
    return np.multiply(mask, dA)
"""),
    "dropout_layer: a boolean mask stored, scaled when applied; test mode returns a copy": ("dropout_layer", """
import numpy as np

class Dropout:
    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.kept = None

    def forward(self, A, rng, training=True):
        if training:
            self.kept = rng.random(A.shape) < self.keep_prob
            return A * self.kept / self.keep_prob
        return np.array(A, copy=True)

    def backward(self, dA):
        return dA * self.kept / self.keep_prob
"""),
    "dropconnect_forward: np.dot, b broadcast by hand": ("dropconnect_forward", """
import numpy as np

def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    keep = rng.random(W.shape) < keep_prob
    mask = keep.astype(np.float64) / keep_prob
    return np.dot(A_prev, W * mask) + np.reshape(b, (1, -1)), mask
"""),
    "spatial_dropout_forward: shape from A.shape[:2]": ("spatial_dropout_forward", """
import numpy as np

def spatial_dropout_forward(A, keep_prob, rng):
    mask = (rng.random(A.shape[:2] + (1, 1)) < keep_prob) * (1.0 / keep_prob)
    return A * mask, mask
"""),
    "dropout_network: a Dropout class, cost from the logits": ("dropout_network", """
import numpy as np

class Dropout:
    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
    def forward(self, A, rng, training=True):
        if not training:
            return A
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask
    def backward(self, dA):
        return dA * self.mask

def forward_backward(X, Y, params, keep_prob, rng, training=True):
    drop1 = Dropout(keep_prob)
    m = len(X)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = drop1.forward(np.maximum(Z1, 0), rng, training)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    cost = np.mean(np.logaddexp(0, -Z2) + (1 - Y) * Z2)
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ params["W2"].T
    if training:
        dA1 = drop1.backward(dA1)
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(0), "dW2": A1.T @ dZ2, "db2": dZ2.sum(0)}
"""),
}


@pytest.mark.parametrize("label", list(RIGHT))
def test_a_right_answer_written_differently_passes(label, sandbox):
    exercise_id, source = RIGHT[label]
    ex = exercise(exercise_id)
    for seed in (3, 4):
        v = grade(ex, source, filename=f"{exercise_id}.py", seed=seed, sandbox=sandbox)
        failing = [(c.name, c.message) for c in v.cases if not c.passed]
        assert v.passed, f"{label}: {v.summary} {v.message} {failing[:3]}"


def test_every_exercise_has_an_equivalent_answer():
    assert {exercise_id for exercise_id, _ in RIGHT.values()} == set(IDS_89)


# --------------------------------------------------------------------------- wrong answers the catalogue does not hold


WRONG = {
    "l2_grads: a new dict, but the arrays changed with +=": ("l2_grads", """
def l2_grads(grads, params, lambd, m):
    new = dict(grads)
    for k, W in params.items():
        if k.startswith("W"):
            new["d" + k] += lambd / m * W
    return new
""", "mutates-grads"),
    "dropout_forward: the test-mode rule (no mask at all)": ("dropout_forward", """
import numpy as np

def dropout_forward(A, keep_prob, rng):
    return A.copy(), np.ones(A.shape)
""", None),
    "early_stopping: best starts at the last epoch's loss": ("early_stopping", """
def early_stopping(val_losses, patience):
    best = len(val_losses) - 1
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best == patience:
            return best, e
    return best, len(val_losses) - 1
""", None),
}


@pytest.mark.parametrize("label", list(WRONG))
def test_a_wrong_answer_fails(label, sandbox):
    exercise_id, source, diagnosis = WRONG[label]
    ex = exercise(exercise_id)
    v = grade(ex, source, filename=f"{exercise_id}.py", seed=5, sandbox=sandbox)
    assert not v.passed
    if diagnosis is not None:
        assert diagnosis in [d.name for d in v.diagnosis]


def test_mutating_grads_is_reported_on_the_case_that_passes_grads_by_reference(sandbox):
    ex = exercise("l1_grads")
    source = """
import numpy as np

def l1_grads(grads, params, lambd, m):
    for k, W in params.items():
        if k.startswith("W"):
            grads["d" + k] = grads["d" + k] + lambd / m * np.sign(W)
    return grads
"""
    v = grade(ex, source, filename="l1_grads.py", seed=1, sandbox=sandbox)
    assert not v.passed
    by_name = {c.name: c for c in v.cases}
    snap = by_name["the caller's grads dict is left unchanged"]
    assert not snap.passed and "grads after the call" in f"{snap.message} {snap.where}"
    # the other cases fail too (the interpreter sees the argument changed in place), except
    # λ = 0, where adding 0 changes nothing
    assert all(not c.passed for c in v.cases if not c.name.startswith("λ = 0"))
    assert [d.name for d in v.diagnosis] == ["mutates-grads"]


# --------------------------------------------------------------------------- the cases


def _calls(c):
    return [op for op in c["ops"] if op["op"] in ("call", "method")]


def _weights(params):
    return [W for k, W in params.items() if k.startswith("W")]


@pytest.mark.parametrize("exercise_id", ["l2_cost", "l2_grads", "l1_cost", "l1_grads", "elastic_net_cost", "elastic_net_grads"])
def test_penalty_cases_hold_the_edge_classes(exercise_id):
    cases = build_cases(exercise(exercise_id), 99)
    params = [_calls(c)[0]["kwargs"]["params"] for c in cases]
    assert sum(len(_weights(p)) >= 2 for p in params) >= 8
    assert any(len(_weights(p)) >= 3 for p in params)
    assert all(any(np.all(p[k] != 0) for k in p if k.startswith("b")) for p in params), "biases non-zero"
    assert sum(any(np.any(W == 0) for W in _weights(p)) for p in params) >= 8, "exact zeros"
    assert sum(any(np.any(W < 0) for W in _weights(p)) for p in params) >= 8, "negative weights"
    ndims = {W.ndim for p in params for W in _weights(p)}
    assert {1, 2, 4} <= ndims
    assert any(W.ndim == 2 and W.shape[0] != W.shape[1] for p in params for W in _weights(p))
    kwargs = [_calls(c)[0]["kwargs"] for c in cases]
    assert any(kw["m"] == 1 for kw in kwargs) and len({kw["m"] for kw in kwargs}) >= 3
    assert any(all(kw[n] == 0 for n in kw if n.startswith("lambd")) for kw in kwargs)
    if exercise_id.endswith("_grads"):
        assert any(isinstance(_calls(c)[0]["kwargs"]["grads"], Ref) for c in cases)


def test_early_stopping_cases_hold_ties_plateaus_and_never_triggering():
    from tutor.core.selection import early_stopping

    cases = build_cases(exercise("early_stopping"), 99)
    runs = [_calls(c)[0]["kwargs"] for c in cases]

    def tie_after_best(losses):
        losses = list(losses)
        return any(losses[j] == min(losses[: j]) for j in range(1, len(losses)))

    assert sum(tie_after_best(r["val_losses"]) for r in runs) >= 3
    never = [r for r in runs if early_stopping(r["val_losses"], r["patience"])[1] == len(r["val_losses"]) - 1]
    assert len(never) >= 2
    assert any(len(r["val_losses"]) == 1 for r in runs)
    assert any(isinstance(r["val_losses"], list) for r in runs)


def test_kfold_cases_hold_k_not_dividing_m_and_k_equal_m():
    runs = [_calls(c)[0]["kwargs"] for c in build_cases(exercise("kfold_indices"), 99)]
    assert sum(r["m"] % r["k"] != 0 for r in runs) >= 4
    assert any(r["k"] == r["m"] for r in runs) and any(r["k"] == 2 for r in runs)
    assert all(isinstance(r["rng"], Rng) for r in runs)


@pytest.mark.parametrize("exercise_id", ["dropout_forward", "dropconnect_forward", "spatial_dropout_forward", "dropout_network"])
def test_random_exercises_get_seeded_generators_and_extreme_keep_probs(exercise_id):
    runs, rngs = [], []
    for c in build_cases(exercise(exercise_id), 99):
        kwargs = _calls(c)[0]["kwargs"]
        slots = {op["slot"]: op["value"] for op in c["ops"] if op["op"] == "let"}
        # a test-mode case shares its generator through a slot, to check afterwards that it drew nothing
        rngs.append(slots[kwargs["rng"].slot] if isinstance(kwargs["rng"], Ref) else kwargs["rng"])
        runs.append(kwargs)
    assert all(isinstance(r, Rng) for r in rngs)
    kps = [r["keep_prob"] for r in runs]
    assert 1.0 in kps and min(kps) <= 0.2


def test_dropout_layer_trajectories_share_one_generator_and_test_mode_in_between():
    for c in build_cases(exercise("dropout_layer"), 99):
        forwards = [op for op in c["ops"] if op["op"] == "method" and op["method"] == "forward"]
        assert all(op["kwargs"]["rng"] == Ref("rng") for op in forwards)
    trajectories = [c for c in build_cases(exercise("dropout_layer"), 99) if not c["name"].startswith("two ")]
    for c in trajectories:
        modes = [op["kwargs"].get("training", True) for op in c["ops"] if op.get("method") == "forward"]
        assert modes == [True, False, True]


# --------------------------------------------------------------------------- the dropout_network reference


def _net(rng, m=7, n=3, h=5):
    X = rng.standard_normal((m, n))
    Y = (rng.random((m, 1)) < 0.5).astype(float)
    params = {"W1": rng.standard_normal((n, h)), "b1": rng.standard_normal(h) * 0.3,
              "W2": rng.standard_normal((h, 1)), "b2": rng.standard_normal(1) * 0.3}
    return X, Y, params


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("training", [True, False])
def test_forward_backward_agrees_with_the_core_mlp(seed, training):
    from tutor.core.model import MLP
    from tutor.exercises.dropout import forward_backward

    X, Y, params = _net(np.random.default_rng(seed))
    keep_prob = 0.6
    net = MLP([3, 5, 1], params=params, activation="relu", output="sigmoid", loss="cross_entropy",
              keep_probs=keep_prob)
    J, g = net.loss_and_grads(X, Y, training=training, rng=np.random.default_rng(seed + 100))
    cost, grads = forward_backward(X, Y, params, keep_prob, np.random.default_rng(seed + 100), training)
    assert cost == pytest.approx(J, rel=1e-12)
    assert set(grads) == {"dW1", "db1", "dW2", "db2"}
    for key in grads:
        np.testing.assert_allclose(grads[key], g[key], rtol=1e-10, atol=1e-14)


def test_forward_backward_gradients_match_finite_differences_with_the_mask_held():
    from tutor.exercises.dropout import forward_backward

    X, Y, params = _net(np.random.default_rng(7))
    keep_prob, seed = 0.5, 3

    def cost(p):  # the same seed: the same mask at every evaluation
        return forward_backward(X, Y, p, keep_prob, np.random.default_rng(seed))[0]

    _, grads = forward_backward(X, Y, params, keep_prob, np.random.default_rng(seed))
    eps = 1e-6
    for key, value in params.items():
        num = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            num[idx] = (cost(plus) - cost(minus)) / (2 * eps)
        np.testing.assert_allclose(grads["d" + key], num, rtol=1e-5, atol=1e-8)


def test_forward_backward_agrees_with_torch_autograd():
    torch = pytest.importorskip("torch", reason="torch is the autograd oracle")
    from tutor.exercises.dropout import forward_backward

    X, Y, params = _net(np.random.default_rng(11), m=9, n=4, h=6)
    keep_prob = 0.7
    mask = (np.random.default_rng(5).random((9, 6)) < keep_prob) / keep_prob
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    A1 = torch.relu(torch.tensor(X) @ t["W1"] + t["b1"]) * torch.tensor(mask)
    Z2 = A1 @ t["W2"] + t["b2"]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(Z2, torch.tensor(Y))
    loss.backward()
    cost, grads = forward_backward(X, Y, params, keep_prob, np.random.default_rng(5))
    assert cost == pytest.approx(loss.item(), rel=1e-12)
    for key in params:
        np.testing.assert_allclose(grads["d" + key], t[key].grad.numpy(), rtol=1e-10, atol=1e-14)


def test_forward_backward_test_mode_draws_nothing_and_rejects_bad_input():
    from tutor.exercises.dropout import forward_backward

    X, Y, params = _net(np.random.default_rng(2))
    rng = np.random.default_rng(0)
    before = rng.bit_generator.state
    forward_backward(X, Y, params, 0.5, rng, training=False)
    assert rng.bit_generator.state == before
    with pytest.raises(ValueError, match="keep_prob"):
        forward_backward(X, Y, params, 0.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="W1"):
        forward_backward(X, Y, {"W1": params["W1"]}, 0.5, np.random.default_rng(0))
    with pytest.raises(ValueError):
        forward_backward(X, Y[:, 0], params, 0.5, np.random.default_rng(0))
