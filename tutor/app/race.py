"""After an optimizer exercise passes: the learner's own update against the reference's.

The learner's code never runs in the app's process: a small driver is appended to their file
and run in the sandbox. It takes ``STEPS`` steps of their update on a fixed ill-conditioned
quadratic ``L(w) = ½·wᵀAw`` (``A = diag(4, 0.25)``, ``w₀ = (1.5, −2)``, ``dw = A·w``) and returns
the loss after each step. The same driver runs in-process with the reference functions
(trusted code) for the comparison curve.

What each exercise races (the name called, the loop body, the rate) is in its file's ``race:``
field (``tutor.course.model.Race``), read here from the course model by :func:`spec_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STEPS = 60
DRIVER_NAME = "_tutor_race"


@dataclass(frozen=True)
class RaceSpec:
    exercise_id: str
    name: str  # what the driver calls (a function or a class)
    lr: float
    update: str  # the loop body: updates w (and the state) from dw and t
    setup: str = ""  # run once before the loop (e.g. ``opt = Adam(lr=0.1); params = {'W1': w}``)
    kind: str = "quadratic"  # "quadratic" (this module's driver) or "digits" (widgets/training_race.py)

    def driver(self) -> str:
        init = "v = _np.zeros(2); s = _np.zeros(2); u = _np.zeros(2); cache = _np.zeros(2)"
        if self.setup:
            init += f"; {self.setup}"
        return (
            f"\n\ndef {DRIVER_NAME}(steps={STEPS}):\n"
            "    import numpy as _np\n"
            "    A = _np.array([4.0, 0.25])\n"
            "    w = _np.array([1.5, -2.0])\n"
            f"    {init}\n"
            "    losses = [0.5 * float(_np.sum(A * w * w))]\n"
            "    for t in range(1, steps + 1):\n"
            "        dw = A * w\n"
            f"        {self.update}\n"
            "        w = _np.asarray(w, dtype=float)\n"
            "        losses.append(0.5 * float(_np.sum(A * w * w)))\n"
            "    return _np.array(losses)\n"
        )


def spec_for(exercise: Any) -> RaceSpec | None:
    """The race of ``exercise`` (a ``tutor.course.model.Exercise``), from its file's ``race:``
    field (``Exercise.race``); None when it has none."""
    race = getattr(exercise, "race", None)
    if race is None:
        return None
    return RaceSpec(
        exercise_id=exercise.id,
        name=race.name,
        lr=float(race.lr),
        update=race.update,
        setup=race.setup,
        kind=race.kind,
    )


def learner_request(spec: RaceSpec, source: str, filename: str) -> Any:
    """A ``RunRequest`` that runs the learner's update through the driver, in the sandbox."""
    from tutor.grading.sandbox import RunRequest

    return RunRequest(
        source=source + spec.driver(),
        filename=filename,
        names=(spec.name, DRIVER_NAME),
        cases=({"name": "race", "ops": [{"op": "call", "fn": DRIVER_NAME, "kwargs": {}, "out": "losses"}]},),
        time_limit=5.0,
    )


def reference_losses(spec: RaceSpec, reference_module: str, python_path: Any = None) -> Any:
    """The driver run with the reference (trusted, in-process)."""
    from tutor.course.resolve import resolve

    module = resolve(reference_module, python_path)
    namespace: dict[str, Any] = {spec.name: getattr(module, spec.name)}
    exec(compile(spec.driver(), f"<race {spec.exercise_id}>", "exec"), namespace)  # trusted code only
    return namespace[DRIVER_NAME]()


def learner_losses(result: Any) -> tuple[Any, str]:
    """The learner's losses from a ``RunResult``, or ``(None, why not)``."""
    if getattr(result, "status", "") != "ok" or not result.cases:
        return None, getattr(result, "message", "") or "the run did not finish"
    case = result.cases[0]
    if case.error is not None:
        return None, f"{getattr(case.error, 'type', 'Error')}: {getattr(case.error, 'message', '')}"
    losses = case.outputs.get("losses")
    if losses is None:
        return None, "no losses came back"
    return losses, ""
