"""The experiments of module 9 (dropout): lessons 9.1 … 9.7."""

from __future__ import annotations

import math

import numpy as np

from ..dropout import dropout_forward
from ..figure import Figure, Series
from ._common import (
    _float,
    _fmt,
    _hist_series,
    _int,
    _overfit_train,
    _positive_floor,
    _rng,
    _seed,
    _series_with_cut,
    _steps_x,
)

__all__ = [
    "dropout_kept_units",
    "dropout_test_time",
    "dropout_training",
    "dropout_train_val",
    "keep_prob_grid",
]

# ================================================================================ 9 dropout


def dropout_kept_units(*, keep_prob: float = 0.8, units: int = 100, trials: int = 50, seed: int = 0) -> Figure:
    """Inverted dropout applied ``trials`` times to a layer of ``units`` activations all equal to 1.

    Each trial is one ``dropout_forward(A, keep_prob, rng)``. Series (x = trial): "share kept" (the
    fraction of units that survived), "keep_prob" (the expected share), "mean activation" (the mean
    of ``A·mask``: survivors are scaled by ``1/keep_prob``) and "mean without dropout" (1).

    Notice: the share kept scatters around ``keep_prob`` (less with more units: its standard
    deviation is ``√(p(1−p)/units)``), and the mean activation scatters around 1, the value without
    dropout: the ``1/keep_prob`` scaling keeps the expected activation unchanged, which is why
    nothing needs rescaling at test time. Ranges: ``0 < keep_prob ≤ 1``, ``1 ≤ units ≤ 10000``,
    ``1 ≤ trials ≤ 1000``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    units = _int("units", units, 1, 10_000)
    trials = _int("trials", trials, 1, 1000)
    seed = _seed(seed)
    rng = _rng(seed, 1)
    A = np.ones((1, units))
    share = np.empty(trials)
    mean = np.empty(trials)
    for i in range(trials):
        out, mask = dropout_forward(A, keep_prob, rng)
        share[i] = np.mean(mask > 0)
        mean[i] = out.mean()
    x = _steps_x(trials)
    sd = math.sqrt(keep_prob * (1 - keep_prob) / units)
    return Figure(
        (
            Series("share kept", x, share, kind="scatter"),
            Series("keep_prob", x, np.full(trials, keep_prob)),
            Series("mean activation", x, mean, kind="scatter"),
            Series("mean without dropout", x, np.ones(trials)),
        ),
        (
            f"share kept: mean {_fmt(float(share.mean()))}, expected {_fmt(keep_prob)} ± {_fmt(sd)}",
            f"mean activation: mean {_fmt(float(mean.mean()))}, expected 1",
        ),
    )


def dropout_test_time(*, keep_prob: float = 0.5, seed: int = 0) -> Figure:
    """Mean activation of a layer at training and at test time, with inverted and non-inverted dropout.

    Activations ``A = ReLU(z)``, ``z ~ N(0, 1)``, 200 examples × 100 units. Bars (x = 0 … 4):

    - "train, inverted": ``A·mask`` with ``mask = (r < p)/p`` — mean ≈ mean(A).
    - "test, inverted (no dropout)": ``A`` unchanged — the same mean: train and test agree.
    - "train, not inverted": ``A·(r < p)`` — mean ≈ p·mean(A).
    - "test, not inverted, unscaled" (the mistake): ``A`` — 1/p times what the next layer saw in
      training.
    - "test, not inverted, × p": the original paper's fix, scaling by p at test time — agrees again.

    Notice: inverted dropout does the scaling during training, so at test time you just switch
    dropout off; forgetting the scaling with the non-inverted form shifts every activation at test
    time. Ranges: ``0 < keep_prob ≤ 1``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    seed = _seed(seed)
    rng = _rng(seed, 1)
    A = np.maximum(rng.standard_normal((200, 100)), 0.0)
    dropped, mask = dropout_forward(A, keep_prob, rng)
    kept = (mask > 0).astype(np.float64)
    values = (
        ("train, inverted", float(dropped.mean())),
        ("test, inverted (no dropout)", float(A.mean())),
        ("train, not inverted", float((A * kept).mean())),
        ("test, not inverted, unscaled", float(A.mean())),
        ("test, not inverted, × p", float(A.mean() * keep_prob)),
    )
    series = tuple(
        Series(label, np.array([float(i)]), np.array([v]), kind="bar") for i, (label, v) in enumerate(values)
    )
    return Figure(series, (f"mean activation without dropout {_fmt(float(A.mean()))}; keep_prob {_fmt(keep_prob)}",))


# The dropout lessons use the regression version of the over-fitting set (20 examples, noise 0.3):
# with a squared loss the effect of dropout on the validation loss is easier to see than with
# cross-entropy, where a memorizing network's confidence dominates everything.
DROPOUT_N_TRAIN = 20


def _dropout_train(seed: int, keep_prob: float, epochs: int, *, eval_every: int = 1):
    return _overfit_train(seed, epochs=epochs, keep_prob=keep_prob, n_train=DROPOUT_N_TRAIN, eval_every=eval_every,
                          classification=False, noise=0.3)[1]


def dropout_training(*, keep_prob: float = 0.7, epochs: int = 150, seed: int = 0) -> Figure:
    """Training curves with and without dropout: the training loss as the optimizer sees it.

    A 10→40→40→1 ReLU regression network on 20 noisy examples (10 features, 3 useful), Adam
    (lr 0.01), full batch, trained twice from the same start: without dropout and with inverted
    dropout (``keep_prob`` on both hidden layers). y is the loss of each epoch's batch computed with
    dropout on — what a training log prints (x: epoch 1 … epochs; use a log y axis).

    Notice: without dropout the training loss dives towards 0; with dropout it is higher and
    noisier — every step trains a different thinned network, and a thinned network fits worse — and
    it levels off instead of reaching 0. That is expected, not a sign of a worse model: look at
    the validation loss (``dropout_train_val``). Ranges: ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 500``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 500)
    seed = _seed(seed)
    h0 = _dropout_train(seed, 1.0, epochs, eval_every=0)
    h1 = _dropout_train(seed, keep_prob, epochs, eval_every=0)
    notes: list[str] = []
    series = (
        _series_with_cut("without dropout", h0.epoch_loss, notes, factor=1e6),
        _series_with_cut(f"with dropout (keep_prob={_fmt(keep_prob)})", h1.epoch_loss, notes, factor=1e6),
    )
    series = tuple(Series(s_.label, s_.x, _positive_floor(s_.y), note=s_.note) for s_ in series)
    return Figure(series, tuple(notes))


def dropout_train_val(*, keep_prob: float = 0.7, epochs: int = 150, seed: int = 0) -> Figure:
    """Training and validation loss (evaluation mode: no dropout) with and without dropout.

    The runs of :func:`dropout_training` (100 validation examples); after each epoch both sets
    are evaluated with dropout off (x: epoch 0 … epochs). Series: "training, no dropout",
    "validation, no dropout", "training, dropout (keep_prob=…)", "validation, dropout (…)".

    Notice (defaults): without dropout the training loss drops to almost 0 while the validation
    loss stalls and creeps up — overfitting; with dropout the training loss stays well above 0 and
    the validation loss ends lower: the gap between the two is much smaller. On a network this
    small the gain on validation is modest and depends on the data (try other seeds); the smaller
    gap is always there. Ranges: ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 500``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 500)
    seed = _seed(seed)
    every = max(1, epochs // 200)
    h0 = _dropout_train(seed, 1.0, epochs, eval_every=every)
    h1 = _dropout_train(seed, keep_prob, epochs, eval_every=every)
    notes: list[str] = []
    lab = f"dropout (keep_prob={_fmt(keep_prob)})"
    series = (
        _hist_series("training, no dropout", h0, "train_loss", notes),
        _hist_series("validation, no dropout", h0, "val_loss", notes),
        _hist_series(f"training, {lab}", h1, "train_loss", notes),
        _hist_series(f"validation, {lab}", h1, "val_loss", notes),
    )
    series = tuple(Series(s_.label, s_.x, _positive_floor(s_.y), note=s_.note) for s_ in series)
    notes.append(f"final validation loss: no dropout {_fmt(series[1].y[-1])}, dropout {_fmt(series[3].y[-1])}")
    return Figure(series, tuple(notes))


KEEP_PROBS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def keep_prob_grid(*, epochs: int = 60, seed: int = 0) -> Figure:
    """Validation loss after ``epochs`` epochs for keep_prob ∈ {0.3, 0.4, …, 1.0} (a grid search).

    The setting of :func:`dropout_training`, one training run per keep_prob from the same start;
    losses measured in evaluation mode. Series (x = keep_prob): "validation loss" and "training
    loss". The note gives the best keep_prob.

    Notice: the training loss falls steadily as keep_prob rises — keep_prob = 1 (no dropout) fits
    the training set best; the validation loss does not follow it: very low keep_prob underfits
    (both high), keep_prob = 1 overfits, and the best validation loss lies in between (0.8 with the
    defaults; other seeds move it, and on some the data is easy enough that 1.0 wins). Ranges: ``5 ≤ epochs ≤ 300``.
    """
    epochs = _int("epochs", epochs, 5, 300)
    seed = _seed(seed)
    val = []
    tr = []
    for kp in KEEP_PROBS:
        h = _dropout_train(seed, kp, epochs, eval_every=epochs)
        val.append(h.val_loss[-1] if h.val_loss.size and h.diverged_at is None else math.nan)
        tr.append(h.train_loss[-1] if h.train_loss.size and h.diverged_at is None else math.nan)
    x = np.array(KEEP_PROBS)
    val_a, tr_a = np.array(val), np.array(tr)
    ok = np.isfinite(val_a) & np.isfinite(tr_a)
    notes = []
    if ok.any():
        best = int(np.argmin(np.where(ok, val_a, np.inf)))
        notes.append(f"best keep_prob {x[best]:g} (validation loss {_fmt(val_a[best])})")
    if not ok.all():
        notes.append("diverged for keep_prob " + ", ".join(f"{v:g}" for v in x[~ok]))
    if not ok.any():
        raise ValueError("every run diverged; lower the number of epochs")
    return Figure(
        (Series("validation loss", x[ok], val_a[ok]), Series("training loss", x[ok], _positive_floor(tr_a[ok]))),
        tuple(notes),
    )
