"""A small hand-built course for the progress command tests.

Two modules, four lessons, three exercises. ``build_course(v2=True)`` is the same course after an
update that renamed lesson 7.2 to 7.9 (dropping the exercise ``momentum``) and renamed the step
``idea`` of 7.1 to ``idea-v2``.
"""

from __future__ import annotations

from pathlib import Path

from tutor.course.model import (
    Choice,
    Course,
    Exercise,
    ExerciseStep,
    Lesson,
    Module,
    QuizStep,
    TextStep,
)


def _exercise(eid: str, hints: int = 3) -> Exercise:
    return Exercise(
        id=eid,
        title=f"The {eid} exercise",
        names=(f"{eid}_fn",),
        instructions="Write it.",
        starter=f"def {eid}_fn(x):\n    raise NotImplementedError\n",
        hints=tuple(f"hint {i} for {eid}" for i in range(1, hints + 1)),
        reference="tutor.core.optimizers",
        cases="tutor.exercises.fake.cases",
        solution=f"def {eid}_fn(x):\n    return x  # the {eid} solution\n",
    )


def _lesson(lid: str, title: str, module: str, exercises: tuple[Exercise, ...], text_id: str = "idea") -> Lesson:
    steps = [
        TextStep(id=text_id, title="Idea", markdown="text"),
        QuizStep(id="quiz", title="Quiz", question="?", explanation="!", choices=(Choice("a", True), Choice("b"))),
    ]
    steps += [ExerciseStep(id=e.id, title=e.title, exercise=e) for e in exercises]
    return Lesson(id=lid, title=title, summary="", minutes=5, steps=tuple(steps), module_id=module)


def build_course(v2: bool = False) -> Course:
    sgd, momentum, adam = _exercise("sgd"), _exercise("momentum", hints=2), _exercise("adam")
    lessons7 = (
        _lesson("7.1", "Mini-batch SGD", "7", (sgd,), text_id="idea-v2" if v2 else "idea"),
        _lesson("7.9", "Momentum, renamed", "7", ()) if v2 else _lesson("7.2", "Momentum", "7", (momentum,)),
        _lesson("7.7", "Adam", "7", (adam,)),
    )
    lessons8 = (_lesson("8.1", "Overfitting", "8", ()),)
    modules = (Module("7", "Optimizers", lessons7), Module("8", "Regularization", lessons8))
    exercises = {e.id: e for x in lessons7 + lessons8 for e in x.exercises}
    return Course(title="Test course", modules=modules, exercises=exercises, root=Path("/nonexistent"))


