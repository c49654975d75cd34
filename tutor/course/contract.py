"""The exercise contract of ``curriculum.md``, embedded so the validator can check lesson files.

``CONTRACT_NAMES`` maps every contract exercise id to the names the learner's file must define;
an exercise file whose id is not here must say ``extra: true``. ``LESSON_EXERCISES`` is the
curriculum's lessons table (which contract exercises each lesson must hold); the 9.1–9.4 row is
shared, so those exercises must appear in one of the lessons 9.1–9.4.
"""

from __future__ import annotations

CONTRACT_NAMES: dict[str, tuple[str, ...]] = {
    "minibatches": ("make_minibatches",),
    "step_decay": ("step_decay",),
    "exponential_decay": ("exponential_decay",),
    "time_decay": ("time_decay",),
    "warmup_cosine": ("warmup_cosine",),
    "momentum": ("momentum_update",),
    "adagrad": ("adagrad_update",),
    "rmsprop": ("rmsprop_update",),
    "adam": ("adam_update",),
    "adamax": ("adamax_update",),
    "nadam": ("nadam_update",),
    "optimizer_classes": ("SGD", "Momentum", "Adam"),
    "l2_cost": ("l2_cost",),
    "l2_grads": ("l2_grads",),
    "l1_cost": ("l1_cost",),
    "l1_grads": ("l1_grads",),
    "elastic_net_cost": ("elastic_net_cost",),
    "elastic_net_grads": ("elastic_net_grads",),
    "dropout_forward": ("dropout_forward",),
    "dropout_backward": ("dropout_backward",),
    "dropout_layer": ("Dropout",),
    "dropconnect_forward": ("dropconnect_forward",),
    "spatial_dropout_forward": ("spatial_dropout_forward",),
    "early_stopping": ("early_stopping",),
    "kfold_indices": ("kfold_indices",),
}

CONTRACT_IDS: tuple[str, ...] = tuple(CONTRACT_NAMES)

# lesson ids (a tuple: the exercise may sit in any of them) -> contract exercises it must hold
LESSON_EXERCISES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("7.1",): ("minibatches",),
    ("7.3",): ("step_decay", "exponential_decay", "time_decay", "warmup_cosine"),
    ("7.4",): ("momentum",),
    ("7.5",): ("adagrad",),
    ("7.6",): ("rmsprop",),
    ("7.7",): ("adam", "adamax", "nadam"),
    ("7.8",): ("optimizer_classes",),
    ("8.2",): ("l2_cost", "l2_grads"),
    ("8.3",): ("l1_cost", "l1_grads"),
    ("8.4",): ("elastic_net_cost", "elastic_net_grads"),
    ("8.5",): ("kfold_indices", "early_stopping"),
    ("9.1", "9.2", "9.3", "9.4"): ("dropout_forward", "dropout_backward", "dropout_layer"),
    ("9.5",): ("dropout_layer",),
    ("9.7",): ("dropconnect_forward", "spatial_dropout_forward"),
}

SHIPPED_LESSONS: tuple[str, ...] = (
    "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8",
    "8.1", "8.2", "8.3", "8.4", "8.5",
    "9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "9.7",
    "C.1",  # the capstone (an extra lesson, issue 12)
)
