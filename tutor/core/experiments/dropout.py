"""The experiments of module 9 (dropout): lessons 9.1 … 9.7."""

from __future__ import annotations

import math

import numpy as np

from ..dropout import dropout_forward
from ..figure import Figure, Series
from ..model import MLP
from ..optimizers import make_optimizer
from ._common import (
    _choice,
    _histograms,
    _norm,
    _overfit_problem,
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
    "dropout_weight_histogram",
    "dropout_activations",
    "layerwise_keep_prob",
    "dropout_with_l2",
    "dropout_max_norm",
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


# ----------------------------------------------------------- 9.6 weights and activation patterns


def _dropout_pair(seed: int, keep_prob: float, epochs: int) -> tuple[MLP, MLP, np.ndarray]:
    """The network of 9.5 trained without and with dropout (same data, start and batches), and the
    100 validation inputs."""
    plain, _ = _overfit_train(seed, epochs=epochs, n_train=DROPOUT_N_TRAIN, eval_every=0,
                              classification=False, noise=0.3)
    dropped, _ = _overfit_train(seed, epochs=epochs, keep_prob=keep_prob, n_train=DROPOUT_N_TRAIN,
                                eval_every=0, classification=False, noise=0.3)
    X_val = _overfit_problem(seed, DROPOUT_N_TRAIN, classification=False, noise=0.3)[2]
    return plain, dropped, X_val


WEIGHT_LAYERS = ("all", "1", "2", "3")


def _layer_weights(model: MLP, layer: str) -> np.ndarray:
    if layer == "all":
        return model.weights()
    return model.params[f"W{layer}"].ravel().copy()


def dropout_weight_histogram(
    *, keep_prob: float = 0.7, epochs: int = 150, layer: str = "all", seed: int = 0
) -> Figure:
    """Histogram of the trained weights without and with dropout (bars over the same 31 bins).

    The network and data of :func:`dropout_train_val` (10→40→40→1 ReLU regression, 20 training
    examples, Adam lr 0.01, full batch) trained twice from the same start: without dropout and with
    inverted dropout (``keep_prob`` on both hidden layers). ``layer``: ``"all"`` (every weight) or
    one weight matrix ``"1"`` (10×40), ``"2"`` (40×40), ``"3"`` (40×1, the output layer). x = bin
    centre, y = number of weights (values beyond the outer bins are counted in them), drawn back to
    back: "without dropout" upwards, "with dropout" downwards (negative counts), because two nearly
    equal histograms drawn over each other would hide one of them.

    Notice (defaults): the two histograms nearly coincide (standard deviations 0.289 and 0.286 in
    the notes) — dropout does not pull weights towards 0 the way L2 does (8.2's histogram). Layer
    "3", the 40 output weights, is where it shows: with dropout the output weights are smaller
    (norm 0.84 → 0.61). The output unit is a linear regression on dropped-out inputs with a
    squared loss, where dropout is, in expectation, an L2 penalty on its weights scaled by the size
    of each input (Srivastava et al. 2014, section 9). Ranges:
    ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 500``, ``layer`` in all/1/2/3.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 500)
    layer = _choice("layer", layer, WEIGHT_LAYERS)
    seed = _seed(seed)
    plain, dropped, _ = _dropout_pair(seed, keep_prob, epochs)
    w0, w1 = _layer_weights(plain, layer), _layer_weights(dropped, layer)
    centres, (h0, h1) = _histograms([w0, w1])
    return Figure(
        (
            Series("without dropout", centres, h0, kind="bar"),
            Series(f"with dropout (keep_prob={_fmt(keep_prob)}), downwards", centres, -h1, kind="bar"),
        ),
        (
            f"weight std: without dropout {_fmt(float(w0.std()))}, with dropout {_fmt(float(w1.std()))}",
            f"weight norm ‖W‖: without dropout {_fmt(_norm(w0))}, with dropout {_fmt(_norm(w1))}",
        ),
    )


ACTIVATION_VIEWS = ("share", "units")


def _mean_abs_correlation(H: np.ndarray) -> float:
    """Mean ``|corr|`` over the pairs of units that vary (a constant unit has no correlation)."""
    live = H[:, H.std(axis=0) > 1e-12]
    if live.shape[1] < 2:
        return 0.0
    C = np.corrcoef(live.T)
    off = ~np.eye(C.shape[0], dtype=bool)
    return float(np.mean(np.abs(C[off])))


def dropout_activations(
    *, keep_prob: float = 0.7, epochs: int = 150, layer: int = 2, show: str = "share", seed: int = 0
) -> Figure:
    """Activation patterns of a hidden layer, without and with dropout, on the validation inputs.

    The two networks of :func:`dropout_weight_histogram`; the ReLU activations of hidden layer
    ``layer`` (1 or 2, 40 units each) for the 100 validation examples, in test mode (no dropout).

    - ``show="share"``: a histogram (bars, 20 bins over [0, 1]) of the share of the layer's units
      that are active (> 0) for each example: y = number of examples.
    - ``show="units"``: each unit's mean activation over the examples, sorted from the largest
      (x = rank 1 … 40): how the work is spread over the units.

    The notes give, for both networks, the mean share of active units, the mean activation, the
    number of units never active (dead ReLUs), the mean |correlation| between pairs of units and
    the share of the layer's total activation carried by its 5 busiest units.

    Notice (defaults, layer 2): with dropout the layer is sparser — about 27 % of its units fire
    for an example instead of 44 %, and the mean activation halves (0.48 → 0.26): each example is
    coded by fewer units, as Srivastava et al. report, and the activity concentrates (the 5
    busiest units carry 40 % of it instead of 31 %). What does *not* show on a
    network this small: the units do not become less correlated (mean |corr| 0.17 without, 0.19
    with) — the "less co-adapted features" of the paper are a statement about what units encode
    (their features on images), not something one number captures. Layer 1, right after the inputs,
    hardly changes. Ranges: ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 500``, ``layer`` 1 or 2.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 500)
    layer = _int("layer", layer, 1, 2)
    show = _choice("show", show, ACTIVATION_VIEWS)
    seed = _seed(seed)
    plain, dropped, X_val = _dropout_pair(seed, keep_prob, epochs)
    acts = [model.forward(X_val)[1][layer][1] for model in (plain, dropped)]
    labels = ("without dropout", f"with dropout (keep_prob={_fmt(keep_prob)})")
    if show == "share":
        shares = [np.mean(H > 0, axis=1) for H in acts]
        centres, counts = _histograms(shares, bins=20, lo=0.0, hi=1.0)
        series = tuple(Series(lab, centres, c, kind="bar") for lab, c in zip(labels, counts))
    else:
        units = [np.sort(H.mean(axis=0))[::-1] for H in acts]
        series = tuple(Series(lab, _steps_x(u.size), u) for lab, u in zip(labels, units))
    notes = []
    for name, H in zip(("without dropout", "with dropout"), acts):
        unit_means = np.sort(H.mean(axis=0))[::-1]
        busiest = 100 * float(unit_means[:5].sum() / max(unit_means.sum(), 1e-300))
        notes.append(
            f"{name}: {_fmt(100 * float(np.mean(H > 0)))} % of units active, mean activation "
            f"{_fmt(float(H.mean()))}, {int(np.sum(H.max(axis=0) <= 0))} never active, "
            f"mean |corr| {_fmt(_mean_abs_correlation(H))}; the 5 busiest units carry "
            f"{_fmt(busiest)} % of the activity"
        )
    return Figure(series, tuple(notes))


# --------------------------------------------------- 9.6 layer-wise rates, dropout with other penalties

HIDDEN_KEEP_PROBS = (0.5, 0.7, 0.9, 1.0)
INPUT_KEEP_PROBS = (1.0, 0.8)


def _final_val(seed: int, epochs: int, **kw: object) -> float:
    """Validation loss (test mode) after ``epochs`` epochs of the 9.5 network; NaN if it diverged."""
    hist = _overfit_train(seed, epochs=epochs, n_train=DROPOUT_N_TRAIN, eval_every=epochs,
                          classification=False, noise=0.3, **kw)[1]  # type: ignore[arg-type]
    ok = hist.val_loss.size and hist.diverged_at is None  # type: ignore[attr-defined]
    return float(hist.val_loss[-1]) if ok else math.nan  # type: ignore[attr-defined]


def _finite_line(label: str, x: np.ndarray, y: list[float], notes: list[str]) -> Series:
    ya = np.array(y, dtype=np.float64)
    ok = np.isfinite(ya)
    if not ok.all():
        notes.append(f"{label}: diverged at " + ", ".join(f"{v:g}" for v in x[~ok]))
    if not ok.any():
        raise ValueError("every run diverged; lower the number of epochs")
    return Series(label, x[ok], ya[ok])


def layerwise_keep_prob(*, epochs: int = 60, seed: int = 0) -> Figure:
    """Validation loss for a grid of two dropout rates: the hidden layers' and the inputs'.

    The network of :func:`dropout_train_val`, one run per pair (same start), validation loss in test
    mode after ``epochs`` epochs. x = the hidden layers' keep_prob ∈ {0.5, 0.7, 0.9, 1.0}; one line
    per input keep_prob: "input keep_prob 1.0" (no input dropout) and "input keep_prob 0.8". The
    notes give the best pair.

    Notice (defaults): without hidden dropout (x = 1.0), dropping 20 % of the inputs helps on its
    own (0.469 → 0.377); but on top of hidden dropout it hurts at every hidden rate: the rates add
    up, and the best pair is input 1.0, hidden 0.7 (0.307). Tune the hidden rate first, then see
    whether input dropout still helps. Ranges: ``5 ≤ epochs ≤ 300``.
    """
    epochs = _int("epochs", epochs, 5, 300)
    seed = _seed(seed)
    x = np.array(HIDDEN_KEEP_PROBS)
    notes: list[str] = []
    series = []
    best: tuple[float, float, float] | None = None
    for ikp in INPUT_KEEP_PROBS:
        vals = [_final_val(seed, epochs, keep_prob=hkp, input_keep_prob=ikp) for hkp in HIDDEN_KEEP_PROBS]
        for hkp, v in zip(HIDDEN_KEEP_PROBS, vals):
            if math.isfinite(v) and (best is None or v < best[2]):
                best = (ikp, hkp, v)
        series.append(_finite_line(f"input keep_prob {ikp:.1f}", x, vals, notes))
    if best is not None:
        notes.insert(0, f"best: input keep_prob {best[0]:g}, hidden keep_prob {best[1]:g} "
                        f"(validation loss {_fmt(best[2])})")
    return Figure(tuple(series), tuple(notes))


DROPOUT_L2_LAMBDAS = (0.1, 0.3, 1.0, 3.0)


def dropout_with_l2(*, keep_prob: float = 0.7, epochs: int = 60, seed: int = 0) -> Figure:
    """Validation loss against λ of L2, without and with dropout (x = λ ∈ {0.1, 0.3, 1, 3}, log).

    The network of :func:`dropout_train_val` with the penalty ``λ/(2m)·ΣW²`` (m = 20, full batch),
    one run per λ (same start), validation loss in test mode after ``epochs`` epochs. Series: "L2
    alone" and "L2 + dropout (keep_prob=…)". The notes give each line's best λ. (With neither, the
    validation loss is 0.469: :func:`keep_prob_grid` at keep_prob 1.0.)

    Notice (defaults): regularizers add up. With dropout the best λ is smaller (0.3 instead of 1),
    and at a large λ (3) the pair underfits: it is worse than either alone. Here L2 alone at its
    best λ (0.185) even beats the pair: combining is not automatically better, so tune λ again
    when you add dropout. Ranges: ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 300``.
    """
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 300)
    seed = _seed(seed)
    x = np.array(DROPOUT_L2_LAMBDAS)
    notes: list[str] = []
    series = []
    for label, kp in (("L2 alone", 1.0), (f"L2 + dropout (keep_prob={_fmt(keep_prob)})", keep_prob)):
        # L2 through Adam's weight_decay = λ/m: the same numbers as MLP(penalty="l2", lambd=λ), bit for
        # bit (dW + (λ/m)·W either way; see the test), without the penalty's per-step dictionaries.
        vals = [_final_val(seed, epochs, weight_decay=lam / DROPOUT_N_TRAIN, keep_prob=kp)
                for lam in DROPOUT_L2_LAMBDAS]
        s = _finite_line(label, x, vals, notes)
        b = int(np.argmin(s.y))
        notes.append(f"{label}: best λ {s.x[b]:g} (validation loss {_fmt(s.y[b])})")
        series.append(s)
    return Figure(tuple(series), tuple(notes))


MAX_NORM_LRS = (0.1, 0.3, 1.0, 3.0)


def _max_norm_run(seed: int, keep_prob: float, lr: float, c: float | None, epochs: int) -> float:
    """Validation loss (test mode) of the 9.5 network after ``epochs`` full-batch steps of momentum
    SGD (β = 0.9) with dropout; with ``c``, every unit's incoming weight vector (a column of each
    ``W``) is rescaled to length ``≤ c`` after every step. NaN once the training loss is not finite
    or above 1e6 (diverged)."""
    X, Y, X_val, Y_val = _overfit_problem(seed, DROPOUT_N_TRAIN, classification=False, noise=0.3)
    model = MLP([X.shape[1], 40, 40, 1], rng=_rng(seed, 2), keep_probs=keep_prob if keep_prob < 1.0 else None)
    opt = make_optimizer("momentum", lr=lr)
    rng = _rng(seed, 3)
    params = {"theta": model.theta}
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            J, g = model.loss_and_flat_grad(X, Y, training=True, rng=rng, check=False)
            if not math.isfinite(J) or J > 1e6:
                return math.nan
            opt.step(params, {"dtheta": g})
            if c is not None:
                for l in range(1, model.n_layers + 1):
                    W = model.params[f"W{l}"]
                    W *= np.minimum(1.0, c / np.maximum(np.sqrt(np.sum(W * W, axis=0)), 1e-300))
        loss = model.loss(X_val, Y_val)
    return loss if math.isfinite(loss) and np.all(np.isfinite(model.theta)) else math.nan


def dropout_max_norm(*, c: float = 3.0, keep_prob: float = 0.7, epochs: int = 100, seed: int = 0) -> Figure:
    """Dropout with and without a max-norm constraint, against the learning rate (x: lr, log).

    The network of :func:`dropout_train_val` with dropout (``keep_prob``), trained full batch with
    momentum SGD (β = 0.9) for ``epochs`` steps at lr ∈ {0.1, 0.3, 1, 3}; y = validation loss in
    test mode. Series: "dropout" (a line) and "dropout + max-norm (c=…)" (points, so that both
    show where they coincide): after every step, each unit's incoming weight vector is rescaled to
    length ≤ c (Srivastava et al. 2014, section 5.1, with c ≈ 3–4). A run that diverges has no
    point; the note names its lr.

    Notice (defaults): at lr 0.1 … 1 the two lines are the same — the constraint never binds, the
    weights stay shorter than c. At lr 3 dropout alone diverges; with max-norm the run survives
    (0.634), because no weight vector can grow past c: that is the sense in which max-norm "allows
    larger learning rates". It does not make lr 3 good here: the best validation loss is at 0.3
    with or without it. A smaller c (2) binds earlier and changes the curve itself. With heavy
    dropout (keep_prob 0.2) dropout alone diverges at every lr (its line is left out, the note
    says so) while max-norm keeps every run finite. Ranges:
    ``0.5 ≤ c ≤ 10``, ``0 < keep_prob ≤ 1``, ``5 ≤ epochs ≤ 300``.
    """
    c = _float("c", c, 0.5, 10.0)
    keep_prob = _float("keep_prob", keep_prob, 0.0, 1.0, open_lo=True)
    epochs = _int("epochs", epochs, 5, 300)
    seed = _seed(seed)
    x = np.array(MAX_NORM_LRS)
    notes: list[str] = []
    series = []
    for label, limit in (("dropout", None), (f"dropout + max-norm (c={_fmt(c)})", c)):
        vals = np.array([_max_norm_run(seed, keep_prob, lr, limit, epochs) for lr in MAX_NORM_LRS])
        ok = np.isfinite(vals)
        if not ok.any():
            notes.append(f"{label}: diverged at every lr")
            continue
        if not ok.all():
            notes.append(f"{label}: diverged at " + ", ".join(f"{v:g}" for v in x[~ok]))
        b = int(np.argmin(np.where(ok, vals, np.inf)))
        notes.append(f"{label}: best lr {x[b]:g} (validation loss {_fmt(vals[b])})")
        series.append(Series(label, x[ok], vals[ok], kind="line" if limit is None else "scatter"))
    if not series:
        raise ValueError("every run diverged, with and without max-norm; raise keep_prob or lower c")
    return Figure(tuple(series), tuple(notes))
