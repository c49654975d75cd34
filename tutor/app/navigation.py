"""The course as one flat sequence of steps, and moves through it.

No Textual here: the outline, the key bindings, the palette and the resume logic all use this.
"""

from __future__ import annotations

from tutor.course.model import Course, Lesson, Step
from tutor.record import Record


class StepRef(Record):
    """One step of the course with where it sits: ``index`` in the flat sequence."""

    index: int
    lesson: Lesson
    step: Step
    number: int  # 1-based position in its lesson

    @property
    def key(self) -> str:
        """The progress key, ``"<lesson id>/<step id>"``."""
        return self.lesson.step_key(self.step)

    @property
    def title(self) -> str:
        return step_title(self.step)


def step_title(step: Step) -> str:
    """A step's title, falling back to its kind and id when the lesson gave none."""
    title = getattr(step, "title", "") or ""
    if title:
        return title
    if step.type == "exercise":
        return step.exercise.title or step.id
    return f"{step.type.capitalize()}: {step.id}"


class CourseIndex:
    """Every step of ``course`` in reading order, with look-ups by lesson and step id."""

    def __init__(self, course: Course) -> None:
        self.course = course
        refs: list[StepRef] = []
        for lesson in course.lessons:
            for number, step in enumerate(lesson.steps, start=1):
                refs.append(StepRef(len(refs), lesson, step, number))
        self.refs: tuple[StepRef, ...] = tuple(refs)
        self._by_key = {r.key: r for r in self.refs}

    def __len__(self) -> int:
        return len(self.refs)

    def __getitem__(self, index: int) -> StepRef:
        return self.refs[index]

    def find(self, lesson_id: str, step_id: str | None = None) -> StepRef | None:
        """The step ``step_id`` of lesson ``lesson_id``, or the lesson's first step."""
        if step_id is not None:
            return self._by_key.get(f"{lesson_id}/{step_id}")
        return next((r for r in self.refs if r.lesson.id == lesson_id), None)

    def by_key(self, key: str) -> StepRef | None:
        return self._by_key.get(key)

    def next(self, ref: StepRef) -> StepRef | None:
        return self.refs[ref.index + 1] if ref.index + 1 < len(self.refs) else None

    def previous(self, ref: StepRef) -> StepRef | None:
        return self.refs[ref.index - 1] if ref.index > 0 else None

    def next_lesson(self, ref: StepRef) -> StepRef | None:
        """The first step of the lesson after ``ref``'s lesson."""
        return next((r for r in self.refs[ref.index + 1 :] if r.lesson.id != ref.lesson.id), None)

    def exercise_step(self, exercise_id: str) -> StepRef | None:
        """The first step that holds exercise ``exercise_id``."""
        return next(
            (r for r in self.refs if r.step.type == "exercise" and r.step.exercise.id == exercise_id),
            None,
        )

    def lesson_done(self, lesson: Lesson, done: set[str]) -> bool:
        return bool(lesson.steps) and all(lesson.step_key(s) in done for s in lesson.steps)

    def lesson_progress(self, lesson: Lesson, done: set[str]) -> tuple[int, int]:
        """(steps done, steps) of ``lesson``."""
        return sum(1 for s in lesson.steps if lesson.step_key(s) in done), len(lesson.steps)

    def remaining(self, lesson: Lesson, done: set[str]) -> list[StepRef]:
        """The steps of ``lesson`` not done yet, in reading order."""
        return [r for r in self.refs if r.lesson.id == lesson.id and r.key not in done]

    def first_unfinished(self, done: set[str]) -> StepRef | None:
        return next((r for r in self.refs if r.key not in done), None)
