"""Every plot's experiment: names and settings of docs/internals.md, finite deterministic figures,
ValueError on bad settings, and the claims each docstring makes about the defaults."""

from __future__ import annotations

import functools
import re
import inspect

import numpy as np
import pytest

from tutor.core import experiments as E
from tutor.core.figure import Figure, Series
from tutor.core.selection import early_stopping

# The table of docs/internals.md ("Figures and experiments"): name -> settings it must take.
TABLE = {
    "gd_variants": ["lr", "batch_size", "epochs", "seed"],
    "learning_rate_curves": ["lr", "steps", "seed"],
    "landscape_steps": ["lr", "steps"],
    "lr_range_test_plot": ["lr_min", "lr_max", "steps", "seed"],
    "schedule_shapes": ["lr0", "epochs", "drop", "epochs_per_drop", "k", "decay_rate", "warmup_steps", "lr_min"],
    "decay_training": ["lr0", "schedule", "epochs", "seed"],
    "valley_paths": ["lr", "beta", "steps", "condition"],
    "momentum_beta_sweep": ["lr", "steps", "condition"],
    "ewa_bias_correction": ["beta", "steps", "seed"],
    "adagrad_effective_lr": ["lr", "steps", "seed"],
    "rmsprop_vs_adagrad": ["lr", "beta", "steps", "seed"],
    "adam_bias_correction": ["lr", "beta1", "beta2", "steps", "seed"],
    "adam_variants": ["lr", "steps", "seed"],
    "optimizer_race": ["problem", "steps", "seed"],
    "steps_to_target": ["problem", "target", "seed"],
    "optimizer_memory": ["n_params"],
    "overfitting_curves": ["hidden", "epochs", "n_train", "seed"],
    "weight_histogram": ["lambd", "epochs", "seed"],
    "l2_validation_curves": ["lambd", "epochs", "seed"],
    "decision_boundary": ["lambd", "hidden", "epochs", "seed"],
    "l2_vs_adamw": ["lr", "wd", "steps", "seed"],
    "sparsity_l1_vs_l2": ["lambd", "epochs", "threshold", "seed"],
    "elastic_net_weights": ["lambd1", "lambd2", "seed"],
    "regularization_path_plot": ["lambd_min", "lambd_max", "seed"],
    "cv_lambda_grid": ["k", "seed"],
    "early_stopping_curve": ["patience", "epochs", "seed"],
    "dropout_kept_units": ["keep_prob", "units", "trials", "seed"],
    "dropout_test_time": ["keep_prob", "seed"],
    "dropout_training": ["keep_prob", "epochs", "seed"],
    "dropout_train_val": ["keep_prob", "epochs", "seed"],
    "keep_prob_grid": ["epochs", "seed"],
    # issue 12: the new visual content
    "preconditioning_paths": ["optimizer", "lr", "angle", "condition", "steps"],
    "effective_step_vs_curvature": ["optimizer", "lr", "steps", "seed"],
    "update_ratio": ["lr", "steps", "seed"],
    "gradient_clipping": ["max_norm", "lr", "steps", "show", "seed"],
    "l2_batch_size": ["lambd", "n_train", "steps", "seed"],
    "dropout_weight_histogram": ["keep_prob", "epochs", "layer", "seed"],
    "dropout_activations": ["keep_prob", "epochs", "layer", "show", "seed"],
    "layerwise_keep_prob": ["epochs", "seed"],
    "dropout_with_l2": ["keep_prob", "epochs", "seed"],
    "dropout_max_norm": ["c", "keep_prob", "epochs", "seed"],
}

OPTIMIZER_LABELS = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaMax", "Nadam", "AdamW"]

# Expected series labels with the defaults (prefixes where the label carries a value).
LABELS = {
    "gd_variants": ["batch", "mini-batch (10)", "stochastic (1)"],
    "learning_rate_curves": ["too small", "good", "too large", "divergent", "your lr"],
    "landscape_steps": ["loss f(w) = w²", "GD path", "iterates"],
    "lr_range_test_plot": ["smoothed loss", "batch loss"],
    "schedule_shapes": ["constant", "step decay", "exponential", "time-based", "warm-up + cosine"],
    "decay_training": ["constant lr", "step decay"],
    "valley_paths": ["SGD", "momentum (β=0.9)", "start", "minimum"],
    "momentum_beta_sweep": ["β=0", "β=0.5", "β=0.9", "β=0.99"],
    "ewa_bias_correction": ["signal", "EWA", "EWA, bias-corrected"],
    "adagrad_effective_lr": ["frequent feature", "rare feature"],
    "rmsprop_vs_adagrad": ["AdaGrad", "RMSProp (β=0.9)"],
    "adam_bias_correction": ["corrected", "v uncorrected", "both uncorrected"],
    "adam_variants": ["Adam", "AdaMax", "Nadam"],
    "optimizer_race": OPTIMIZER_LABELS,
    "steps_to_target": OPTIMIZER_LABELS,
    "optimizer_memory": OPTIMIZER_LABELS,
    "overfitting_curves": ["training loss", "validation loss"],
    "weight_histogram": ["without L2", "with L2"],
    "l2_validation_curves": ["training, no L2", "validation, no L2", "training, L2", "validation, L2"],
    "decision_boundary": ["class 0", "class 1", "boundary, no L2", "boundary, L2"],
    "l2_vs_adamw": ["Adam", "Adam + L2", "AdamW"],
    "sparsity_l1_vs_l2": ["no penalty", "L2", "L1"],
    "elastic_net_weights": ["L1", "L2", "Elastic Net"],
    "regularization_path_plot": [f"w{i}" for i in range(1, 9)],
    "cv_lambda_grid": ["validation (mean of 5 folds)", "training (mean of 5 folds)"],
    "early_stopping_curve": ["training loss", "validation loss", "best epoch", "stop"],
    "dropout_kept_units": ["share kept", "keep_prob", "mean activation", "mean without dropout"],
    "dropout_test_time": [
        "train, inverted", "test, inverted (no dropout)", "train, not inverted",
        "test, not inverted, unscaled", "test, not inverted, × p",
    ],
    "dropout_training": ["without dropout", "with dropout"],
    "dropout_train_val": ["training, no dropout", "validation, no dropout", "training, dropout", "validation, dropout"],
    "keep_prob_grid": ["validation loss", "training loss"],
    "preconditioning_paths": ["GD (lr=1)", "RMSProp (lr=0.1)", "start", "minimum"],
    "effective_step_vs_curvature": ["RMSProp: lr/√s", "Newton: 1/h", "GD: lr=0.1"],
    "update_ratio": ["W1", "W2", "W3", "1e-3"],
    "gradient_clipping": ["no clipping", "clipped (max_norm=1)"],
    "l2_batch_size": ["m = B (the batch)", "m = N (the training set)"],
    "dropout_weight_histogram": ["without dropout", "with dropout (keep_prob=0.7), downwards"],
    "dropout_activations": ["without dropout", "with dropout (keep_prob=0.7)"],
    "layerwise_keep_prob": ["input keep_prob 1.0", "input keep_prob 0.8"],
    "dropout_with_l2": ["L2 alone", "L2 + dropout (keep_prob=0.7)"],
    "dropout_max_norm": ["dropout", "dropout + max-norm (c=3)"],
}


@functools.cache
def default(name: str) -> Figure:
    return E.EXPERIMENTS[name]()


def test_every_table_experiment_exists_and_nothing_else_is_registered():
    assert set(TABLE) == set(E.EXPERIMENTS)
    assert set(TABLE) == set(LABELS)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_settings_are_keyword_only_with_defaults(name):
    fn = getattr(E, name)
    params = inspect.signature(fn).parameters
    for setting in TABLE[name]:
        assert setting in params, f"{name} lacks the setting {setting}"
    for p in params.values():
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}({p.name}) must be keyword-only"
        assert p.default is not inspect.Parameter.empty, f"{name}({p.name}) needs a default"
    assert "Notice" in (fn.__doc__ or ""), f"{name} must say what to notice"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_defaults_give_a_finite_figure_with_the_expected_series(name):
    fig = default(name)
    assert isinstance(fig, Figure)
    labels = fig.labels()
    assert len(labels) == len(LABELS[name]), labels
    for got, want in zip(labels, LABELS[name]):
        assert got.startswith(want), (got, want)
    for s in fig.series:
        assert isinstance(s, Series)
        assert s.x.dtype == np.float64 and s.y.dtype == np.float64
        assert s.x.size >= 1
        assert np.all(np.isfinite(s.x)) and np.all(np.isfinite(s.y))
        assert np.all(np.abs(s.y) < 1e300)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_deterministic(name):
    assert E.EXPERIMENTS[name]() == default(name)


@pytest.mark.parametrize("name", [n for n in sorted(TABLE) if "seed" in TABLE[n] and n != "dropout_test_time"])
def test_the_seed_matters(name):
    assert E.EXPERIMENTS[name](seed=12345) != default(name)


def _bad_values(name: str, setting: str, default_value):
    if isinstance(default_value, str):
        return ["no-such-choice", 3]
    if isinstance(default_value, int):
        return [-10**12, 10**12, 1.5, "7", True]
    return [-1e12, 1e12, float("nan"), float("inf"), "0.1", None]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_bad_settings_raise_value_error_naming_the_setting(name):
    fn = getattr(E, name)
    for setting, p in inspect.signature(fn).parameters.items():
        for bad in _bad_values(name, setting, p.default):
            with pytest.raises(ValueError, match=setting):
                fn(**{setting: bad})


def test_cross_setting_constraints():
    with pytest.raises(ValueError, match="lr_max"):
        E.lr_range_test_plot(lr_min=1.0, lr_max=0.5)
    with pytest.raises(ValueError, match="warmup_steps"):
        E.schedule_shapes(epochs=10, warmup_steps=10)
    with pytest.raises(ValueError, match="lr_min"):
        E.schedule_shapes(lr0=0.1, lr_min=0.2)
    with pytest.raises(ValueError, match="lambd_max"):
        E.regularization_path_plot(lambd_min=10.0, lambd_max=1.0)


# ------------------------------------------------------------------ what the docstrings promise


def _by_label(fig: Figure) -> dict[str, Series]:
    return {s.label.split(" (")[0] if not s.label.startswith("β") else s.label: s for s in fig.series}


def test_gd_variants_batch_is_smooth_and_stochastic_noisy():
    s = _by_label(default("gd_variants"))
    batch, mini, sto = s["batch"], s["mini-batch"], s["stochastic"]
    assert (batch.x.size, mini.x.size, sto.x.size) == (21, 101, 1001)
    assert batch.x[-1] == mini.x[-1] == sto.x[-1] == 20.0, "all three share the epoch axis"
    assert np.all(np.diff(batch.y) < 0), "batch GD on a convex loss only goes down"

    def ups(y):  # share of updates after which the loss went up
        return float(np.mean(np.diff(y) > 0))

    assert ups(sto.y) > 0.3 and ups(mini.y) > 0.1
    assert sto.y[-200:].std() > 10 * mini.y[-20:].std(), "stochastic keeps jittering"
    assert sto.y[50] < mini.y[10] < batch.y[1], "after one epoch, more updates went further"


def test_learning_rate_curves():
    fig = default("learning_rate_curves")
    s = {x.label.split(" (")[0]: x for x in fig.series}
    assert s["divergent"].note.startswith("diverged at step")
    assert any("diverged at step" in n for n in fig.notes)
    assert s["divergent"].y.size < s["good"].y.size
    assert s["good"].y[-1] < s["too large"].y[-1] < s["too small"].y[-1]
    assert s["good"].y[-1] < 1e-6 * s["good"].y[0]
    cut = E.learning_rate_curves(lr=3.0)
    assert cut.series[-1].note.startswith("diverged at step")
    assert np.all(cut.series[-1].y <= 1e3 * cut.series[-1].y[0])


def test_landscape_steps():
    zig = E.landscape_steps(lr=0.8, steps=6)
    path = zig.get("GD path").x
    assert np.all(np.sign(path[1:]) != np.sign(path[:-1]))
    assert E.landscape_steps(lr=0.5).get("GD path").x[1] == 0.0
    div = E.landscape_steps(lr=1.2, steps=50)
    assert div.get("GD path").note.startswith("diverged at step")
    assert np.all(np.abs(div.get("GD path").x) <= 3.0)
    assert np.all(np.diff(default("landscape_steps").get("GD path").y) < 0)


def test_lr_range_test_plot_suggests_a_rate():
    fig = default("lr_range_test_plot")
    assert fig.notes[0].startswith("suggested rate ")
    suggested = float(fig.notes[0].split()[-1])
    lrs = fig.series[0].x
    assert lrs[0] <= suggested <= lrs[-1]
    assert np.all(np.diff(lrs) > 0)


def test_schedule_shapes_follow_the_formulas():
    s = _by_label(default("schedule_shapes"))
    assert s["step decay"].y[9] == pytest.approx(0.1) and s["step decay"].y[10] == pytest.approx(0.05)
    assert s["exponential"].y[20] == pytest.approx(0.1 * np.exp(-0.05 * 20))
    assert s["time-based"].y[10] == pytest.approx(0.1 / 2)
    wc = s["warm-up + cosine"].y
    assert wc[0] == pytest.approx(0.02) and wc[4] == pytest.approx(0.1) and wc[-1] < 0.001


def test_decay_beats_a_constant_rate():
    for schedule in ("step", "exponential", "time", "cosine"):
        fig = E.decay_training(schedule=schedule)
        const, decay = fig.series
        assert decay.y[-1] < const.y[-1] / 5, schedule


def test_valley_paths():
    fig = default("valley_paths")
    sgd, mom = fig.series[0], fig.series[1]
    assert np.hypot(mom.x[-1], mom.y[-1]) < 0.5 * np.hypot(sgd.x[-1], sgd.y[-1])
    zigzags = np.sum(np.sign(sgd.y[1:20]) != np.sign(sgd.y[:19]))
    assert zigzags >= 15, "SGD jumps from wall to wall"
    assert np.sum(np.sign(mom.y[1:20]) != np.sign(mom.y[:19])) < zigzags
    hot = E.valley_paths(lr=2.5)
    assert hot.series[0].note.startswith("diverged at step") and hot.series[1].note == ""


def test_momentum_beta_sweep_has_a_sweet_spot():
    s = {x.label: x.y[-1] for x in default("momentum_beta_sweep").series}
    assert s["β=0.9"] < s["β=0.5"] < s["β=0"]
    assert s["β=0.9"] < s["β=0.99"]


def test_ewa_bias_correction():
    s = _by_label(default("ewa_bias_correction"))
    theta, ewa, cor = s["signal"].y, s["EWA"].y, s["EWA, bias-corrected"].y
    assert ewa[0] == pytest.approx(0.1 * theta[0])
    assert cor[0] == pytest.approx(theta[0])
    assert abs(cor[-1] - ewa[-1]) < 0.01 * abs(ewa[-1])
    assert np.all(ewa[:5] < 0.6 * theta[:5])


def test_adagrad_rates():
    s = _by_label(default("adagrad_effective_lr"))
    freq, rare = s["frequent feature"].y, s["rare feature"].y
    assert np.all(np.diff(freq) <= 0) and np.all(np.diff(rare) <= 0)
    assert rare[-1] > 3 * freq[-1]


def test_rmsprop_keeps_going_where_adagrad_stalls():
    ada, rms = default("rmsprop_vs_adagrad").series
    assert rms.y[-1] < ada.y[-1] / 10


def test_adam_bias_correction():
    s = _by_label(default("adam_bias_correction"))
    cor, v_un, both = s["corrected"].y, s["v uncorrected"].y, s["both uncorrected"].y
    assert np.all(v_un[1:15] > cor[1:15]), "without correcting v the start is slow"
    assert both[5] < cor[5], "without correcting s the first steps are too large"
    assert np.any(np.diff(both[:30]) > 0.05), "and the loss bounces"
    steps = _by_label(E.adam_bias_correction(show="step"))
    assert steps["corrected"].y[0] == pytest.approx(1.0, rel=1e-6)
    assert steps["v uncorrected"].y[0] == pytest.approx(0.1, rel=1e-6)
    assert steps["both uncorrected"].y[0] == pytest.approx(0.1 / np.sqrt(0.001), rel=1e-5)


def test_adam_variants_all_learn():
    for s in default("adam_variants").series:
        assert s.y[-1] < 0.2 * s.y[0]


def test_optimizer_race_and_steps_to_target():
    race = {s.label: s for s in default("optimizer_race").series}
    assert race["Adam"].y[-1] < race["SGD"].y[-1] / 5
    for problem in ("rosenbrock", "regression"):
        fig = E.optimizer_race(problem=problem, steps=30)
        assert len(fig.series) == 9
    bars = {s.label: s.y[0] for s in default("steps_to_target").series}
    assert bars["SGD"] > 2 * bars["Adam"]
    assert all(s.kind == "bar" and s.x[0] == i for i, s in enumerate(default("steps_to_target").series))
    unreachable = E.steps_to_target(target=1e-9, max_steps=20)
    assert all(s.y[0] == 20 and s.note for s in unreachable.series)


def test_optimizer_memory_counts_state_arrays():
    bars = {s.label: s.y[0] for s in E.optimizer_memory(n_params=1000).series}
    assert bars["SGD"] == 0
    for name in ("Momentum", "Nesterov", "AdaGrad", "RMSProp"):
        assert bars[name] == 8000
    for name in ("Adam", "AdaMax", "Nadam", "AdamW"):
        assert bars[name] == 16000
    big = {s.label: s.y[0] for s in E.optimizer_memory(n_params=10**9).series}
    assert big["Adam"] == 16e9


def test_overfitting_curves():
    tr, va = default("overfitting_curves").series
    best = int(np.argmin(va.y))
    assert 0 < best < 30, "the validation minimum comes early"
    assert va.y[-1] > 1.5 * va.y[best], "then the validation loss climbs"
    assert tr.y[-1] < 0.01 * tr.y[0], "while the training loss keeps falling"


def test_weight_histogram_is_narrower_with_l2():
    without, with_l2 = default("weight_histogram").series

    def spread(s):
        return float(np.sqrt(np.sum(s.y * s.x**2) / np.sum(s.y)))

    assert spread(with_l2) < 0.5 * spread(without)
    assert without.y.sum() == with_l2.y.sum()


def test_l2_validation_curves():
    tr0, va0, tr1, va1 = default("l2_validation_curves").series
    assert va1.y[-1] < 0.5 * va0.y[-1]
    assert tr1.y[-1] > tr0.y[-1]


def test_decision_boundary():
    fig = default("decision_boundary")
    assert all(s.kind == "scatter" for s in fig.series)
    assert fig.series[0].x.size + fig.series[1].x.size == 40


def test_l2_vs_adamw_differ():
    adam, l2, adamw = default("l2_vs_adamw").series
    assert np.max(np.abs(l2.y - adamw.y)) > 0.05 * adam.y[-1]
    assert l2.y[-1] < adam.y[-1] and adamw.y[-1] < adam.y[-1]
    assert adam.y[0] == l2.y[0] == adamw.y[0]


def test_sparsity_l1_vs_l2():
    none, l2, l1 = (s.y[0] for s in default("sparsity_l1_vs_l2").series)
    assert l1 > l2 + 0.5
    assert l1 >= 0.75


def test_elastic_net_weights():
    l1, l2, en = default("elastic_net_weights").series
    assert np.all(l1.y[6:] == 0.0) and np.all(en.y[6:] == 0.0), "the noise features are dropped"
    assert np.all(l2.y != 0.0)
    spread = lambda w: np.ptp(np.abs(w[:3])) + np.ptp(np.abs(w[3:6]))  # noqa: E731
    assert spread(l2.y) < spread(l1.y) and spread(en.y) < spread(l1.y)


def test_regularization_path():
    fig = default("regularization_path_plot")
    W = np.stack([s.y for s in fig.series], axis=1)
    lambdas = fig.series[0].x
    assert np.all(np.diff(lambdas) > 0)
    assert np.sum(W[-1] != 0) <= 1 and np.sum(W[0] != 0) == 8
    l2 = E.regularization_path_plot(penalty="l2")
    assert all(np.all(s.y != 0) for s in l2.series)


def test_cv_lambda_grid_is_u_shaped():
    val, tr = default("cv_lambda_grid").series
    best = int(np.argmin(val.y))
    assert 0 < best < val.y.size - 1
    assert np.all(np.diff(tr.y) >= -1e-12)
    assert float(default("cv_lambda_grid").notes[0].split()[3]) == pytest.approx(val.x[best], rel=1e-2)


def test_early_stopping_curve_marks_the_rule():
    fig = default("early_stopping_curve")
    val = fig.series[1].y[1:]
    best, stop = early_stopping(val, 10)
    assert fig.series[2].x[0] == best + 1 and fig.series[3].x[0] == stop + 1
    assert stop - best == 10


def test_dropout_kept_units():
    fig = E.dropout_kept_units(keep_prob=0.6, units=400, trials=200)
    share, mean = fig.series[0].y, fig.series[2].y
    sd = np.sqrt(0.6 * 0.4 / 400)
    assert abs(share.mean() - 0.6) < 4 * sd / np.sqrt(200)
    assert abs(mean.mean() - 1.0) < 4 * sd / 0.6 / np.sqrt(200)
    assert np.allclose(mean, share / 0.6)


def test_dropout_test_time():
    bars = [s.y[0] for s in E.dropout_test_time(keep_prob=0.5).series]
    assert bars[0] == pytest.approx(bars[1], rel=0.05)
    assert bars[2] == pytest.approx(0.5 * bars[1], rel=0.05)
    assert bars[3] == bars[1] and bars[4] == pytest.approx(0.5 * bars[1])


def test_dropout_training_and_validation():
    without, with_d = default("dropout_training").series
    assert with_d.y[-10:].mean() > 10 * without.y[-10:].mean()
    tr0, va0, tr1, va1 = default("dropout_train_val").series
    assert va1.y[-1] < va0.y[-1]
    assert va1.y[-1] - tr1.y[-1] < va0.y[-1] - tr0.y[-1]


def test_keep_prob_grid_has_an_interior_optimum():
    val, tr = default("keep_prob_grid").series
    best = int(np.argmin(val.y))
    assert 0 < best < val.y.size - 1
    assert tr.y[-1] < tr.y[0]


def test_modelling_modules_import_no_textual_torch_or_sklearn():
    import subprocess
    import sys

    code = (
        "import sys, tutor.core.figure, tutor.core.data, tutor.core.model, tutor.core.gradcheck, "
        "tutor.core.training, tutor.core.experiments\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'torch', 'sklearn', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_integral_floats_are_accepted_for_integer_settings():
    assert E.landscape_steps(steps=10.0) == E.landscape_steps(steps=10)
    assert E.ewa_bias_correction(steps=np.int64(20), seed=np.float64(3.0)) == E.ewa_bias_correction(steps=20, seed=3)


EXTREMES = [
    ("gd_variants", dict(lr=0.5, batch_size=1, epochs=1)),
    ("learning_rate_curves", dict(lr=5.0, steps=500)),
    ("learning_rate_curves", dict(lr=1e-12, steps=2)),
    ("landscape_steps", dict(lr=2.0, steps=100, start=-2.9)),
    ("landscape_steps", dict(lr=1.0, steps=100, start=0.0)),
    ("lr_range_test_plot", dict(lr_min=1e-6, lr_max=2e-6, steps=10)),
    ("lr_range_test_plot", dict(lr_min=50.0, lr_max=100.0, steps=10)),
    ("schedule_shapes", dict(lr0=10.0, epochs=2, drop=1e-9, epochs_per_drop=1, k=10.0, decay_rate=100.0,
                             warmup_steps=1, lr_min=10.0)),
    ("decay_training", dict(lr0=0.5, schedule="cosine", epochs=2)),
    ("valley_paths", dict(lr=10.0, beta=0.999, steps=300, condition=1000.0)),
    ("valley_paths", dict(lr=1e-9, beta=0.0, steps=1, condition=1.0)),
    ("momentum_beta_sweep", dict(lr=10.0, steps=300, condition=1000.0)),
    ("ewa_bias_correction", dict(beta=0.999, steps=1000)),
    ("ewa_bias_correction", dict(beta=0.0, steps=2)),
    ("adagrad_effective_lr", dict(lr=1e-9, steps=20)),
    ("rmsprop_vs_adagrad", dict(lr=1.0, beta=0.999, steps=10)),
    ("adam_bias_correction", dict(lr=1.0, beta1=0.0, beta2=0.0, steps=100)),
    ("adam_bias_correction", dict(lr=1.0, beta1=0.9999, beta2=0.9999, steps=2, show="step")),
    ("adam_variants", dict(lr=1.0, steps=10)),
    ("optimizer_race", dict(problem="regression", steps=10)),
    ("steps_to_target", dict(problem="rosenbrock", target=100.0, max_steps=10)),
    ("optimizer_memory", dict(n_params=1)),
    ("overfitting_curves", dict(hidden=2, epochs=10, n_train=10)),
    ("weight_histogram", dict(lambd=100.0, epochs=10)),
    ("decision_boundary", dict(lambd=100.0, hidden=2, epochs=10)),
    ("l2_vs_adamw", dict(lr=0.1, wd=1.0, steps=10)),
    ("sparsity_l1_vs_l2", dict(lambd=100.0, epochs=10, threshold=1.0)),
    ("elastic_net_weights", dict(lambd1=1000.0, lambd2=0.0)),
    ("elastic_net_weights", dict(lambd1=0.0, lambd2=0.0)),
    ("regularization_path_plot", dict(lambd_min=1e-4, lambd_max=1e4)),
    ("cv_lambda_grid", dict(k=2)),
    ("early_stopping_curve", dict(patience=200, epochs=10)),
    ("dropout_kept_units", dict(keep_prob=1e-9, units=1, trials=1)),
    ("dropout_test_time", dict(keep_prob=1e-9)),
    ("dropout_training", dict(keep_prob=1e-3, epochs=5)),
    ("dropout_train_val", dict(keep_prob=0.01, epochs=5)),
    ("keep_prob_grid", dict(epochs=5)),
]


@pytest.mark.parametrize("name,settings", EXTREMES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(EXTREMES)])
def test_extreme_valid_settings_give_a_finite_figure(name, settings):
    fig = E.EXPERIMENTS[name](**settings)
    assert all(s.x.size >= 1 for s in fig.series)
    for s in fig.series:
        if s.note.startswith("diverged at step"):
            assert any(s.note in n for n in fig.notes)


# The lessons' captions quote the numbers of these notes (lessons/0*/…yaml, "caption:"). If a change
# to an experiment moves them, update the captions that quote them, then these expectations.
GOLDEN_NOTES = {
    'learning_rate_curves': ('divergent (lr=2.2): diverged at step 28',),
    'lr_range_test_plot': ('suggested rate 0.705', 'lowest smoothed loss at lr 7.05'),
    'decay_training': ('constant lr: final J − J* = 0.0347', 'step decay: final J − J* = 8.88e-06'),
    'valley_paths': ('SGD: distance to the minimum after 60 steps 0.391', 'momentum (β=0.9): distance to the minimum after 60 steps 0.126'),
    'ewa_bias_correction': ('first step: EWA 1.04, corrected 10.4, signal 10.4',),
    'adagrad_effective_lr': ('after 200 steps: frequent 0.0747, rare 0.327 (4.38× larger)',),
    'rmsprop_vs_adagrad': ('AdaGrad: final loss 0.229', 'RMSProp (β=0.9): final loss 0.000981'),
    'adam_variants': ('Adam: final loss 0.0208', 'AdaMax: final loss 0.089', 'Nadam: final loss 0.0171'),
    'optimizer_race': ('learning rates: SGD 1, Momentum 3, Nesterov 3, AdaGrad 0.1, RMSProp 0.01, Adam 0.03, AdaMax 0.06, Nadam 0.03, AdamW 0.03',),
    'optimizer_memory': ('the parameters themselves take 7.63 MiB',),
    'overfitting_curves': ('lowest validation loss 0.746 at epoch 3; at the end: validation 2, training 8.88e-05',),
    'weight_histogram': ('weight std: without L2 0.341, with L2 0.0563',),
    'l2_validation_curves': ('final validation loss: no L2 2, L2 0.536',),
    'decision_boundary': ('accuracy on new points: no L2 76%, L2 80%',),
    'l2_vs_adamw': ('Adam: validation loss 2', 'Adam + L2 (λ/m=0.1): validation loss 0.536', 'AdamW (wd=0.1): validation loss 1.69'),
    'sparsity_l1_vs_l2': ('no penalty: 3 of 40 weights below 0.01', 'L2: 5 of 40 weights below 0.01', 'L1: 33 of 40 weights below 0.01'),
    'elastic_net_weights': ('L1 (λ1=10): 6 weights exactly 0', 'L2 (λ2=10): 0 weights exactly 0', 'Elastic Net: 4 weights exactly 0'),
    'regularization_path_plot': ('at λ=100: 1 non-zero weights; at λ=0.1: 8',),
    'cv_lambda_grid': ('chosen λ = 0.316 (lowest mean validation loss 0.0438)',),
    'early_stopping_curve': ('best epoch 3 (validation 0.746); stopped at epoch 13',),
    'dropout_kept_units': ('share kept: mean 0.795, expected 0.8 ± 0.04', 'mean activation: mean 0.993, expected 1'),
    'dropout_test_time': ('mean activation without dropout 0.405; keep_prob 0.5',),
    'dropout_train_val': ('final validation loss: no dropout 0.466, dropout 0.276',),
    'keep_prob_grid': ('best keep_prob 0.8 (validation loss 0.294)',),
}

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


@pytest.mark.parametrize("name", sorted(GOLDEN_NOTES))
def test_the_numbers_the_lessons_quote(name):
    got, want = default(name).notes, GOLDEN_NOTES[name]
    assert len(got) == len(want), got
    for g, w in zip(got, want):
        assert _NUMBER.sub("#", g) == _NUMBER.sub("#", w), (g, w)
        for a, b in zip(_NUMBER.findall(g), _NUMBER.findall(w)):
            assert float(a) == pytest.approx(float(b), rel=0.02, abs=1e-12), (g, w)
