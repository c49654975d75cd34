"""``GuardedStore``: the app's view of the progress store, which never lets a store failure end
the session.

A full disk, a folder made read-only, a database locked too long: every :class:`Store` method
raises :class:`StoreError` then. The app must keep running (reading, navigating, writing code in
the workspace), tell the learner once, and save again as soon as it can. So the guard:

* calls the store; on :class:`StoreError` it returns what an empty store would (``set()``,
  ``None``, the default of ``get_setting``) for a read, and for a write keeps the call in a queue
  and returns a stand-in (``reveal_hint`` counts the hints it has shown itself);
* tries the queued writes again, in order, before the next write (the *next write retries*), and
  once they all went through says so;
* calls ``on_problem(message)`` when a failure starts (or its message changes) and
  ``on_recovered(message)`` when writing works again — the app shows them as notifications.

Anything else about the store (``notice``, ``path``, ``close``) passes through unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tutor.progress.store import StoreError

MAX_QUEUED = 10_000  # writes kept while the store fails (a session makes a few per step)

#: Reads and what each returns when the store cannot be read (a function of the call's arguments).
_READ_DEFAULTS: dict[str, Callable[..., Any]] = {
    "done_steps": lambda *a, **k: set(),
    "seen_steps": lambda *a, **k: set(),
    "steps": lambda *a, **k: {},
    "quiz_answer": lambda *a, **k: None,
    "quiz_answers": lambda *a, **k: {},
    "attempts": lambda *a, **k: [],
    "attempt_ids": lambda *a, **k: set(),
    "exercise_done": lambda *a, **k: False,
    "exercise_summaries": lambda *a, **k: {},
    "position": lambda *a, **k: None,
    "time_spent": lambda *a, **k: {},
    "get_setting": lambda key, default=None: default,
}

_WRITES = frozenset(
    {
        "mark_seen",
        "mark_done",
        "record_quiz",
        "record_attempt",
        "reveal_hint",
        "reveal_solution",
        "set_position",
        "add_time",
        "set_setting",
    }
)


class GuardedStore:
    """Wraps a :class:`~tutor.progress.store.Store` for the app (see the module docstring)."""

    def __init__(
        self,
        store: Any,
        on_problem: Callable[[str], None],
        on_recovered: Callable[[str], None] | None = None,
    ) -> None:
        self._store = store
        self._on_problem = on_problem
        self._on_recovered = on_recovered
        self._lock = threading.RLock()
        self._queue: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self._problem = ""  # the message of the failure going on, "" when all is well
        self._hints: dict[str, int] = {}  # hints shown per exercise, for when the store cannot say
        self._solutions: set[str] = set()

    @property
    def store(self) -> Any:
        """The wrapped store."""
        return self._store

    @property
    def failing(self) -> str:
        """The current failure's message, or "" when the last call to the store succeeded."""
        return self._problem

    @property
    def queued(self) -> int:
        """How many writes wait for the store to work again."""
        return len(self._queue)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name in _WRITES:
            return lambda *args, **kwargs: self._write(name, args, kwargs)
        if name in _READ_DEFAULTS or name in ("hints_revealed", "solution_revealed"):
            return lambda *args, **kwargs: self._read(name, args, kwargs)
        return attr

    # -- calls -----------------------------------------------------------------------------------

    def _read(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        try:
            result = getattr(self._store, name)(*args, **kwargs)
        except StoreError as exc:
            self._failed(str(exc))
            if name == "hints_revealed":
                return self._hints.get(args[0] if args else kwargs["exercise_id"], 0)
            if name == "solution_revealed":
                return (args[0] if args else kwargs["exercise_id"]) in self._solutions
            return _READ_DEFAULTS[name](*args, **kwargs)
        if name == "hints_revealed":
            key = args[0] if args else kwargs["exercise_id"]
            result = max(int(result), self._hints.get(key, 0))
        elif name == "solution_revealed":
            result = bool(result) or (args[0] if args else kwargs["exercise_id"]) in self._solutions
        return result

    def _write(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        with self._lock:
            try:
                self._replay()
                result = getattr(self._store, name)(*args, **kwargs)
            except StoreError as exc:
                self._enqueue(name, args, kwargs)
                self._failed(str(exc))
                return self._stand_in(name, args, kwargs)
            if name == "reveal_hint":
                self._hints[args[0] if args else kwargs["exercise_id"]] = int(result)
            if self._problem:
                self._problem = ""
                if self._on_recovered is not None:
                    self._on_recovered("Your progress is being saved again.")
            return result

    def _replay(self) -> None:
        """Send the queued writes, oldest first; stop (raising) at the first that fails."""
        while self._queue:
            name, args, kwargs = self._queue[0]
            getattr(self._store, name)(*args, **kwargs)
            self._queue.pop(0)

    def _enqueue(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if name in ("set_position", "set_setting"):  # only the latest value matters
            key = None if name == "set_position" else (args[0] if args else kwargs.get("key"))
            self._queue = [
                q for q in self._queue
                if not (q[0] == name and (key is None or (q[1][0] if q[1] else q[2].get("key")) == key))
            ]
        if len(self._queue) < MAX_QUEUED:
            self._queue.append((name, args, kwargs))

    def _stand_in(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if name == "reveal_hint":
            exercise_id = args[0] if args else kwargs["exercise_id"]
            available = args[1] if len(args) > 1 else kwargs.get("available")
            shown = self._hints.get(exercise_id, 0)
            if available is None or shown < available:
                shown += 1
            self._hints[exercise_id] = shown
            return shown
        if name == "reveal_solution":
            self._solutions.add(args[0] if args else kwargs["exercise_id"])
        if name == "record_attempt":
            return 0
        return None

    def _failed(self, message: str) -> None:
        if message != self._problem:
            self._problem = message
            self._on_problem(
                f"Your progress cannot be saved right now: {message}. You can keep reading and "
                "working: tutor tries again at your next step or check."
            )
