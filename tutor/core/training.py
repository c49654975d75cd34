"""Training loops: mini-batch training of an :class:`~tutor.core.model.MLP` and exact linear fits.

- :func:`train`: epochs of shuffled mini-batches (``make_minibatches``), one optimizer ``step`` per
  batch, a learning-rate schedule, early stopping, divergence detection; returns a :class:`History`.
- :func:`fit_linear`: linear or logistic regression with an L1/L2/Elastic Net penalty trained to
  convergence by proximal gradient descent (the L1 part is applied by soft-thresholding, so weights
  reach exactly 0); the reference for regularization paths and the scikit-learn oracle tests.
- :func:`cross_validate_lambda`, :func:`lambda_grid_search`, :func:`lambda_path`: k-fold
  cross-validation, grid search and regularization path for those fits, built on
  ``tutor.core.selection``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _check
from .minibatch import make_minibatches
from .model import MLP, _accuracy
from .selection import grid_search, kfold_indices, regularization_path

__all__ = [
    "History",
    "train",
    "diverged_note",
    "LinearFit",
    "fit_linear",
    "soft_threshold",
    "cross_validate_lambda",
    "lambda_grid_search",
    "lambda_path",
]


REFERENCE_STEPS = 10
"""Divergence is judged against the largest batch loss of the first updates (one tiny first batch
loss, common with small batches, must not make an ordinary later batch look like an explosion)."""


def diverged_note(step: int) -> str:
    """The note a cut run carries: ``"diverged at step N"``."""
    return f"diverged at step {step}"


def _frozen(values: Sequence[float]) -> np.ndarray:
    arr = np.array(values, dtype=np.float64)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class History:
    """What :func:`train` saw. Every array holds finite float64 numbers only.

    - ``step_loss[i]``: the loss (with penalty, training mode, so with dropout) of the mini-batch of
      update ``i + 1``, before that update.
    - ``epochs``: ``0, 1, …, E`` for the evaluations below (``0`` is before training); with
      ``eval_every = k`` only every k-th epoch (and the last) is evaluated.
    - ``train_loss`` / ``val_loss``: the data loss (no penalty) on the whole training / validation set
      in evaluation mode (no dropout) at those epochs; ``val_loss`` is empty without validation data.
    - ``train_acc`` / ``val_acc``: accuracy at those epochs for classifiers, else empty.
    - ``epoch_loss[e]``: the mean of ``step_loss`` over epoch ``e + 1`` (what a training log prints).
    - ``lr[e]``: the learning rate at the start of epoch ``e + 1``.
    - ``diverged_at``: the 1-based update whose loss was not finite or exploded (above
      ``divergence_factor`` × the largest of the first 10 batch losses), or ``None``. Training
      stops there; nothing after (or at) that step is recorded.
    - ``best_epoch`` / ``stopped_epoch``: early stopping's choices (epochs counted from 1), or
      ``None`` when it was not used / never triggered.
    """

    step_loss: np.ndarray
    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray
    epoch_loss: np.ndarray
    lr: np.ndarray
    diverged_at: int | None = None
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def steps(self) -> int:
        """Updates made (and recorded)."""
        return int(self.step_loss.size)

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def _apply_lr(optimizer: object, lr: float) -> None:
    if not hasattr(optimizer, "lr"):
        raise ValueError("schedule needs an optimizer with an 'lr' attribute")
    optimizer.lr = lr  # type: ignore[attr-defined]


def train(
    model: MLP,
    X: np.ndarray,
    Y: np.ndarray,
    optimizer: object,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator,
    X_val: np.ndarray | None = None,
    Y_val: np.ndarray | None = None,
    schedule: Callable[[int], float] | None = None,
    early_stopping: int | None = None,
    *,
    schedule_per: str = "epoch",
    restore_best: bool = False,
    eval_every: int = 1,
    divergence_factor: float = 1e4,
    grouped: bool = True,
    max_steps: int | None = None,
) -> History:
    """Train ``model`` in place with mini-batch updates; return its :class:`History`.

    Each epoch: ``make_minibatches(X, Y, batch_size, rng)`` (one permutation), then for each batch
    ``J, g = loss and gradient`` (training mode: dropout masks come from the same ``rng``) and
    ``optimizer.step(params, grads)``.

    - ``optimizer``: anything with ``step(params, grads)`` (the core's classes, or a learner's).
      With ``grouped=True`` it steps two flat arrays ``{"W": all weights, "b": all biases}`` with
      ``{"dW", "db"}`` (:meth:`MLP.groups`), the same arithmetic for elementwise rules and much less
      Python per step — or, for the core's optimizers without weight decay (whose rule is then the
      same for weights and biases), one array ``{"theta"}``; ``grouped=False`` steps the per-layer
      dicts ``{"W1", "b1", …}``. The optimizer's state is keyed accordingly.
    - ``schedule``: ``lr = schedule(i)`` is set on ``optimizer.lr`` before epoch ``i`` (0-based), or
      before update ``i`` (0-based) with ``schedule_per="step"``.
    - ``early_stopping``: a patience. After each epoch ``e`` (from 1) with validation loss ``L_e``:
      ``best`` moves to ``e`` if ``L_e < L_best`` (``best`` starts at epoch 1); training stops when
      ``e − best == patience`` — the rule of ``tutor.core.early_stopping``. ``restore_best=True``
      puts back the parameters of the best epoch. Needs validation data and ``eval_every = 1``.
    - Divergence: the first update whose mini-batch loss is not finite or exceeds
      ``divergence_factor ×`` the largest loss of the first 10 updates stops training; it is
      recorded as ``diverged_at`` with the note ``"diverged at step N"``. Parameters that became
      non-finite at an evaluation count as diverging at the last update.
    - ``max_steps``: stop after that many updates (the epoch in progress is evaluated).
    """
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an MLP, got {type(model).__name__}")
    X, Y = model._xy(X, Y)
    has_val = X_val is not None or Y_val is not None
    if has_val:
        if X_val is None or Y_val is None:
            raise ValueError("X_val and Y_val must be given together")
        X_val, Y_val = model._xy(X_val, Y_val)
    if not callable(getattr(optimizer, "step", None)):
        raise ValueError("optimizer must have a step(params, grads) method")
    epochs = _check.integer("epochs", epochs, minimum=1)
    batch_size = _check.integer("batch_size", batch_size, minimum=1)
    rng = _check.generator("rng", rng)
    if schedule is not None and not callable(schedule):
        raise ValueError("schedule must be a callable schedule(i) -> lr")
    if schedule_per not in ("epoch", "step"):
        raise ValueError(f"schedule_per must be 'epoch' or 'step', got {schedule_per!r}")
    eval_every = _check.integer("eval_every", eval_every, minimum=0)
    divergence_factor = _check.positive("divergence_factor", divergence_factor)
    if max_steps is not None:
        max_steps = _check.integer("max_steps", max_steps, minimum=1)
    if early_stopping is not None:
        early_stopping = _check.integer("early_stopping", early_stopping, minimum=1)
        if not has_val:
            raise ValueError("early_stopping needs X_val and Y_val")
        if eval_every != 1:
            raise ValueError("early_stopping needs eval_every=1")

    is_clf = model.is_classifier
    epochs_seen: list[float] = []
    tr_loss: list[float] = []
    va_loss: list[float] = []
    tr_acc: list[float] = []
    va_acc: list[float] = []
    notes: list[str] = []
    diverged_at: int | None = None

    # One forward pass evaluates the training and the validation set together.
    m_train = X.shape[0]
    X_eval = np.vstack([X, X_val]) if has_val else X

    def evaluate(e: int) -> bool:
        """Record epoch ``e``; False if the parameters are no longer finite."""
        with np.errstate(all="ignore"):
            A_all, cache = model._forward(X_eval, False, None)
            Z_all = cache[-1][0]
            A, Z = A_all[:m_train], Z_all[:m_train]
            Jt = model._data_loss(A, Y, Z)
            Jv = model._data_loss(A_all[m_train:], Y_val, Z_all[m_train:]) if has_val else 0.0
        if not (math.isfinite(Jt) and math.isfinite(Jv)):
            return False
        epochs_seen.append(float(e))
        tr_loss.append(Jt)
        if has_val:
            va_loss.append(Jv)
        if is_clf:
            tr_acc.append(_accuracy(model.output, A, Y))
            if has_val:
                va_acc.append(_accuracy(model.output, A_all[m_train:], Y_val))
        return True

    if eval_every:
        if not evaluate(0):
            raise ValueError("the model's loss is not finite before training (check X, Y and the parameters)")

    step_loss: list[float] = []
    epoch_loss: list[float] = []
    lrs: list[float] = []
    reference = 0.0  # the largest of the first REFERENCE_STEPS batch losses
    step = 0
    best_e, best_val, best_theta = 1, math.inf, None
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    single = grouped and _uniform_rule(optimizer)
    if single:
        # one flat array: the same arithmetic for an elementwise rule that treats weights and biases
        # alike (no weight decay), with one array to visit per step instead of two
        model.sync_params()
        params = {"theta": model.theta}
        views = (model.theta,)
    elif grouped:
        params = model.groups()
        views = (params["W"], params["b"])
    else:
        model.sync_params()
        params = model.params

    for e in range(epochs):
        if schedule is not None and schedule_per == "epoch":
            _apply_lr(optimizer, float(schedule(e)))
        lrs.append(float(getattr(optimizer, "lr", math.nan)))
        start = len(step_loss)
        stop = False
        for Xb, Yb in make_minibatches(X, Y, batch_size, rng):
            if schedule is not None and schedule_per == "step":
                _apply_lr(optimizer, float(schedule(step)))
            with np.errstate(all="ignore"):
                J, g = model.loss_and_flat_grad(Xb, Yb, training=True, rng=rng, check=False)
            step += 1
            if step <= REFERENCE_STEPS and math.isfinite(J):
                reference = max(reference, J)
            if not math.isfinite(J) or J > divergence_factor * max(reference, 1e-12):
                diverged_at = step
                stop = True
                break
            step_loss.append(J)
            if single:
                optimizer.step(params, {"dtheta": g})  # type: ignore[attr-defined]
                if params["theta"] is not views[0]:
                    views[0][...] = params["theta"]
                    params = {"theta": views[0]}
            elif grouped:
                optimizer.step(params, model.split_grad(g))  # type: ignore[attr-defined]
                if params["W"] is not views[0] or params["b"] is not views[1]:
                    # the optimizer rebound the keys instead of updating in place
                    views[0][...] = params["W"]
                    views[1][...] = params["b"]
                    params = {"W": views[0], "b": views[1]}
            else:
                optimizer.step(params, model._views(g, "d"))  # type: ignore[attr-defined]
                model.sync_params()
            if max_steps is not None and step >= max_steps:
                stop = True
                break
        if len(step_loss) > start:
            epoch_loss.append(float(np.mean(step_loss[start:])))
        else:
            lrs.pop()
        if diverged_at is not None:
            break
        last = e == epochs - 1 or stop
        if eval_every and ((e + 1) % eval_every == 0 or last):
            if not evaluate(e + 1):
                diverged_at = step
                break
        if early_stopping is not None:
            v = va_loss[-1]
            if v < best_val:
                best_e, best_val = e + 1, v
                if restore_best:
                    best_theta = model.theta.copy()
            if (e + 1) - best_e == early_stopping:
                stopped_epoch = e + 1
                break
        if stop:
            break
    if early_stopping is not None:
        best_epoch = best_e
        if restore_best and best_theta is not None:
            model.theta[...] = best_theta
    if diverged_at is not None:
        notes.append(diverged_note(diverged_at))
    if stopped_epoch is not None:
        notes.append(f"early stopping: best epoch {best_epoch}, stopped at epoch {stopped_epoch}")
    return History(
        step_loss=_frozen(step_loss),
        epochs=_frozen(epochs_seen),
        train_loss=_frozen(tr_loss),
        val_loss=_frozen(va_loss),
        train_acc=_frozen(tr_acc),
        val_acc=_frozen(va_acc),
        epoch_loss=_frozen(epoch_loss),
        lr=_frozen(lrs),
        diverged_at=diverged_at,
        best_epoch=best_epoch,
        stopped_epoch=stopped_epoch,
        notes=tuple(notes),
    )


def _uniform_rule(optimizer: object) -> bool:
    """True for the core's own optimizers when their rule is the same for weights and biases."""
    from .optimizers import Optimizer

    return (
        isinstance(optimizer, Optimizer)
        and not getattr(optimizer, "weight_decay", 0.0)
        and not getattr(optimizer, "wd", 0.0)
    )


def _eval_loss(model: MLP, X: np.ndarray, Y: np.ndarray) -> float:
    """The data loss (no penalty) in evaluation mode."""
    A, cache = model._forward(X, False, None)
    return model._data_loss(A, Y, cache[-1][0])


# ------------------------------------------------------------------------------ linear models


def soft_threshold(x: np.ndarray, tau: float) -> np.ndarray:
    """The proximal map of ``tau·‖x‖₁``: ``sign(x)·max(|x| − tau, 0)``."""
    return np.sign(x) * np.maximum(np.abs(x) - tau, 0.0)


@dataclass(frozen=True, eq=False)
class LinearFit:
    """A fitted linear model ``ŷ = X @ w + b`` (``σ`` of it for logistic), and the objective reached."""

    w: np.ndarray
    b: float
    objective: float
    steps: int
    converged: bool


def _linear_objective(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, loss: str, lambd1: float, lambd2: float
) -> float:
    m = y.size
    z = X @ w + b
    if loss == "mse":
        data = float(np.sum((z - y) ** 2) / (2 * m))
    else:
        data = float(np.sum(np.logaddexp(0.0, z) - y * z) / m)
    return data + lambd1 / m * float(np.abs(w).sum()) + lambd2 / (2 * m) * float(w @ w)


def fit_linear(
    X: np.ndarray,
    Y: np.ndarray,
    *,
    loss: str = "mse",
    penalty: str = "none",
    lambd: float = 0.0,
    lambd1: float = 0.0,
    lambd2: float = 0.0,
    max_steps: int = 100_000,
    tol: float = 1e-13,
    w0: np.ndarray | None = None,
    b0: float = 0.0,
    method: str = "auto",
) -> LinearFit:
    """Minimize ``J(w, b) = data(w, b) + λ1/m·‖w‖₁ + λ2/(2m)·‖w‖²`` to convergence.

    ``data`` is ``1/(2m)·‖Xw + b − y‖²`` (``loss="mse"``) or the mean binary cross-entropy of
    ``σ(Xw + b)`` (``loss="cross_entropy"``, ``y`` in {0, 1}); the intercept ``b`` is not
    penalized. ``penalty`` and the λs follow :class:`~tutor.core.model.MLP` (``lambd`` for l1/l2).

    Method: accelerated proximal gradient (FISTA with adaptive restart) with step ``1/L``, ``L`` the
    Lipschitz constant of the smooth part's gradient (``λmax([X 1]ᵀ[X 1])/m`` times 1 or ¼, plus
    ``λ2/m``); the L1 part is applied by :func:`soft_threshold` with ``lr·λ1/m``. Stops when no
    coordinate moves more than ``tol·max(1, max|θ|)`` in a step. ``Y`` is ``(m,)`` or ``(m, 1)``.

    ``method="auto"`` solves the mse loss with an l2 penalty or none exactly instead (the normal
    equations ``(XcᵀXc + λ2·I)·w = Xcᵀyc`` on centred data, ``b = ȳ − x̄·w``: the same minimizer,
    also when the problem is too ill-conditioned for gradient steps); ``method="proximal"`` always
    iterates.
    """
    X = _check.array("X", X)
    y = _check.array("Y", Y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.size:
        raise ValueError(f"X must be (m, n) and Y (m,) or (m, 1) with the same m, got {X.shape} and {np.shape(Y)}")
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss must be 'mse' or 'cross_entropy', got {loss!r}")
    if penalty not in ("none", "l1", "l2", "elastic_net"):
        raise ValueError(f"penalty must be one of 'none', 'l1', 'l2', 'elastic_net', got {penalty!r}")
    lambd = _check.nonnegative("lambd", lambd)
    lambd1 = _check.nonnegative("lambd1", lambd1)
    lambd2 = _check.nonnegative("lambd2", lambd2)
    if penalty == "l1":
        lambd1, lambd2 = lambd, 0.0
    elif penalty == "l2":
        lambd1, lambd2 = 0.0, lambd
    elif penalty == "none":
        lambd1 = lambd2 = 0.0
    max_steps = _check.integer("max_steps", max_steps, minimum=1)
    tol = _check.positive("tol", tol)
    if method not in ("auto", "proximal"):
        raise ValueError(f"method must be 'auto' or 'proximal', got {method!r}")
    m, n = X.shape
    if method == "auto" and loss == "mse" and lambd1 == 0.0:
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean
        A = Xc.T @ Xc + lambd2 * np.eye(n)
        w = np.linalg.lstsq(Xc, yc, rcond=None)[0] if lambd2 == 0.0 else None
        if lambd2 > 0.0:
            try:
                w = np.linalg.solve(A, Xc.T @ yc)
            except np.linalg.LinAlgError:  # λ too small to make XcᵀXc + λI invertible in floats
                w = None
        if w is None or not np.all(np.isfinite(w)):
            # least squares on [Xc; √λ·I]·w ≈ [yc; 0]: the same minimizer, and the minimum-norm one
            # when it is not unique
            stacked = np.vstack([Xc, np.sqrt(lambd2) * np.eye(n)])
            w = np.linalg.lstsq(stacked, np.concatenate([yc, np.zeros(n)]), rcond=None)[0]
        b = float(y_mean - x_mean @ w)
        return LinearFit(w, b, _linear_objective(X, y, w, b, loss, 0.0, lambd2), 0, True)
    Xa = np.hstack([X, np.ones((m, 1))])
    curvature = float(np.linalg.eigvalsh(Xa.T @ Xa / m)[-1])
    if loss == "cross_entropy":
        curvature /= 4.0
    lr = 1.0 / (curvature + lambd2 / m)
    theta = np.zeros(n + 1)
    if w0 is not None:
        w0 = _check.array("w0", w0).ravel()
        if w0.size != n:
            raise ValueError(f"w0 must have {n} entries, got {w0.size}")
        theta[:n] = w0
    theta[n] = _check.number("b0", b0)
    shrink = lr * lambd1 / m

    def grad(th: np.ndarray) -> np.ndarray:
        z = Xa @ th
        r = z - y if loss == "mse" else np.exp(-np.logaddexp(0.0, -z)) - y
        gr = Xa.T @ r / m
        gr[:n] += (lambd2 / m) * th[:n]
        return gr

    def prox(th: np.ndarray) -> np.ndarray:
        if shrink > 0:
            th[:n] = soft_threshold(th[:n], shrink)
        return th

    x_prev = theta.copy()
    z = theta.copy()
    t_k = 1.0
    converged = False
    steps = 0
    for steps in range(1, max_steps + 1):
        x_new = prox(z - lr * grad(z))
        delta = x_new - x_prev
        if np.max(np.abs(delta)) <= tol * max(1.0, float(np.max(np.abs(x_new)))):
            x_prev = x_new
            converged = True
            break
        t_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t_k * t_k))
        # adaptive restart: drop the momentum when it points uphill
        if float((z - x_new) @ delta) > 0:
            t_next, z = 1.0, x_new.copy()
        else:
            z = x_new + ((t_k - 1.0) / t_next) * delta
        x_prev, t_k = x_new, t_next
    w, b = x_prev[:n].copy(), float(x_prev[n])
    return LinearFit(w, b, _linear_objective(X, y, w, b, loss, lambd1, lambd2), steps, converged)


def _linear_val_loss(fit: LinearFit, X: np.ndarray, Y: np.ndarray, loss: str) -> float:
    y = np.asarray(Y, dtype=np.float64).reshape(-1)
    return _linear_objective(X, y, fit.w, fit.b, loss, 0.0, 0.0)


def cross_validate_lambda(
    X: np.ndarray,
    Y: np.ndarray,
    lambdas: Sequence[float],
    k: int,
    rng: np.random.Generator,
    *,
    penalty: str = "l2",
    loss: str = "mse",
) -> tuple[float, np.ndarray, np.ndarray]:
    """k-fold cross-validated λ for :func:`fit_linear`.

    The folds come from one ``kfold_indices(m, k, rng)`` call (the same folds for every λ). For each λ
    the model is fitted on the training folds and scored by its data loss (no penalty) on the held-out
    fold. Returns ``(best λ, mean validation loss per λ, mean training loss per λ)``; ties go to
    the first λ in ``lambdas``.
    """
    X = _check.array("X", X)
    Y = _check.array("Y", Y)
    lambdas = [_check.nonnegative("lambdas[i]", lam) for lam in lambdas]
    if not lambdas:
        raise ValueError("lambdas must hold at least one value")
    folds = kfold_indices(X.shape[0], k, rng)
    val = np.zeros(len(lambdas))
    tr = np.zeros(len(lambdas))
    for i, lam in enumerate(lambdas):
        for tr_idx, va_idx in folds:
            fit = fit_linear(X[tr_idx], Y[tr_idx], loss=loss, penalty=penalty, lambd=lam, lambd1=lam, lambd2=lam)
            val[i] += _linear_val_loss(fit, X[va_idx], Y[va_idx], loss) / k
            tr[i] += _linear_val_loss(fit, X[tr_idx], Y[tr_idx], loss) / k
    best, _ = grid_search(list(range(len(lambdas))), lambda j: val[j])
    return lambdas[best], val, tr


def lambda_grid_search(
    lambdas: Sequence[float],
    score: Callable[[float], float],
) -> tuple[float, np.ndarray]:
    """``grid_search`` over λ values with any score (lower is better): ``(best λ, scores)``."""
    return grid_search(list(lambdas), score)


def lambda_path(
    X: np.ndarray,
    Y: np.ndarray,
    lambdas: Sequence[float],
    *,
    penalty: str = "l1",
    loss: str = "mse",
    lambd2: float = 0.0,
) -> np.ndarray:
    """The regularization path: row ``i`` holds the weights of :func:`fit_linear` at ``lambdas[i]``.

    Fits are warm-started from the previous λ's weights (same minimizer, fewer steps). For
    ``penalty="elastic_net"`` the λ of the path is λ1 and ``lambd2`` stays fixed.
    Returns ``(len(lambdas), n_features)`` (``regularization_path`` of ``tutor.core.selection``).
    """
    warm: dict[str, object] = {"w": None, "b": 0.0}

    def fit(lam: float) -> np.ndarray:
        f = fit_linear(
            X, Y, loss=loss, penalty=penalty, lambd=lam, lambd1=lam, lambd2=lambd2,
            w0=warm["w"], b0=float(warm["b"]),  # type: ignore[arg-type]
        )
        warm["w"], warm["b"] = f.w, f.b
        return f.w

    return regularization_path(lambdas, fit)
