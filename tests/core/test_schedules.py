"""Schedules against torch's schedulers (oracles.md) and the learning-rate range test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core import (
    LRRangeResult,
    exponential_decay,
    lr_range_test,
    step_decay,
    time_decay,
    warmup_cosine,
)


@pytest.fixture
def torch64():
    torch = pytest.importorskip("torch", reason="torch's schedulers are the independent oracle")
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(old)


def torch_lrs(torch, lr0: float, make_scheduler, epochs: int) -> list[float]:
    """The learning rate torch uses in epochs 0..epochs-1 (one ``scheduler.step()`` per epoch)."""
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr0)
    sched = make_scheduler(opt)
    out = []
    for _ in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def assert_lrs(ours: list[float], theirs: list[float], rtol: float = 1e-12) -> None:
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=1e-15 * max(theirs))


@pytest.mark.parametrize("lr0, drop, n", [(0.1, 0.5, 10), (0.3, 0.9, 3), (1.0, 0.25, 1)])
def test_step_decay_equals_steplr(torch64, lr0, drop, n):
    theirs = torch_lrs(torch64, lr0, lambda o: torch64.optim.lr_scheduler.StepLR(o, step_size=n, gamma=drop), 40)
    assert_lrs([step_decay(lr0, e, drop, n) for e in range(40)], theirs)


@pytest.mark.parametrize("lr0, k", [(0.1, 0.1), (0.05, 0.01), (1.0, 0.5)])
def test_exponential_decay_equals_exponentiallr(torch64, lr0, k):
    theirs = torch_lrs(torch64, lr0, lambda o: torch64.optim.lr_scheduler.ExponentialLR(o, gamma=math.exp(-k)), 40)
    assert_lrs([exponential_decay(lr0, e, k) for e in range(40)], theirs, rtol=1e-12)


@pytest.mark.parametrize("lr0, r", [(0.1, 0.5), (0.02, 0.01), (1.0, 3.0)])
def test_time_decay_equals_lambdalr(torch64, lr0, r):
    theirs = torch_lrs(torch64, lr0, lambda o: torch64.optim.lr_scheduler.LambdaLR(o, lambda e: 1 / (1 + r * e)), 40)
    assert_lrs([time_decay(lr0, e, r) for e in range(40)], theirs)


@pytest.mark.parametrize("warmup", [2, 5, 10])
def test_warmup_equals_linearlr(torch64, warmup):
    lr_max = 0.4
    theirs = torch_lrs(
        torch64,
        lr_max,
        lambda o: torch64.optim.lr_scheduler.LinearLR(
            o, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1
        ),
        warmup,
    )
    assert_lrs([warmup_cosine(e, 50, lr_max, warmup) for e in range(warmup)], theirs)


@pytest.mark.parametrize("warmup, total, lr_min", [(5, 50, 0.0), (0, 30, 0.01), (3, 4, 0.1), (10, 137, 1e-4)])
def test_cosine_part_equals_cosineannealinglr(torch64, warmup, total, lr_min):
    lr_max = 0.4
    t_max = total - warmup
    theirs = torch_lrs(
        torch64, lr_max, lambda o: torch64.optim.lr_scheduler.CosineAnnealingLR(o, T_max=t_max, eta_min=lr_min), t_max + 1
    )
    ours = [warmup_cosine(warmup + e, total, lr_max, warmup, lr_min) for e in range(t_max + 1)]
    assert_lrs(ours, theirs, rtol=1e-11)  # torch's recursive form accumulates a few ulps


def test_warmup_cosine_known_points():
    assert warmup_cosine(0, 100, 1.0, 10) == pytest.approx(0.1)
    assert warmup_cosine(9, 100, 1.0, 10) == pytest.approx(1.0)
    assert warmup_cosine(10, 100, 1.0, 10) == 1.0
    assert warmup_cosine(55, 100, 1.0, 10, 0.2) == pytest.approx(0.6)
    assert warmup_cosine(100, 100, 1.0, 10, 0.2) == pytest.approx(0.2)
    # warmup_steps = 0: no warm-up; total_steps - warmup_steps = 1 still divides by max(1, ...)
    assert warmup_cosine(0, 1, 0.5, 0) == 0.5
    assert warmup_cosine(1, 1, 0.5, 0) == pytest.approx(0.0)


def test_schedules_return_python_floats_and_known_values():
    assert step_decay(0.1, 7, 0.5, 3) == pytest.approx(0.025)
    assert exponential_decay(0.1, 2, 0.5) == pytest.approx(0.1 * math.exp(-1))
    assert time_decay(0.1, 4, 0.25) == pytest.approx(0.05)
    for v in (step_decay(0.1, 7, 0.5, 3), exponential_decay(0.1, 2, 0.5), time_decay(0.1, 4, 0.25),
              warmup_cosine(3, 10, 0.1, 2)):
        assert type(v) is float
    # NumPy integers are fine
    assert step_decay(0.1, np.int64(7), 0.5, np.int64(3)) == pytest.approx(0.025)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: warmup_cosine(0, 10, 0.1, 10), "warmup_steps must be < total_steps"),
        (lambda: warmup_cosine(0, 10, 0.1, -1), "warmup_steps must be >= 0"),
        (lambda: warmup_cosine(11, 10, 0.1, 2), "step must be in"),
        (lambda: warmup_cosine(-1, 10, 0.1, 2), "step must be >= 0"),
        (lambda: warmup_cosine(1, 10, 0.1, 2, lr_min=0.2), "lr_min must be <= lr_max"),
        (lambda: warmup_cosine(1, 10, 0.1, 2, lr_min=-0.1), "lr_min must be >= 0"),
        (lambda: warmup_cosine(1.5, 10, 0.1, 2), "step must be an integer"),
        (lambda: warmup_cosine(1, 10, -0.1, 2), "lr_max must be >= 0"),
        (lambda: step_decay(0.0, 1, 0.5, 2), "lr0 must be > 0"),
        (lambda: step_decay(0.1, -1, 0.5, 2), "epoch must be >= 0"),
        (lambda: step_decay(0.1, 1, 1.5, 2), r"drop must be in \(0, 1\]"),
        (lambda: step_decay(0.1, 1, 0.5, 0), "epochs_per_drop must be > 0"),
        (lambda: exponential_decay(0.1, 1, -0.5), "k must be >= 0"),
        (lambda: time_decay(0.1, 1, -1), "decay_rate must be >= 0"),
        (lambda: time_decay("0.1", 1, 1), "lr0 must be a number"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- learning-rate range test -----------------------------------------------------------------------

def quadratic_step_fn(curvature: float = 10.0):
    """One GD step on f(w) = curvature/2 * |w|^2 per call; diverges once lr > 2/curvature."""
    w = np.array([1.0, -2.0, 0.5])

    def step(lr: float) -> float:
        nonlocal w
        loss = 0.5 * curvature * float(w @ w)
        w = w - lr * curvature * w
        return loss

    return step


def test_range_test_rates_rise_exponentially_and_loss_is_debiased():
    seen = []
    result = lr_range_test(lambda lr: seen.append(lr) or 3.0, 1e-4, 1.0, 5)
    np.testing.assert_allclose(seen, [1e-4, 1e-3, 1e-2, 1e-1, 1.0], rtol=1e-12)
    np.testing.assert_allclose(result.lrs, seen)
    # a constant loss smooths to itself once debiased
    np.testing.assert_allclose(result.smoothed, 3.0, rtol=1e-12)
    assert result.stopped_at is None


def test_range_test_smoothing_formula():
    losses = [4.0, 2.0, 1.0, 3.0]
    it = iter(losses)
    r = lr_range_test(lambda lr: next(it), 0.01, 1.0, 4, beta=0.5, explode=100)
    avg, expected = 0.0, []
    for i, x in enumerate(losses):
        avg = 0.5 * avg + 0.5 * x
        expected.append(avg / (1 - 0.5 ** (i + 1)))
    np.testing.assert_allclose(r.smoothed, expected, rtol=1e-12)
    np.testing.assert_array_equal(r.losses, losses)


def test_range_test_stops_when_the_loss_explodes_and_suggests_below_the_minimum():
    result = lr_range_test(quadratic_step_fn(10.0), 1e-4, 10.0, 100)
    assert isinstance(result, LRRangeResult)
    assert result.stopped_at is not None and result.stopped_at < 99
    assert np.all(np.isfinite(result.smoothed)) and np.all(np.isfinite(result.losses))
    assert len(result.lrs) == len(result.losses) == len(result.smoothed) == result.stopped_at
    # the loss explodes past lr = 2/curvature = 0.2; the suggestion is a decade below the best rate
    assert result.lrs[-1] > 0.2
    assert result.suggested == pytest.approx(result.min_loss_lr / 10)
    assert result.suggested < 0.2
    assert result.steepest_lr <= result.min_loss_lr


def test_range_test_stops_on_nan():
    calls = []

    def step(lr):
        calls.append(lr)
        return float("nan") if len(calls) > 3 else 1.0

    r = lr_range_test(step, 1e-3, 1.0, 10)
    assert r.stopped_at == 3 and len(r.lrs) == 3


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lr_min=0.0, lr_max=1.0, steps=10), "lr_min must be > 0"),
        (dict(lr_min=1.0, lr_max=0.1, steps=10), "lr_max must be > lr_min"),
        (dict(lr_min=1e-3, lr_max=1.0, steps=1), "steps must be >= 2"),
        (dict(lr_min=1e-3, lr_max=1.0, steps=10, beta=1.0), "beta must be in"),
        (dict(lr_min=1e-3, lr_max=1.0, steps=10, explode=1.0), "explode must be > 1"),
    ],
)
def test_range_test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lr_range_test(lambda lr: 1.0, **kwargs)
    with pytest.raises(ValueError, match="step_fn must be a callable"):
        lr_range_test(3, 1e-3, 1.0, 10)


def test_range_test_first_loss_not_finite():
    with pytest.raises(ValueError, match="lower lr_min"):
        lr_range_test(lambda lr: float("inf"), 1e-3, 1.0, 10)
