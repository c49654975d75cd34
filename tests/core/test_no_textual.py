"""tutor.core's import surface: no Textual (the reference runs without the UI), and every contract
name of curriculum.md importable from ``tutor.core`` with exactly the contract's signature."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest


def test_core_imports_no_textual():
    code = (
        "import sys, tutor.core, tutor.core.optimizers, tutor.core.schedules, tutor.core.dropout, "
        "tutor.core.regularization, tutor.core.selection, tutor.core.minibatch\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(repr(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"tutor.core imported: {out.stdout.strip()}"


def test_core_imports_no_torch_or_sklearn():
    code = (
        "import sys, tutor.core\n"
        "print(sorted(m for m in ('torch', 'sklearn', 'scipy', 'textual') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# ---- the import surface: every contract name of curriculum.md, with its exact signature -----------

_E = inspect.Parameter.empty
CONTRACT = {
    "make_minibatches": [("X", _E), ("Y", _E), ("batch_size", _E), ("rng", _E)],
    "step_decay": [("lr0", _E), ("epoch", _E), ("drop", _E), ("epochs_per_drop", _E)],
    "exponential_decay": [("lr0", _E), ("epoch", _E), ("k", _E)],
    "time_decay": [("lr0", _E), ("epoch", _E), ("decay_rate", _E)],
    "warmup_cosine": [("step", _E), ("total_steps", _E), ("lr_max", _E), ("warmup_steps", _E), ("lr_min", 0.0)],
    "momentum_update": [("w", _E), ("dw", _E), ("v", _E), ("lr", _E), ("beta", 0.9)],
    "adagrad_update": [("w", _E), ("dw", _E), ("cache", _E), ("lr", _E), ("eps", 1e-8)],
    "rmsprop_update": [("w", _E), ("dw", _E), ("cache", _E), ("lr", _E), ("beta", 0.9), ("eps", 1e-8)],
    "adam_update": [("w", _E), ("dw", _E), ("v", _E), ("s", _E), ("t", _E), ("lr", 0.001), ("beta1", 0.9),
                    ("beta2", 0.999), ("eps", 1e-8)],
    "adamax_update": [("w", _E), ("dw", _E), ("v", _E), ("u", _E), ("t", _E), ("lr", 0.002), ("beta1", 0.9),
                      ("beta2", 0.999), ("eps", 1e-8)],
    "nadam_update": [("w", _E), ("dw", _E), ("v", _E), ("s", _E), ("t", _E), ("lr", 0.002), ("beta1", 0.9),
                     ("beta2", 0.999), ("eps", 1e-8)],
    "l2_cost": [("params", _E), ("lambd", _E), ("m", _E)],
    "l2_grads": [("grads", _E), ("params", _E), ("lambd", _E), ("m", _E)],
    "l1_cost": [("params", _E), ("lambd", _E), ("m", _E)],
    "l1_grads": [("grads", _E), ("params", _E), ("lambd", _E), ("m", _E)],
    "elastic_net_cost": [("params", _E), ("lambd1", _E), ("lambd2", _E), ("m", _E)],
    "elastic_net_grads": [("grads", _E), ("params", _E), ("lambd1", _E), ("lambd2", _E), ("m", _E)],
    "dropout_forward": [("A", _E), ("keep_prob", _E), ("rng", _E)],
    "dropout_backward": [("dA", _E), ("mask", _E)],
    "dropconnect_forward": [("A_prev", _E), ("W", _E), ("b", _E), ("keep_prob", _E), ("rng", _E)],
    "spatial_dropout_forward": [("A", _E), ("keep_prob", _E), ("rng", _E)],
    "early_stopping": [("val_losses", _E), ("patience", _E)],
    "kfold_indices": [("m", _E), ("k", _E), ("rng", _E)],
    # classes: the contract's leading parameters; extra keyword arguments with defaults may follow
    "Dropout": [("keep_prob", _E)],
    "SGD": [("lr", _E)],
    "Momentum": [("lr", _E), ("beta", 0.9)],
    "Adam": [("lr", 0.001), ("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8)],
}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_name_and_signature(name):
    import tutor.core

    assert name in tutor.core.__all__
    obj = getattr(tutor.core, name)
    params = [(p.name, p.default) for p in inspect.signature(obj).parameters.values()]
    expected = CONTRACT[name]
    if inspect.isclass(obj):
        assert params[: len(expected)] == expected
        assert all(default is not _E for _, default in params[len(expected):]), "extra arguments need defaults"
    else:
        assert params == expected


def test_dropout_layer_methods():
    from tutor.core import Dropout

    fwd = [(p.name, p.default) for p in inspect.signature(Dropout.forward).parameters.values()]
    assert fwd == [("self", _E), ("A", _E), ("rng", _E), ("training", True)]
    assert [p.name for p in inspect.signature(Dropout.backward).parameters.values()] == ["self", "dA"]


def test_optimizer_classes_exported():
    import tutor.core

    for name in ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaMax", "Nadam", "AdamW",
                 "make_optimizer", "OPTIMIZERS"):
        assert name in tutor.core.__all__ and hasattr(tutor.core, name)
