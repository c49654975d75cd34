"""The experiments behind every plot of the lessons (see docs/internals.md, "Figures and experiments").

Each experiment is a function whose parameters are all keyword-only with defaults: the settings a
plot step may expose. It returns a :class:`~tutor.core.figure.Figure` holding finite numbers only,
the same figure for the same settings (randomness comes from ``numpy.random.default_rng`` seeded
with ``seed``), in well under 300 ms with the defaults. A setting out of its stated range raises
``ValueError`` naming it. A run that diverges is cut at the divergence: its series stops there and
both the series' ``note`` and the figure's ``notes`` say ``"... diverged at step N"``.

One module per course module: :mod:`.optimizers` (7), :mod:`.regularization` (8), :mod:`.dropout`
(9), and :mod:`._common` (setting checks and runs they share). Every experiment is importable from
here too (``tutor.core.experiments.adam_variants``, the dotted path the lessons use), and
``EXPERIMENTS`` maps every name to its function.

The docstring of each experiment says what the plot shows and what a learner should notice; the
tests in ``tests/core/test_experiments.py`` check those claims on the defaults.
"""

from __future__ import annotations

from collections.abc import Callable

from ..figure import Figure
from . import dropout, optimizers, regularization
from .dropout import *  # noqa: F401,F403  (the names of dropout.__all__)
from .optimizers import *  # noqa: F401,F403
from .optimizers import _lr_problem  # noqa: F401  (lesson 7.2's checks read experiments._lr_problem)
from .regularization import *  # noqa: F401,F403

__all__ = [*optimizers.__all__, *regularization.__all__, *dropout.__all__, "EXPERIMENTS"]

EXPERIMENTS: dict[str, Callable[..., Figure]] = {
    name: getattr(module, name)
    for module in (optimizers, regularization, dropout)
    for name in module.__all__
}
"""Every experiment by name."""
