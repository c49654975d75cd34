"""The update rules and optimizer classes against torch.optim (oracles.md) and against each other.

Every trajectory runs 25 steps on three parameter arrays (two of them non-square) with fresh random
gradients at each step, from zero state, and compares both the parameters and each step's update
``w' - w`` at 1e-12 relative to the array's scale.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tutor.core import optimizers as O
from tutor.core import (
    SGD,
    AdaGrad,
    Adam,
    AdaMax,
    AdamW,
    Momentum,
    Nadam,
    Nesterov,
    RMSProp,
    make_optimizer,
)

STEPS = 25
SHAPES = {"W1": (3, 5), "b1": (5,), "W2": (5, 2)}
RTOL = 1e-12


def assert_close(
    got: np.ndarray, expected: np.ndarray, rtol: float = RTOL, what: str = "", atol: float | None = None
) -> None:
    """``|got - expected| <= rtol*|expected| + atol`` elementwise, shapes equal.

    ``atol`` defaults to ``rtol*1e-3*max|expected|`` (the curriculum's form, 1000x tighter).
    """
    got = np.asarray(got)
    expected = np.asarray(expected)
    assert got.shape == expected.shape, what
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    if atol is None:
        atol = rtol * 1e-3 * scale
    bound = rtol * np.abs(expected) + atol
    err = np.abs(got - expected)
    worst = int(np.argmax(err - bound)) if err.size else 0
    assert np.all(err <= bound), (
        f"{what}: error {err.flat[worst]:.3e} > bound {bound.flat[worst]:.3e} at {worst}"
    )


def make_problem(seed: int, grad_scale: float = 1.0, away_from_zero: bool = False):
    """Initial parameters and a sequence of STEPS gradient dicts."""
    rng = np.random.default_rng(seed)
    params = {k: rng.normal(size=s) for k, s in SHAPES.items()}
    grads = []
    for _ in range(STEPS):
        g = {}
        for k, s in SHAPES.items():
            x = rng.normal(size=s)
            if away_from_zero:
                x = np.sign(x) * (0.2 + np.abs(x))
            g["d" + k] = grad_scale * x
        grads.append(g)
    return params, grads


# ---- three implementations of one trajectory -----------------------------------------------------

def run_functions(update: Callable, n_state: int, params0, grads_seq, *, uses_t: bool, **hp):
    """Trajectory of the readable functions: list of param dicts after each step."""
    params = {k: v.copy() for k, v in params0.items()}
    state = {k: [np.zeros_like(v) for _ in range(n_state)] for k, v in params.items()}
    out = []
    for t, grads in enumerate(grads_seq, start=1):
        for k in params:
            args = [params[k], grads["d" + k], *state[k]]
            if uses_t:
                args.append(t)
            res = update(*args, **hp)
            params[k], state[k] = res[0], list(res[1:])
        out.append({k: v.copy() for k, v in params.items()})
    return out


def run_class(opt, params0, grads_seq):
    params = {k: v.copy() for k, v in params0.items()}
    out = []
    for grads in grads_seq:
        assert opt.step(params, grads) is None
        out.append({k: v.copy() for k, v in params.items()})
    return out


@pytest.fixture
def torch64():
    torch = pytest.importorskip("torch", reason="torch is the independent oracle for the optimizers")
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(old)


def run_torch(torch, make, params0, grads_seq, groups: Callable | None = None):
    """Trajectory of a torch optimizer ``make(param_groups)`` fed our gradients."""
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params0.items()}
    param_groups = groups(tensors) if groups else [{"params": list(tensors.values())}]
    opt = make(param_groups)
    out = []
    for grads in grads_seq:
        for k, p in tensors.items():
            p.grad = torch.tensor(grads["d" + k])
        opt.step()
        out.append({k: p.detach().numpy().copy() for k, p in tensors.items()})
    return out


def assert_same_trajectory(got, expected, params0, what: str, rtol: float = RTOL) -> None:
    """Parameters at ``rtol``; each update ``w' - w`` at ``rtol`` too, plus the rounding floor of a
    difference of two parameters (``1e-14*max|w|``: a 1e-6 update of a weight near 1 is only known to
    about 1e-10 relative once it has been added to the weight)."""
    assert len(got) == len(expected)
    prev_g = params0
    prev_e = params0
    for step, (g, e) in enumerate(zip(got, expected), start=1):
        for k in e:
            assert_close(g[k], e[k], rtol, f"{what} step {step} {k}")
            floor = 1e-14 * float(np.max(np.abs(e[k])))
            assert_close(g[k] - prev_g[k], e[k] - prev_e[k], rtol, f"{what} update at step {step} {k}", atol=floor)
        prev_g, prev_e = g, e


# ---- the oracle table ------------------------------------------------------------------------------
# (name, our function, n_state, uses_t, our hyper-parameters, our class, torch factory)

def _cases(torch):
    o = torch.optim
    return [
        ("momentum", O.momentum_update, 1, False, dict(lr=0.05, beta=0.9), lambda: Momentum(0.05, beta=0.9),
         lambda g: o.SGD(g, lr=0.05 * (1 - 0.9), momentum=0.9)),
        ("momentum-beta0.7", O.momentum_update, 1, False, dict(lr=0.3, beta=0.7), lambda: Momentum(0.3, beta=0.7),
         lambda g: o.SGD(g, lr=0.3 * (1 - 0.7), momentum=0.7)),
        ("nesterov", O.nesterov_update, 1, False, dict(lr=0.05, beta=0.8), lambda: Nesterov(0.05, beta=0.8),
         lambda g: o.SGD(g, lr=0.05 * (1 - 0.8), momentum=0.8, nesterov=True)),
        ("adagrad", O.adagrad_update, 1, False, dict(lr=0.1), lambda: AdaGrad(0.1),
         lambda g: o.Adagrad(g, lr=0.1, eps=1e-8)),
        ("adagrad-eps", O.adagrad_update, 1, False, dict(lr=0.02, eps=1e-2), lambda: AdaGrad(0.02, eps=1e-2),
         lambda g: o.Adagrad(g, lr=0.02, eps=1e-2)),
        ("rmsprop", O.rmsprop_update, 1, False, dict(lr=0.01), lambda: RMSProp(0.01),
         lambda g: o.RMSprop(g, lr=0.01, alpha=0.9, eps=1e-8)),
        ("rmsprop-nondefault", O.rmsprop_update, 1, False, dict(lr=0.003, beta=0.888, eps=1e-2),
         lambda: RMSProp(0.003, beta=0.888, eps=1e-2),
         lambda g: o.RMSprop(g, lr=0.003, alpha=0.888, eps=1e-2)),
        ("adam", O.adam_update, 2, True, dict(), lambda: Adam(),
         lambda g: o.Adam(g, lr=0.001, betas=(0.9, 0.999), eps=1e-8)),
        ("adam-nondefault", O.adam_update, 2, True, dict(lr=0.05, beta1=0.8, beta2=0.888, eps=1e-2),
         lambda: Adam(lr=0.05, beta1=0.8, beta2=0.888, eps=1e-2),
         lambda g: o.Adam(g, lr=0.05, betas=(0.8, 0.888), eps=1e-2)),
        ("nadam", O.nadam_update, 2, True, dict(), lambda: Nadam(),
         lambda g: o.NAdam(g, lr=0.002, betas=(0.9, 0.999), eps=1e-8, momentum_decay=1e9)),
        ("nadam-nondefault", O.nadam_update, 2, True, dict(lr=0.01, beta1=0.8, beta2=0.888, eps=1e-2),
         lambda: Nadam(lr=0.01, beta1=0.8, beta2=0.888, eps=1e-2),
         lambda g: o.NAdam(g, lr=0.01, betas=(0.8, 0.888), eps=1e-2, momentum_decay=1e9)),
    ]


CASE_NAMES = [
    "momentum", "momentum-beta0.7", "nesterov", "adagrad", "adagrad-eps", "rmsprop",
    "rmsprop-nondefault", "adam", "adam-nondefault", "nadam", "nadam-nondefault",
]


@pytest.mark.parametrize("grad_scale", [1.0, 1e-6], ids=["moderate", "tiny-gradients"])
@pytest.mark.parametrize("case", CASE_NAMES)
def test_trajectory_equals_torch(torch64, case, grad_scale):
    name, fn, n_state, uses_t, hp, make_ours, make_torch = next(c for c in _cases(torch64) if c[0] == case)
    params0, grads = make_problem(seed=CASE_NAMES.index(case), grad_scale=grad_scale)
    expected = run_torch(torch64, make_torch, params0, grads)
    functional = run_functions(fn, n_state, params0, grads, uses_t=uses_t, **hp)
    assert_same_trajectory(functional, expected, params0, f"{name} function vs torch")
    classy = run_class(make_ours(), params0, grads)
    assert_same_trajectory(classy, expected, params0, f"{name} class vs torch")


@pytest.mark.parametrize(
    "hp", [dict(), dict(lr=0.05, beta1=0.8, beta2=0.888)], ids=["default", "nondefault"]
)
def test_adamax_equals_torch_without_eps(torch64, hp):
    # torch puts eps inside max(beta2*u, |g| + eps); with eps=0 both are the paper's rule, exact on
    # gradients bounded away from 0 (oracles.md).
    params0, grads = make_problem(seed=7, away_from_zero=True)
    lr = hp.get("lr", 0.002)
    betas = (hp.get("beta1", 0.9), hp.get("beta2", 0.999))
    expected = run_torch(torch64, lambda g: torch64.optim.Adamax(g, lr=lr, betas=betas, eps=0.0), params0, grads)
    functional = run_functions(O.adamax_update, 2, params0, grads, uses_t=True, eps=0.0, **hp)
    assert_same_trajectory(functional, expected, params0, "adamax function vs torch")
    classy = run_class(AdaMax(eps=0.0, **hp), params0, grads)
    assert_same_trajectory(classy, expected, params0, "adamax class vs torch")


def test_adamax_eps_is_in_the_denominator():
    # Our rule adds eps to u (curriculum.md), computed directly on one step from zero state.
    w, dw = np.array([1.0, -2.0, 0.5]), np.array([1e-6, 0.0, -3.0])
    w1, v1, u1 = O.adamax_update(w, dw, np.zeros(3), np.zeros(3), 1, lr=0.1, eps=1e-2)
    assert_close(u1, np.abs(dw))
    assert_close(w1, w - (0.1 / (1 - 0.9)) * (0.1 * dw) / (np.abs(dw) + 1e-2))


@pytest.mark.parametrize("wd", [0.0, 0.1])
def test_adamw_equals_torch(torch64, wd):
    params0, grads = make_problem(seed=11)
    lr = 0.01

    def groups(t):
        return [
            {"params": [p for k, p in t.items() if k.startswith("W")], "weight_decay": wd},
            {"params": [p for k, p in t.items() if k.startswith("b")], "weight_decay": 0.0},
        ]

    expected = run_torch(torch64, lambda g: torch64.optim.AdamW(g, lr=lr, eps=1e-8), params0, grads, groups)
    # The function decays whatever it is given: biases get wd=0 like torch's second group.
    params = {k: v.copy() for k, v in params0.items()}
    state = {k: [np.zeros_like(v), np.zeros_like(v)] for k, v in params.items()}
    functional = []
    for t, g in enumerate(grads, start=1):
        for k in params:
            res = O.adamw_update(params[k], g["d" + k], *state[k], t, lr=lr, wd=wd if k.startswith("W") else 0.0)
            params[k], state[k] = res[0], list(res[1:])
        functional.append({k: v.copy() for k, v in params.items()})
    assert_same_trajectory(functional, expected, params0, "adamw function vs torch")
    assert_same_trajectory(run_class(AdamW(lr=lr, wd=wd), params0, grads), expected, params0, "adamw class vs torch")


@pytest.mark.parametrize("opt_name", ["sgd", "momentum", "adam", "rmsprop"])
def test_l2_through_weight_decay_equals_torch(torch64, opt_name):
    """L2 on the weights (l2_grads with lambd/m) equals torch's weight_decay with biases excluded."""
    from tutor.core import l2_grads

    lambd, m = 0.7, 10
    wd = lambd / m
    params0, grads = make_problem(seed=3)
    o = torch64.optim
    ours, theirs = {
        "sgd": (lambda **k: SGD(0.1, **k), lambda g: o.SGD(g, lr=0.1)),
        "momentum": (lambda **k: Momentum(0.1, beta=0.9, **k), lambda g: o.SGD(g, lr=0.1 * 0.1, momentum=0.9)),
        "adam": (lambda **k: Adam(lr=0.01, **k), lambda g: o.Adam(g, lr=0.01)),
        "rmsprop": (lambda **k: RMSProp(0.01, **k), lambda g: o.RMSprop(g, lr=0.01, alpha=0.9, eps=1e-8)),
    }[opt_name]

    def groups(t):
        return [
            {"params": [p for k, p in t.items() if k.startswith("W")], "weight_decay": wd},
            {"params": [p for k, p in t.items() if k.startswith("b")], "weight_decay": 0.0},
        ]

    expected = run_torch(torch64, theirs, params0, grads, groups)
    assert_same_trajectory(run_class(ours(weight_decay=wd), params0, grads), expected, params0,
                           f"{opt_name} weight_decay vs torch")

    # The same through the loss: l2_grads then the plain optimizer.
    opt = ours()
    params = {k: v.copy() for k, v in params0.items()}
    traj = []
    for g in grads:
        opt.step(params, l2_grads(g, params, lambd, m))
        traj.append({k: v.copy() for k, v in params.items()})
    assert_same_trajectory(traj, expected, params0, f"{opt_name} l2_grads vs torch", rtol=1e-11)


# ---- rules with no torch twin: checked against the formula written out ---------------------------

def test_momentum_bias_correction_class_equals_function():
    params0, grads = make_problem(seed=5)
    expected = run_functions(O.momentum_bc_update, 1, params0, grads, uses_t=True, lr=0.05, beta=0.8)
    got = run_class(Momentum(0.05, beta=0.8, bias_correction=True), params0, grads)
    assert_same_trajectory(got, expected, params0, "momentum bias correction")


def test_momentum_bias_correction_equals_torch_sgd_with_lambdalr(torch64):
    """Bias-corrected momentum is torch's SGD(lr*(1-beta), momentum=beta) with the rate scaled by
    1/(1-beta**t) at step t (a LambdaLR): an independent check of ``momentum_bc_update``."""
    lr, beta = 0.05, 0.8
    params0, grads = make_problem(seed=12)
    tensors = {k: torch64.tensor(v.copy(), requires_grad=True) for k, v in params0.items()}
    opt = torch64.optim.SGD(list(tensors.values()), lr=lr * (1 - beta), momentum=beta)
    sched = torch64.optim.lr_scheduler.LambdaLR(opt, lambda e: 1 / (1 - beta ** (e + 1)))
    expected = []
    for g in grads:
        for k, p in tensors.items():
            p.grad = torch64.tensor(g["d" + k])
        opt.step()
        sched.step()
        expected.append({k: p.detach().numpy().copy() for k, p in tensors.items()})
    functional = run_functions(O.momentum_bc_update, 1, params0, grads, uses_t=True, lr=lr, beta=beta)
    assert_same_trajectory(functional, expected, params0, "momentum_bc function vs torch")
    classy = run_class(Momentum(lr, beta=beta, bias_correction=True), params0, grads)
    assert_same_trajectory(classy, expected, params0, "momentum_bc class vs torch")


def test_momentum_bias_correction_first_step_is_the_gradient():
    # v1 = (1-beta)*dw, corrected by 1/(1-beta): the first step moves by lr*dw exactly.
    w, dw = np.array([[1.0, 2.0, 3.0]]), np.array([[0.5, -1.0, 1e-6]])
    w1, v1 = O.momentum_bc_update(w, dw, np.zeros_like(w), 1, 0.1, beta=0.9)
    assert_close(w1 - w, -0.1 * dw, atol=1e-15)  # the rounding of w1 - w near w = 3
    assert_close(v1, 0.1 * dw)


def test_sgd_class_equals_function():
    params0, grads = make_problem(seed=9)
    params = {k: v.copy() for k, v in params0.items()}
    expected = []
    for g in grads:
        params = {k: O.sgd_update(params[k], g["d" + k], 0.1) for k in params}
        expected.append(params)
    assert_same_trajectory(run_class(SGD(0.1), params0, grads), expected, params0, "sgd")


def test_nadam_is_not_the_blog_variant():
    # The common variant puts (1-beta1**t) in the first term; ours uses (1-beta1**(t+1)).
    w, dw = np.array([0.5, -0.3]), np.array([0.1, -0.2])
    w1, _, _ = O.nadam_update(w, dw, np.zeros(2), np.zeros(2), 1, lr=0.1)
    v1 = 0.1 * dw
    s_hat = (0.001 * dw**2) / (1 - 0.999)
    v_bar = 0.9 * v1 / (1 - 0.9**2) + 0.1 * dw / (1 - 0.9)
    assert_close(w1, w - 0.1 * v_bar / (np.sqrt(s_hat) + 1e-8))


def test_adam_first_step_known_value():
    w1, v1, s1 = O.adam_update(np.array([0.5, -0.3]), np.array([0.1, -0.2]), np.zeros(2), np.zeros(2), 1, lr=0.1)
    # first step from zero state moves by about lr*sign(dw)
    assert_close(w1, np.array([0.5 - 0.1 * 0.1 / (0.1 + 1e-8), -0.3 + 0.1 * 0.2 / (0.2 + 1e-8)]))
    assert_close(v1, np.array([0.01, -0.02]))
    assert_close(s1, np.array([1e-5, 4e-5]))


# ---- the class interface ----------------------------------------------------------------------------

ALL = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "nadam", "adamw"]
N_SLOTS = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1,
           "adam": 2, "adamax": 2, "nadam": 2, "adamw": 2}


@pytest.mark.parametrize("name", ALL)
def test_state_per_parameter_and_t_per_step(name):
    opt = make_optimizer(name, lr=0.01)
    assert opt.t == 0 and opt.state_bytes() == 0 and opt.state_arrays() == {}
    params, grads = make_problem(seed=1)
    opt.step(params, grads[0])
    opt.step(params, grads[1])
    assert opt.t == 2
    arrays = opt.state_arrays()
    assert len(arrays) == N_SLOTS[name] * len(SHAPES)
    for key, arr in arrays.items():
        pname = key.split(".")[0]
        assert arr.shape == SHAPES[pname] and arr.dtype == np.float64
        assert not arr.flags.writeable
    n = sum(int(np.prod(s)) for s in SHAPES.values())
    assert opt.state_bytes() == N_SLOTS[name] * n * 8


def test_state_starts_at_zero_and_is_kept_per_name():
    opt = Momentum(0.1, beta=0.5)
    params = {"W1": np.array([1.0, 2.0]), "W2": np.array([[3.0]])}
    opt.step(params, {"dW1": np.array([1.0, 1.0]), "dW2": np.array([[2.0]])})
    # v = 0.5*0 + 0.5*g for each name independently
    assert_close(opt.state_arrays()["W1.v"], np.array([0.5, 0.5]))
    assert_close(opt.state_arrays()["W2.v"], np.array([[1.0]]))
    assert_close(params["W1"], np.array([0.95, 1.95]))


def test_params_updated_in_place_and_grads_untouched():
    opt = Adam(lr=0.1)
    W = np.ones((2, 3))
    params = {"W1": W}
    g = np.full((2, 3), 0.5)
    g_copy = g.copy()
    opt.step(params, {"dW1": g})
    assert params["W1"] is W
    np.testing.assert_array_equal(g, g_copy)
    assert np.all(W < 1)


def test_non_float_or_noncontiguous_params_are_rebound():
    opt = SGD(0.5)
    params = {"W1": np.array([[1, 2], [3, 4]]), "W2": np.ones((4, 3)).T}
    opt.step(params, {"dW1": np.ones((2, 2)), "dW2": np.ones((3, 4))})
    assert params["W1"].dtype == np.float64
    np.testing.assert_array_equal(params["W1"], [[0.5, 1.5], [2.5, 3.5]])
    np.testing.assert_array_equal(params["W2"], np.full((3, 4), 0.5))


@pytest.mark.parametrize("name", ALL)
def test_large_arrays_cross_chunk_boundaries(name):
    # Sizes around the chunk size, so the chunked kernel's seams are exercised.
    rng = np.random.default_rng(2)
    sizes = {"W1": (O.CHUNK + 3,), "W2": (3, O.CHUNK // 2 + 1), "b1": (7,)}
    params0 = {k: rng.normal(size=s) for k, s in sizes.items()}
    grads = [{"d" + k: rng.normal(size=s) for k, s in sizes.items()} for _ in range(3)]
    fn = {"momentum": (O.momentum_update, 1, False), "nesterov": (O.nesterov_update, 1, False),
          "adagrad": (O.adagrad_update, 1, False), "rmsprop": (O.rmsprop_update, 1, False),
          "adam": (O.adam_update, 2, True), "adamax": (O.adamax_update, 2, True),
          "nadam": (O.nadam_update, 2, True)}
    opt = make_optimizer(name, lr=0.01)
    got = run_class(opt, params0, grads)
    if name == "sgd":
        p = dict(params0)
        expected = []
        for g in grads:
            p = {k: O.sgd_update(p[k], g["d" + k], 0.01) for k in p}
            expected.append(p)
    elif name == "adamw":
        p = {k: v.copy() for k, v in params0.items()}
        st = {k: [np.zeros_like(v), np.zeros_like(v)] for k, v in p.items()}
        expected = []
        for t, g in enumerate(grads, start=1):
            for k in p:
                r = O.adamw_update(p[k], g["d" + k], *st[k], t, lr=0.01, wd=0.01 if k.startswith("W") else 0.0)
                p[k], st[k] = r[0], list(r[1:])
            expected.append(dict(p))
    else:
        f, n_state, uses_t = fn[name]
        expected = run_functions(f, n_state, params0, grads, uses_t=uses_t, lr=0.01)
    assert_same_trajectory(got, expected, params0, name)


def test_optimizer_classes_contract_signatures():
    import inspect

    def defaults(cls):
        return {k: p.default for k, p in inspect.signature(cls).parameters.items()}

    assert list(defaults(SGD))[:1] == ["lr"] and defaults(SGD)["lr"] is inspect.Parameter.empty
    d = defaults(Momentum)
    assert list(d)[:2] == ["lr", "beta"] and d["beta"] == 0.9
    d = defaults(Adam)
    assert list(d)[:4] == ["lr", "beta1", "beta2", "eps"]
    assert (d["lr"], d["beta1"], d["beta2"], d["eps"]) == (0.001, 0.9, 0.999, 1e-8)


def test_make_optimizer_by_name():
    assert isinstance(make_optimizer("Adam", lr=0.1), Adam)
    assert isinstance(make_optimizer("adamw"), AdamW)
    assert make_optimizer("momentum", lr=0.1, beta=0.5).beta == 0.5
    with pytest.raises(ValueError, match="name must be one of"):
        make_optimizer("adamm")
    with pytest.raises(ValueError, match="unknown betta"):
        make_optimizer("momentum", lr=0.1, betta=0.5)
    with pytest.raises(ValueError, match="lr"):
        make_optimizer("sgd")


# ---- bad input -------------------------------------------------------------------------------------

def z(*shape):
    return np.zeros(shape)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: O.momentum_update(z(2, 3), z(3, 2), z(2, 3), 0.1), "dw must have the shape"),
        (lambda: O.momentum_update(z(2, 3), z(2, 3), z(2), 0.1), "v must have the shape"),
        (lambda: O.momentum_update(z(2), z(2), z(2), 0.0), "lr must be > 0"),
        (lambda: O.momentum_update(z(2), z(2), z(2), -1), "lr must be > 0"),
        (lambda: O.momentum_update(z(2), z(2), z(2), 0.1, beta=1.0), r"beta must be in \[0, 1\)"),
        (lambda: O.adagrad_update(z(2), z(2), z(3), 0.1), "cache must have the shape"),
        (lambda: O.adagrad_update(z(2), z(2), z(2), 0.1, eps=-1), "eps must be >= 0"),
        (lambda: O.rmsprop_update(z(2), z(2), z(2), 0.1, beta=-0.1), "beta must be in"),
        (lambda: O.adam_update(z(2), z(2), z(2), z(2), 0), "t must be >= 1"),
        (lambda: O.adam_update(z(2), z(2), z(2), z(2), 1.5), "t must be an integer"),
        (lambda: O.adam_update(z(2), z(2), z(2), z(3), 1), "s must have the shape"),
        (lambda: O.adam_update(z(2), z(2), z(2), z(2), 1, beta2=1.5), "beta2 must be in"),
        (lambda: O.adamax_update(z(2), z(2), z(2), z(1), 1), "u must have the shape"),
        (lambda: O.nadam_update(z(2), z(2), z(2), z(2), 1, lr=float("nan")), "lr must be finite"),
        (lambda: O.adamw_update(z(2), z(2), z(2), z(2), 1, wd=-0.1), "wd must be >= 0"),
        (lambda: O.momentum_bc_update(z(2), z(2), z(2), 0, 0.1), "t must be >= 1"),
        (lambda: O.nesterov_update(z(2), "x", z(2), 0.1), "dw must be an array of numbers"),
        (lambda: SGD(0), "lr must be > 0"),
        (lambda: Adam(beta1=1), "beta1 must be in"),
        (lambda: Momentum(0.1, weight_decay=-1), "weight_decay must be >= 0"),
        (lambda: SGD(0.1).step({"W1": z(2)}, {"db1": z(2)}), "grads must have a key 'dW1'"),
        (lambda: SGD(0.1).step({"W1": z(2)}, {"dW1": z(3)}), r"grads\['dW1'\] must have the shape"),
        (lambda: SGD(0.1).step([z(2)], {"dW1": z(3)}), "params must be a dict"),
        (lambda: SGD(0.1).step({"W1": np.array(["a"])}, {"dW1": z(1)}), "must be an array of numbers"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_failed_step_changes_nothing():
    opt = Adam(lr=0.1)
    params = {"W1": np.ones(2), "W2": np.ones(3)}
    with pytest.raises(ValueError):
        opt.step(params, {"dW1": np.ones(2)})
    assert opt.t == 0 and opt.state_bytes() == 0
    np.testing.assert_array_equal(params["W1"], np.ones(2))


def test_shape_change_between_steps_is_refused():
    opt = Momentum(0.1)
    opt.step({"W1": np.ones(2)}, {"dW1": np.ones(2)})
    with pytest.raises(ValueError, match="changed shape"):
        opt.step({"W1": np.ones(3)}, {"dW1": np.ones(3)})


@pytest.mark.parametrize("name", ALL)
def test_threaded_split_gives_identical_results(name, monkeypatch):
    """A large parameter split over threads gets bit-for-bit the one-thread result."""
    rng = np.random.default_rng(6)
    sizes = {"W1": (3 * O.CHUNK + 5,), "b1": (O.CHUNK * 2,)}
    params0 = {k: rng.normal(size=s) for k, s in sizes.items()}
    grads = [{"d" + k: rng.normal(size=s) for k, s in sizes.items()} for _ in range(3)]
    hp = dict(lr=0.01) if name == "adamw" else dict(lr=0.01, weight_decay=0.1)
    monkeypatch.setattr(O, "PARALLEL_MIN", 1000)
    single = make_optimizer(name, **hp)
    single.threads = 1
    want = run_class(single, params0, grads)
    for threads in (2, 3):
        opt = make_optimizer(name, **hp)
        opt.threads = threads
        got = run_class(opt, params0, grads)
        for g, e in zip(got, want):
            for k in e:
                np.testing.assert_array_equal(g[k], e[k])
