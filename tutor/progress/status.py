"""Status of steps, exercises, lessons and modules: the course model read against the store.

Rules (one implementation, shared by ``tutor list``, ``tutor progress`` and the app's outline,
which calls :func:`done_step_keys`):

* a step is **done** when it was marked done, or it is a quiz answered right, or it is an exercise
  step whose exercise has a passing attempt (exercises are shared between lessons);
* an exercise is **done** when one attempt passed; **started** when it has attempts, hints, a
  revealed solution, a workspace file, or its step was seen; else **not started**;
* a lesson is **done** when every step is done; **started** when any step was seen or done or one
  of its exercises is started; a module likewise over its lessons.

Progress whose ids are not in the course is kept in the store and listed by :func:`orphans`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from tutor.progress.store import ExerciseSummary, Store
from tutor.progress.workspace import Workspace
from tutor.record import Record, field

if TYPE_CHECKING:  # the course model is only needed for types here
    from tutor.course.model import Course, Exercise, Lesson, Module, Step

Status = Literal["done", "started", "not started"]


class Snapshot(Record):
    """Everything the status rules need, read from the store (and the workspace) at once."""

    done_steps: frozenset[str]
    seen_steps: frozenset[str]
    quiz_right: frozenset[str]  # step keys of quizzes whose latest answer is right
    quiz_keys: frozenset[str]  # step keys of every quiz answered
    exercises: dict[str, ExerciseSummary] = field(default_factory=dict)
    time_spent: dict[str, float] = field(default_factory=dict)  # seconds per lesson id
    workspace_files: frozenset[str] = frozenset()
    position: tuple[str, str] | None = None

    @classmethod
    def read(cls, store: Store, workspace: Workspace | None = None) -> Snapshot:
        steps = store.steps()
        quiz = store.quiz_answers()
        return cls(
            done_steps=frozenset(k for k, s in steps.items() if s.done_at is not None),
            seen_steps=frozenset(steps),
            quiz_right=frozenset(k for k, q in quiz.items() if q.correct),
            quiz_keys=frozenset(quiz),
            exercises=store.exercise_summaries(),
            time_spent=store.time_spent(),
            workspace_files=frozenset(workspace.exercise_ids()) if workspace is not None else frozenset(),
            position=store.position(),
        )

    def attempts(self, exercise_id: str) -> int:
        s = self.exercises.get(exercise_id)
        return s.attempts if s else 0


def exercise_status(exercise_id: str, snap: Snapshot, seen: bool = False) -> Status:
    s = snap.exercises.get(exercise_id)
    if s is not None and s.passed:
        return "done"
    if seen or exercise_id in snap.workspace_files:
        return "started"
    if s is not None and (s.attempts or s.hints_revealed or s.solution_revealed):
        return "started"
    return "not started"


def step_done(lesson: Lesson, step: Step, snap: Snapshot) -> bool:
    key = lesson.step_key(step)
    if key in snap.done_steps or key in snap.quiz_right:
        return True
    if step.type == "exercise":
        s = snap.exercises.get(step.exercise.id)  # type: ignore[union-attr]
        return bool(s and s.passed)
    return False


def done_step_keys(lessons: Iterable[Lesson], snap: Snapshot) -> set[str]:
    """The keys of every done step of ``lessons`` by :func:`step_done` (the app's outline)."""
    return {lesson.step_key(s) for lesson in lessons for s in lesson.steps if step_done(lesson, s, snap)}


def _exercise_seen(exercise_id: str, course: Course, snap: Snapshot) -> bool:
    return any(f"{x.id}/{exercise_id}" in snap.seen_steps for x in course.lessons_with(exercise_id))


def exercise_status_in(exercise: Exercise, course: Course, snap: Snapshot) -> Status:
    return exercise_status(exercise.id, snap, seen=_exercise_seen(exercise.id, course, snap))


def lesson_status(lesson: Lesson, snap: Snapshot) -> Status:
    done = [step_done(lesson, s, snap) for s in lesson.steps]
    if done and all(done):
        return "done"
    if any(done):
        return "started"
    keys = {lesson.step_key(s) for s in lesson.steps}
    if keys & (snap.seen_steps | snap.quiz_keys) or snap.time_spent.get(lesson.id, 0) > 0:
        return "started"
    if any(exercise_status(e.id, snap) != "not started" for e in lesson.exercises):
        return "started"
    return "not started"


def module_status(module: Module, snap: Snapshot) -> Status:
    statuses = [lesson_status(x, snap) for x in module.lessons]
    if statuses and all(s == "done" for s in statuses):
        return "done"
    if any(s != "not started" for s in statuses):
        return "started"
    return "not started"


class Tally(Record):
    """Counts for a module (or the whole course)."""

    lessons_done: int
    lessons_total: int
    steps_done: int
    steps_total: int
    exercises_done: int
    exercises_total: int
    attempts: int
    seconds: float

    @property
    def fraction(self) -> float:
        """Share of steps done, in [0, 1]."""
        return self.steps_done / self.steps_total if self.steps_total else 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(_fields(self), _fields(other))))


def _fields(t: Tally) -> tuple[float, ...]:
    return (
        t.lessons_done,
        t.lessons_total,
        t.steps_done,
        t.steps_total,
        t.exercises_done,
        t.exercises_total,
        t.attempts,
        t.seconds,
    )


def tally(lessons: tuple[Lesson, ...], snap: Snapshot) -> Tally:
    """Counts over ``lessons``; an exercise used by two of them counts once."""
    exercise_ids = list(dict.fromkeys(e.id for x in lessons for e in x.exercises))
    return Tally(
        lessons_done=sum(lesson_status(x, snap) == "done" for x in lessons),
        lessons_total=len(lessons),
        steps_done=sum(step_done(x, s, snap) for x in lessons for s in x.steps),
        steps_total=sum(len(x.steps) for x in lessons),
        exercises_done=sum(exercise_status(e, snap) == "done" for e in exercise_ids),
        exercises_total=len(exercise_ids),
        attempts=sum(snap.attempts(e) for e in exercise_ids),
        seconds=sum(snap.time_spent.get(x.id, 0.0) for x in lessons),
    )


class Orphans(Record):
    """Progress kept in the store for ids that this course does not have."""

    exercises: tuple[str, ...]  # exercise ids with attempts, hints or a solution revealed
    steps: tuple[str, ...]  # step keys (seen, done or answered) of lessons that still exist
    lessons: tuple[str, ...]  # lesson ids with steps or time in the store

    def __bool__(self) -> bool:
        return bool(self.exercises or self.steps or self.lessons)

    def messages(self) -> list[str]:
        """One sentence per kind, e.g. "2 exercises in your progress are not in this course: a, b"."""
        out = []
        for items, one, many in (
            (self.exercises, "exercise", "exercises"),
            (self.lessons, "lesson", "lessons"),
            (self.steps, "step", "steps"),
        ):
            if items:
                n = len(items)
                verb = "is" if n == 1 else "are"
                shown = ", ".join(items[:8]) + (f", … ({n - 8} more)" if n > 8 else "")
                out.append(f"{n} {one if n == 1 else many} in your progress {verb} not in this course: {shown}")
        if out:
            out.append("(kept, not counted; it comes back if the course brings those ids back)")
        return out


def orphans(course: Course, snap: Snapshot) -> Orphans:
    lesson_ids = {x.id for x in course.lessons}
    step_keys = {x.step_key(s) for x in course.lessons for s in x.steps}
    keys = snap.seen_steps | snap.quiz_keys
    stray = [k for k in keys if k not in step_keys]
    lessons_of_stray = {k.split("/", 1)[0] for k in stray} | set(snap.time_spent)
    return Orphans(
        exercises=tuple(sorted(e for e in snap.exercises if e not in course.exercises)),
        # a step renamed or removed in a lesson that still exists; a lost lesson is listed once below
        steps=tuple(sorted(k for k in stray if k.split("/", 1)[0] in lesson_ids)),
        lessons=tuple(sorted(x for x in lessons_of_stray if x not in lesson_ids)),
    )
