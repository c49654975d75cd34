"""The claims of the issue-12 experiments' docstrings (and of the lesson text built on them),
computed on the defaults: 9.6 weights and activations with and without dropout, layer-wise rates,
dropout with L2; 8.2 λ against the batch size; the curvature view of the adaptive optimizers; the
update/weight ratio; gradient clipping."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

from tutor.core import data as D
from tutor.core import experiments as E
from tutor.core.model import MLP
from tutor.core.figure import Figure


@functools.cache
def run(name: str, **kw: object) -> Figure:
    return E.EXPERIMENTS[name](**kw)


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)]


# ------------------------------------------------------------------------------------ 9.6


def test_dropout_weight_histogram_all_weights_nearly_coincide_output_layer_shrinks():
    fig = run("dropout_weight_histogram")
    a, b = fig.series
    assert np.array_equal(a.x, b.x), "one set of bins"
    n_weights = 10 * 40 + 40 * 40 + 40
    assert a.y.sum() == -b.y.sum() == n_weights, "back to back: with dropout downwards"
    std0, std1 = numbers(fig.notes[0])
    assert abs(std0 - std1) < 0.05 * std0, "dropout does not shrink the weights as L2 does"
    l2 = run("weight_histogram")
    l2_std0, l2_std1 = numbers(l2.notes[0])[-2:]
    assert l2_std1 < 0.8 * l2_std0, "whereas L2 does (8.2)"
    out = run("dropout_weight_histogram", layer="3")
    assert out.series[0].y.sum() == 40
    norm0, norm1 = numbers(out.notes[1])[-2:]
    assert norm1 < 0.8 * norm0, "the output weights are smaller with dropout"


def _mean_share(series) -> float:
    return float(np.sum(series.x * series.y) / np.sum(series.y))


def test_dropout_activations_layer_2_is_sparser_but_not_less_correlated():
    fig = run("dropout_activations")
    plain, dropped = fig.series
    assert plain.y.sum() == dropped.y.sum() == 100, "one count per validation example"
    assert _mean_share(dropped) < _mean_share(plain) - 0.1
    active0, mean0, _, corr0 = numbers(fig.notes[0])[:4]
    active1, mean1, _, corr1 = numbers(fig.notes[1])[:4]
    assert active1 < 0.7 * active0 and mean1 < 0.6 * mean0
    assert corr1 >= corr0 - 0.01, "the text says the correlation does not fall here"
    units = run("dropout_activations", show="units")
    for s in units.series:
        assert s.x.size == 40 and np.all(np.diff(s.y) <= 0), "sorted from the largest"
    assert units.series[1].y.sum() < units.series[0].y.sum()
    busiest0, busiest1 = numbers(fig.notes[0])[-1], numbers(fig.notes[1])[-1]
    assert busiest1 > busiest0 + 5, "with dropout the activity concentrates in fewer units"
    for s, share in zip(units.series, (busiest0, busiest1)):
        assert 100 * s.y[:5].sum() / s.y.sum() == pytest.approx(share, abs=0.05)
    first = run("dropout_activations", layer=1)
    assert abs(_mean_share(first.series[0]) - _mean_share(first.series[1])) < 0.05, "layer 1 hardly changes"


def test_layerwise_keep_prob_input_dropout_helps_alone_hurts_on_top():
    fig = run("layerwise_keep_prob")
    no_input, input_08 = fig.series
    assert list(no_input.x) == [0.5, 0.7, 0.9, 1.0]
    assert input_08.y[-1] < no_input.y[-1], "without hidden dropout, input dropout helps"
    assert np.all(input_08.y[:-1] > no_input.y[:-1]), "on top of hidden dropout it hurts"
    best = int(np.argmin(no_input.y))
    assert no_input.x[best] == 0.7 and no_input.y[best] < input_08.y.min()
    assert numbers(fig.notes[0])[:2] == [1.0, 0.7]


def test_dropout_with_l2_wants_a_smaller_lambda_and_can_be_worse_than_either():
    fig = run("dropout_with_l2")
    alone, both = fig.series
    assert alone.x[int(np.argmin(alone.y))] == 1.0
    assert both.x[int(np.argmin(both.y))] == 0.3, "with dropout the best λ is smaller"
    assert alone.y.min() < both.y.min(), "L2 alone at its best beats the pair here"
    grid = run("keep_prob_grid")
    dropout_alone = float(grid.series[0].y[list(grid.series[0].x).index(0.7)])
    assert both.y[-1] > max(alone.y[-1], dropout_alone), "at λ = 3 the pair is worse than either"
    assert grid.series[0].y[-1] == pytest.approx(0.469, abs=5e-4), "neither (the docstring's number)"


# ------------------------------------------------------------------------------------ 8.2


def _ridge_norm(X: np.ndarray, Y: np.ndarray, decay: float) -> float:
    """‖w‖ minimizing (1/2N)Σ(Xw + b − y)² + (decay/2)·‖w‖²."""
    n, k = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])
    R = np.eye(k + 1) * decay * n
    R[-1, -1] = 0.0
    return float(np.linalg.norm(np.linalg.solve(Xa.T @ Xa + R, Xa.T @ Y)[:k]))


def test_l2_batch_size_m_equal_b_changes_lambda_m_equal_n_does_not():
    fig = run("l2_batch_size")
    by_batch, by_set = fig.series
    B = by_batch.x
    assert list(B) == [2, 4, 8, 16, 32, 64, 128, 256]
    X, Y = D.overfit_set(256, np.random.default_rng([0, 1]), n_features=10, n_informative=3, noise=0.5)
    for b, got_b, got_n in zip(B, by_batch.y, by_set.y):
        # on average, m = B minimizes the objective with λ·N/B; m = N the one with λ
        assert got_b == pytest.approx(_ridge_norm(X, Y, 10.0 / b), rel=0.05)
        assert got_n == pytest.approx(_ridge_norm(X, Y, 10.0 / 256), rel=0.03)
    assert np.all(np.diff(by_batch.y) > 0), "the smaller the batch, the stronger the same λ"
    assert by_set.y.max() - by_set.y.min() < 0.03, "m = N: the same for every B"
    assert by_batch.y[-1] == by_set.y[-1], "B = N: the two rules agree"
    big = run("l2_batch_size", n_train=1024)
    i = list(big.series[0].x).index(32)
    assert big.series[1].y[-1] > by_set.y[-1] + 0.01, "m = N: more data, weaker penalty"
    assert big.series[0].y[i] == pytest.approx(by_batch.y[4], abs=0.01), "m = B: unchanged by N"


def test_mlp_penalty_m_uses_the_given_m_and_defaults_to_the_batch():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((8, 3)), rng.standard_normal((8, 1))
    base = MLP([3, 4, 1], rng=np.random.default_rng(1), penalty="l2", lambd=2.0)
    fixed = MLP([3, 4, 1], params=base.get_params(), penalty="l2", lambd=2.0, penalty_m=100)
    plain = MLP([3, 4, 1], params=base.get_params())
    sq = float(sum(np.sum(base.params[k] ** 2) for k in ("W1", "W2")))
    data = plain.loss(X, Y)
    assert base.loss(X, Y) == pytest.approx(data + 2.0 / (2 * 8) * sq)
    assert fixed.loss(X, Y) == pytest.approx(data + 2.0 / (2 * 100) * sq)
    _, g_fixed = fixed.loss_and_grads(X, Y, training=False)
    _, g_plain = plain.loss_and_grads(X, Y, training=False)
    assert np.allclose(g_fixed["dW1"], g_plain["dW1"] + 2.0 / 100 * base.params["W1"])
    assert np.allclose(g_fixed["db1"], g_plain["db1"])
    with pytest.raises(ValueError, match="penalty_m"):
        MLP([3, 1], penalty_m=0)


# ------------------------------------------------------------------------ 7.5–7.7 curvature


def _distances(fig: Figure) -> tuple[float, float]:
    return numbers(fig.notes[0])[-1], numbers(fig.notes[1])[-1]


@pytest.mark.parametrize("optimizer, lr", [("rmsprop", 0.1), ("adam", 0.1), ("adagrad", 0.5)])
def test_a_diagonal_preconditioner_fixes_an_axis_aligned_valley_not_a_rotated_one(optimizer, lr):
    aligned = run("preconditioning_paths", optimizer=optimizer, lr=lr)
    rotated = run("preconditioning_paths", optimizer=optimizer, lr=lr, angle=45.0)
    gd, ada = _distances(aligned)
    gd45, ada45 = _distances(rotated)
    assert gd == pytest.approx(gd45), "GD does not care about the rotation"
    assert ada < 0.2 * gd, "axis-aligned: the adaptive optimizer is far ahead"
    assert ada45 > 5 * ada, "rotated: the advantage is gone"
    w1, w2 = numbers(aligned.notes[2])[-2:]
    assert w1 > 2 * w2, "the shallow coordinate gets the larger multiplier"
    r1, r2 = numbers(rotated.notes[2])[-2:]
    assert 0.6 < r1 / r2 < 1.6, "rotated: about one multiplier for both coordinates"


def test_rmsprop_numbers_of_the_docstring():
    gd, ada = _distances(run("preconditioning_paths"))
    assert (round(gd, 2), round(ada, 2)) == (1.19, 0.01)
    assert round(_distances(run("preconditioning_paths", angle=45.0))[1], 1) == 0.5


def test_effective_step_falls_with_curvature():
    fig = run("effective_step_vs_curvature")
    pts, newton, gd = fig.series
    assert pts.x.size == 12
    slope = np.polyfit(np.log(pts.x), np.log(pts.y), 1)[0]
    assert slope == pytest.approx(numbers(fig.notes[0])[0], abs=0.005)
    assert -1.2 < slope < -0.6
    for seed in range(5):
        s = run("effective_step_vs_curvature", seed=seed).series[0]
        assert -1.2 < np.polyfit(np.log(s.x), np.log(s.y), 1)[0] < -0.6
    assert np.allclose(newton.y * newton.x, 1.0) and np.all(gd.y == 0.1)


# ------------------------------------------------------------------ update ratio and clipping


def _medians(fig: Figure) -> list[float]:
    note = next(n for n in fig.notes if n.startswith("median"))
    return [float(v) for v in re.findall(r"W\d ([0-9.e+-]+)", note)]


def test_update_ratio_rises_with_lr_and_the_good_rate_trains_best():
    lrs = (0.003, 0.03, 0.3, 3.0)
    figs = {lr: run("update_ratio", lr=lr) for lr in lrs}
    meds = {lr: _medians(f) for lr, f in figs.items()}
    for layer in range(3):
        assert meds[0.003][layer] < meds[0.03][layer] < meds[0.3][layer]
    assert all(1e-3 <= m <= 1e-1 for m in meds[0.3])
    assert max(meds[0.003]) < 3e-3 and min(meds[0.003]) < 1e-4
    loss = {lr: numbers(f.notes[-1])[-1] for lr, f in figs.items()}
    assert loss[0.3] < loss[3.0] < loss[0.003] and loss[0.3] < loss[0.03]
    fig = figs[0.3]
    assert np.all(fig.series[-1].y == 1e-3)
    cut = run("update_ratio", lr=10.0)
    assert any("diverged at step" in n for n in cut.notes)


def test_gradient_clipping_tames_the_spikes():
    fig = run("gradient_clipping")
    plain, clipped = fig.series
    half = plain.y.size // 2
    assert np.median(clipped.y[half:]) < np.median(plain.y[half:]) / 3
    assert clipped.y[half:].max() < plain.y[half:].max() / 10
    assert plain.y[half:].max() > 1.0
    norms = run("gradient_clipping", show="grad_norm")
    g, line = norms.series
    assert np.median(g.y) < 1.0 and g.y.max() > 10.0
    n_clipped = int(numbers(fig.notes[-1])[0])
    assert n_clipped == int(np.sum(g.y > 1.0)) == 35
    assert np.all(line.y == 1.0)
    everything = run("gradient_clipping", max_norm=0.01)
    assert numbers(everything.notes[-1])[:2] == [200.0, 200.0], "below the typical norm every step is clipped"
    never = run("gradient_clipping", max_norm=100.0)
    assert np.array_equal(never.series[0].y, never.series[1].y), "above every norm, clipping changes nothing"


def test_l2_batch_size_steps_are_the_mlp_gradient_with_penalty_m():
    from tutor.core.experiments import regularization as R

    X, Y = D.overfit_set(64, np.random.default_rng(3), n_features=10, n_informative=3, noise=0.5)
    B, steps, lambd = 8, 6, 10.0
    order = R._batch_order(64, B, steps, np.random.default_rng(5))
    got = R._sgd_weight_norms(X, Y, B, np.array([lambd / B, lambd / 64]), steps, np.random.default_rng(5))
    for m, value in zip((None, 64), got):
        model = MLP([10, 1], penalty="l2", lambd=lambd, penalty_m=m)
        total = np.zeros(10)
        for step in range(steps):
            _, g = model.loss_and_flat_grad(X[order[step]], Y[order[step]], training=False)
            model.theta -= R.BATCH_LR * g
            if step >= steps // 2:
                total += model.theta[:10]
        assert value == pytest.approx(np.linalg.norm(total / (steps - steps // 2)), rel=1e-12)


def test_max_norm_keeps_a_large_learning_rate_from_diverging_without_making_it_good():
    fig = run("dropout_max_norm")
    plain, bounded = fig.series
    assert list(plain.x) == [0.1, 0.3, 1.0] and list(bounded.x) == [0.1, 0.3, 1.0, 3.0]
    assert any(n.startswith("dropout: diverged at 3") for n in fig.notes)
    assert np.array_equal(plain.y, bounded.y[:3]), "the constraint never binds below lr 3 at c = 3"
    assert bounded.y[3] > bounded.y.min() + 0.2, "surviving lr 3 is not the same as doing well at it"
    assert plain.x[np.argmin(plain.y)] == bounded.x[np.argmin(bounded.y)] == 0.3
    tight = run("dropout_max_norm", c=2.0)
    assert not np.array_equal(tight.series[1].y[:3], plain.y), "c = 2 binds earlier"
    loose = run("dropout_max_norm", c=10.0)
    assert loose.series[1].x.size == 3, "c = 10 is too loose to stop the divergence"
    heavy = run("dropout_max_norm", keep_prob=0.2)
    assert [s.label for s in heavy.series] == ["dropout + max-norm (c=3)"] and heavy.series[0].x.size == 4
    assert "dropout: diverged at every lr" in heavy.notes


def test_dropout_with_l2_weight_decay_route_is_the_l2_penalty_bit_for_bit():
    from tutor.core.experiments.dropout import DROPOUT_N_TRAIN, _final_val

    for lam, kp in ((0.3, 0.7), (3.0, 1.0)):
        assert _final_val(0, 20, penalty="l2", lambd=lam, keep_prob=kp) == \
            _final_val(0, 20, weight_decay=lam / DROPOUT_N_TRAIN, keep_prob=kp)
