"""``GuardedStore``: a failing store never raises into the app; writes are queued and retried at
the next write; the learner hears once that saving stopped, and once that it works again."""

from __future__ import annotations

from pathlib import Path

from tutor.progress.guard import GuardedStore
from tutor.progress.store import Store, StoreError


class Flaky:
    """A real store whose calls raise ``StoreError`` (a full disk) while ``full`` is set."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.full = False

    def __getattr__(self, name: str):
        attr = getattr(self.store, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            if self.full and name not in ("done_steps", "position", "hints_revealed", "close"):
                raise StoreError(f"cannot save your progress in {self.store.home}: the disk is full")
            return attr(*args, **kwargs)

        return call


def test_writes_while_the_disk_is_full_are_kept_and_saved_at_the_next_write(tmp_path: Path) -> None:
    problems: list[str] = []
    recovered: list[str] = []
    with Store.open(tmp_path) as real:
        flaky = Flaky(real)
        guard = GuardedStore(flaky, problems.append, recovered.append)
        guard.mark_done("7.1/a")
        flaky.full = True
        guard.mark_done("7.1/b")  # no exception
        guard.set_position("7.1", "b")
        guard.set_position("7.1", "c")  # only the latest position is kept
        assert guard.record_attempt("adam", True, 8, 8, "code", 1) == 0
        assert guard.reveal_hint("adam", available=2) == 1
        assert guard.reveal_hint("adam", available=2) == 2
        assert guard.reveal_hint("adam", available=2) == 2
        assert guard.hints_revealed("adam") == 2
        assert guard.get_setting("theme", "dark") == "dark"  # a read falls back to its default
        assert len(problems) == 1 and "the disk is full" in problems[0] and str(tmp_path) in problems[0]
        assert guard.failing and guard.queued == 6
        assert real.done_steps() == {"7.1/a"}
        flaky.full = False
        guard.mark_seen("7.1/c")  # the next write sends the queue first
        assert guard.queued == 0 and not guard.failing
        assert recovered == ["Your progress is being saved again."]
        assert real.done_steps() == {"7.1/a", "7.1/b"}
        assert real.position() == ("7.1", "c")
        assert [a.passed for a in real.attempts("adam")] == [True]
        assert real.hints_revealed("adam") == 2


def test_a_store_that_works_passes_everything_through(tmp_path: Path) -> None:
    with Store.open(tmp_path) as real:
        guard = GuardedStore(real, lambda m: (_ for _ in ()).throw(AssertionError(m)))
        guard.mark_done("7.1/a")
        assert guard.record_attempt("adam", False, 1, 8, "c", 2) >= 1
        assert guard.done_steps() == {"7.1/a"}
        assert guard.notice == real.notice and guard.path == real.path
