"""The store against a plain in-memory model, over random sequences of operations (Hypothesis)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tutor.progress.store import Store

EXERCISES = st.sampled_from(["adam", "sgd", "momentum"])
LESSONS = st.sampled_from(["7.1", "7.10", "7.2"])
STEPS = st.sampled_from(["idea", "quiz", "adam"])


class StoreModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="tutor-store-model-"))
        self.store = Store.open(self.dir)
        self.attempts: dict[int, tuple[str, bool]] = {}
        self.hints: dict[str, int] = {}
        self.seen: set[str] = set()
        self.done: set[str] = set()
        self.quiz: dict[str, tuple[int, bool]] = {}
        self.time: dict[str, float] = {}

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(ex=EXERCISES, passed=st.booleans())
    def attempt(self, ex: str, passed: bool) -> None:
        aid = self.store.record_attempt(ex, passed, 1, 2, f"code {ex}", 0)
        assert aid not in self.attempts
        self.attempts[aid] = (ex, passed)

    @rule(ex=EXERCISES, available=st.one_of(st.none(), st.integers(0, 3)))
    def hint(self, ex: str, available: int | None) -> None:
        n = self.hints.get(ex, 0)
        if available is None or n < available:
            n += 1
        self.hints[ex] = n
        assert self.store.reveal_hint(ex, available=available) == n

    @rule(lesson=LESSONS, step=STEPS, done=st.booleans())
    def step(self, lesson: str, step: str, done: bool) -> None:
        key = f"{lesson}/{step}"
        (self.store.mark_done if done else self.store.mark_seen)(key)
        self.seen.add(key)
        if done:
            self.done.add(key)

    @rule(lesson=LESSONS, answer=st.integers(0, 3), correct=st.booleans())
    def quiz_answer(self, lesson: str, answer: int, correct: bool) -> None:
        key = f"{lesson}/quiz"
        self.store.record_quiz(key, answer, correct)
        tries = self.quiz.get(key, (0, False))[0] + 1
        self.quiz[key] = (tries, correct)

    @rule(lesson=LESSONS, seconds=st.floats(0.5, 100.0))
    def spend(self, lesson: str, seconds: float) -> None:
        self.store.add_time(lesson, seconds)
        self.time[lesson] = self.time.get(lesson, 0.0) + seconds

    @rule(ex=EXERCISES)
    def forget_exercise(self, ex: str) -> None:
        gone = self.store.forget(exercise_ids=[ex])
        assert {a["id"] for a in gone["attempts"]} == {i for i, (e, _) in self.attempts.items() if e == ex}
        self.attempts = {i: v for i, v in self.attempts.items() if v[0] != ex}
        self.hints.pop(ex, None)

    @rule(lesson=LESSONS)
    def forget_lesson(self, lesson: str) -> None:
        self.store.forget(lesson_ids=[lesson])
        prefix = f"{lesson}/"
        self.seen = {k for k in self.seen if not k.startswith(prefix)}
        self.done = {k for k in self.done if not k.startswith(prefix)}
        self.quiz = {k: v for k, v in self.quiz.items() if not k.startswith(prefix)}
        self.time.pop(lesson, None)

    @invariant()
    def agrees(self) -> None:
        s = self.store
        assert {a.id: (a.exercise_id, a.passed) for a in s.attempts()} == self.attempts
        for ex in ("adam", "sgd", "momentum"):
            assert s.hints_revealed(ex) == self.hints.get(ex, 0)
            assert s.exercise_done(ex) == any(e == ex and p for e, p in self.attempts.values())
        assert s.seen_steps() == self.seen and s.done_steps() == self.done
        assert {k: (q.tries, q.correct) for k, q in s.quiz_answers().items()} == self.quiz
        got = s.time_spent()
        assert set(got) == set(self.time) and all(abs(got[k] - v) < 1e-6 for k, v in self.time.items())


StoreModel.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
TestStoreModel = StoreModel.TestCase
