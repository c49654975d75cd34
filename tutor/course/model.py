"""The course model: immutable records (frozen value classes, ``tutor.record``) built from the
lesson files.

Nothing here imports NumPy or Textual; dotted paths (experiments, references, case
generators, mistakes) are kept as strings and resolved only when used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Mapping, Union

from tutor.record import Record, field

FORMAT_VERSION = 1

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9  # scaled by max|expected| (curriculum.md, "Comparison")


class Source(Record):
    """Where something was defined: a file and a 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class NumberCheck(Record):
    """A number shown in a text step's markdown or a plot step's caption, and the code that must
    produce it (within half a unit of the last digit shown)."""

    code: str
    shows: str


class TextStep(Record):
    id: str
    title: str
    markdown: str
    checks: tuple[NumberCheck, ...] = ()
    source: Source | None = None
    type: Literal["text"] = "text"


class Setting(Record):
    """A plot setting the learner may change on screen."""

    name: str
    type: Literal["float", "int", "choice", "bool"]
    label: str = ""
    min: float | None = None
    max: float | None = None
    log: bool = False
    choices: tuple[str, ...] = ()


class PlotStep(Record):
    id: str
    title: str
    experiment: str  # dotted path into Python code
    defaults: Mapping[str, Any] = field(default_factory=dict)
    settings: tuple[Setting, ...] = ()
    xlabel: str = ""
    ylabel: str = ""
    xlog: bool = False
    ylog: bool = False
    caption: str = ""
    checks: tuple[NumberCheck, ...] = ()  # numbers in the caption; code may call run(**overrides)
    check_setting_names: bool = True  # `tutor validate`'s setting-name heuristic for this step's text
    source: Source | None = None
    type: Literal["plot"] = "plot"
    python_path: Path | None = None  # the course's own Python folder: resolve(experiment, python_path)


class Choice(Record):
    text: str
    correct: bool = False


class QuizStep(Record):
    """Multiple choice (``choices``) or a number (``answer`` with ``tolerance``)."""

    id: str
    title: str
    question: str
    explanation: str
    choices: tuple[Choice, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    source: Source | None = None
    type: Literal["quiz"] = "quiz"

    @property
    def is_numeric(self) -> bool:
        return self.answer is not None

    @property
    def multiple(self) -> bool:
        """True when more than one choice is right (the learner picks all of them)."""
        return sum(c.correct for c in self.choices) > 1


class Mistake(Record):
    """A known wrong implementation and the message that explains it."""

    name: str
    impl: str  # dotted path to a function or class with the learner's signature
    message: str
    replaces: str = ""  # which of the exercise's names it stands for ("" = the first)


class QuantitySpec(Record):
    """Where the named quantities of one call's formula come from (the quantities diagnosis).

    ``call`` is one of the exercise's names, or ``Class.method`` for a method of one of them;
    ``impl`` a dotted path to a function taking the call's keyword arguments (and, for a method,
    the reference object first, as it is before the call) and returning the quantities in the
    formula's order (``tutor.grading.cases.Quantity``)."""

    call: str
    impl: str


class EdgeCase(Record):
    """A fixed case written as YAML literals: one call of ``call`` with ``args``."""

    name: str
    call: str
    args: Mapping[str, Any]


class Race(Record):
    """What the app runs after the exercise passes (``race:`` of the exercise file).

    ``kind`` "quadratic": the learner's ``name`` on ``½·wᵀAw``, ``update`` the loop body, ``setup``
    run once before the loop, ``lr`` the rate shown; "digits": the learner's ``train`` on the digits.
    """

    name: str
    kind: str = "quadratic"
    lr: float = 0.0
    update: str = ""
    setup: str = ""


class Exercise(Record):
    id: str
    title: str
    names: tuple[str, ...]
    instructions: str
    starter: str
    hints: tuple[str, ...]
    reference: str  # dotted path to a module holding ``names``
    cases: str  # dotted path: def gen(rng) -> list[case program]
    solution: str
    mistakes: tuple[Mistake, ...] = ()
    edge_cases: tuple[EdgeCase, ...] = ()
    extra: bool = False
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    time_limit: float = 5.0
    memory_mb: int = 512
    allow_mutation: bool = False
    quantities: tuple[QuantitySpec, ...] = ()
    source: Source | None = None
    race: Race | None = None  # the app's race after a pass; None: no race
    # the course's own Python folder (course.yaml `python:`), or None: pass it to
    # tutor.course.resolve.resolve(dotted, python_path) for reference, cases and mistakes
    python_path: Path | None = None


class ExerciseStep(Record):
    id: str  # the exercise id
    title: str
    exercise: Exercise
    source: Source | None = None
    type: Literal["exercise"] = "exercise"


Step = Union[TextStep, PlotStep, QuizStep, ExerciseStep]


class Lesson(Record):
    id: str
    title: str
    summary: str
    minutes: int
    steps: tuple[Step, ...]
    module_id: str = ""
    source: Source | None = None

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def step_key(self, step: Step) -> str:
        """The progress key of a step: ``"<lesson id>/<step id>"``."""
        return f"{self.id}/{step.id}"

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(s.exercise for s in self.steps if isinstance(s, ExerciseStep))


class Module(Record):
    id: str
    title: str
    lessons: tuple[Lesson, ...]


class Course(Record):
    title: str
    modules: tuple[Module, ...]
    exercises: Mapping[str, Exercise]
    root: Path
    notation: str = ""  # Markdown of the notation and glossary page
    # The course's own Python folder (course.yaml `python:`), or None. Trusted code: it is put on
    # sys.path only when a dotted path is resolved (tutor.course.resolve), never at load time.
    python_path: Path | None = None

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for m in self.modules for lesson in m.lessons)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((x for x in self.lessons if x.id == lesson_id), None)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self.exercises.get(exercise_id)

    def lessons_with(self, exercise_id: str) -> tuple[Lesson, ...]:
        """The lessons whose steps include exercise ``exercise_id``."""
        return tuple(x for x in self.lessons if any(e.id == exercise_id for e in x.exercises))
