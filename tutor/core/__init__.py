"""The NumPy reference core: the formulas learners are graded against (no Textual import here).

Every contract function of ``curriculum.md`` is importable from here, e.g.
``from tutor.core import adam_update``.
"""

from .dropout import (
    Dropout,
    dropconnect_forward,
    dropout_backward,
    dropout_forward,
    spatial_dropout_forward,
)
from .minibatch import make_minibatches
from .optimizers import (
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    AdaMax,
    AdamW,
    Momentum,
    Nadam,
    Nesterov,
    Optimizer,
    RMSProp,
    make_optimizer,
    adagrad_update,
    adam_update,
    adamax_update,
    adamw_update,
    momentum_bc_update,
    momentum_update,
    nadam_update,
    nesterov_update,
    rmsprop_update,
    sgd_update,
)
from .regularization import (
    elastic_net_cost,
    elastic_net_grads,
    l1_cost,
    l1_grads,
    l2_cost,
    l2_grads,
    penalty_cost,
    penalty_grads,
)
from .schedules import (
    LRRangeResult,
    exponential_decay,
    lr_range_test,
    step_decay,
    time_decay,
    warmup_cosine,
)
from .selection import (
    cross_validate,
    early_stopping,
    grid_search,
    kfold_indices,
    regularization_path,
)

__all__ = [
    # mini-batches
    "make_minibatches",
    # schedules
    "step_decay",
    "exponential_decay",
    "time_decay",
    "warmup_cosine",
    "lr_range_test",
    "LRRangeResult",
    # update rules
    "sgd_update",
    "momentum_update",
    "momentum_bc_update",
    "nesterov_update",
    "adagrad_update",
    "rmsprop_update",
    "adam_update",
    "adamax_update",
    "nadam_update",
    "adamw_update",
    # optimizer classes
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "AdaMax",
    "Nadam",
    "AdamW",
    "OPTIMIZERS",
    "make_optimizer",
    # regularization
    "l2_cost",
    "l2_grads",
    "l1_cost",
    "l1_grads",
    "elastic_net_cost",
    "elastic_net_grads",
    "penalty_cost",
    "penalty_grads",
    # dropout
    "dropout_forward",
    "dropout_backward",
    "Dropout",
    "dropconnect_forward",
    "spatial_dropout_forward",
    # selection
    "early_stopping",
    "kfold_indices",
    "cross_validate",
    "grid_search",
    "regularization_path",
]
