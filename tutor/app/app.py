"""``TutorApp``: the Textual application behind ``tutor start``.

It holds the services (the course, the progress store, the workspace, the checker) and the
theme; the main screen does the rest. Quitting (ctrl+q, from anywhere) saves the open exercise
first, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tutor.app.navigation import CourseIndex, StepRef
from tutor.course.model import Course

if TYPE_CHECKING:  # types only: start-up imports none of these modules for them
    from tutor.app.checker import Checker
    from tutor.app.screens.main import MainScreen
    from tutor.progress.store import Store
    from tutor.progress.workspace import Workspace

FIRST_LESSON = "7.1"
STEP_CSS = Path(__file__).with_name("steps.tcss")
READY_AT_THE_LATEST = 10.0  # seconds: ``on_ready`` is called by then even if the first step failed
DARK = "textual-dark"
LIGHT = "textual-light"


def _course_commands() -> type:
    from tutor.app.commands import CourseCommands

    return CourseCommands


def _app_commands() -> type:
    from tutor.app.commands import AppCommands

    return AppCommands


class TutorApp(App[int]):
    CSS_PATH = "tutor.tcss"
    TITLE = "tutor"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    COMMANDS = App.COMMANDS | {_course_commands, _app_commands}

    def __init__(
        self,
        course: Course,
        store: Store,
        workspace: Workspace,
        *,
        lesson_id: str | None = None,
        checker: Checker | None = None,
        deterministic: bool = False,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        """``deterministic``: no cursor blink, no welcome timing effects (snapshots).
        ``on_ready``: called once, when the first step and the interactive outline are shown
        (``tutor start`` ends its start-up there, see ``tutor.commands.start``)."""
        super().__init__()
        self._on_ready = on_ready
        self.course = course
        self.store = store
        self.workspace = workspace
        self.deterministic = deterministic
        self._checker: Checker | None = checker
        self.main_screen: MainScreen | None = None
        self.index = CourseIndex(course)
        self.start_ref, self.first_run = self._start(lesson_id)
        theme = self._setting("theme", DARK)
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme

    # ---- services ---------------------------------------------------------------------------
    @property
    def checker(self) -> Checker:
        if self._checker is None:
            from tutor.app.checker import SandboxChecker

            self._checker = SandboxChecker(self.course.python_path)
        return self._checker

    def warm_checker(self) -> None:
        """Start the sandbox in the background, so the first check does not wait for it."""
        self.run_worker(self.checker.warm, thread=True, exit_on_error=False, group="warm", exclusive=True)

    def _setting(self, key: str, default: Any) -> Any:
        try:
            return self.store.get_setting(key, default)
        except Exception:  # noqa: BLE001 - a setting is never worth failing to start
            return default

    def saved_quiz_answer(self, ref: StepRef) -> str | None:
        from tutor.app.widgets.quiz import from_store

        saved = self.store.quiz_answer(ref.key)
        return None if saved is None else from_store(ref.step, saved.answer)

    def done_keys(self) -> set[str]:
        """The keys of the steps done, by the one rule of ``tutor.progress.status.step_done``."""
        from tutor.progress.status import Snapshot, step_done

        snap = Snapshot.read(self.store)
        return {ref.key for ref in self.index.refs if step_done(ref.lesson, ref.step, snap)}

    # ---- where to start ---------------------------------------------------------------------
    def _start(self, lesson_id: str | None) -> tuple[StepRef, bool]:
        if not self.index.refs:
            raise ValueError("the course has no steps")
        position = self.store.position()
        saved: StepRef | None = None
        if position:
            saved = self.index.find(position[0], position[1])
        if lesson_id is not None:
            if saved is not None and saved.lesson.id == lesson_id:
                return saved, False
            ref = self.index.find(lesson_id)
            if ref is None:
                raise ValueError(f"no lesson {lesson_id!r} in this course")
            return ref, position is None
        if saved is not None:
            return saved, False
        first = self.index.find(FIRST_LESSON) or self.index.refs[0]
        return first, position is None

    def get_default_screen(self) -> Screen:
        from tutor.app.screens.main import MainScreen

        screen = MainScreen(self.index, self.start_ref, self.done_keys(), welcome=self.first_run)
        self.main_screen = screen
        return screen

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._on_ready is not None:  # in case the first step never gets shown (an error)
            self.set_timer(READY_AT_THE_LATEST, self.started)

    def load_step_styles(self) -> None:
        """Read ``steps.tcss`` (once): the main screen calls it as soon as its first paint is done,
        before it mounts a step; pushing any screen calls it too. Until then the stylesheet holds
        only the frame's rules, which is what the first paint parses. No mounted widget matches
        the new rules, so only widgets mounted from now on are styled by them."""
        if not self.stylesheet.has_source(str(STEP_CSS), ""):
            self.stylesheet.read(STEP_CSS)
            self.stylesheet.parse()  # parses the new file only (the others come from its cache)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.load_step_styles()
        return super().push_screen(*args, **kwargs)

    def started(self) -> None:
        """The main screen is ready (its first step and outline are mounted)."""
        hook, self._on_ready = self._on_ready, None
        if hook is not None:
            hook()

    def _theme_changed(self, theme: Any) -> None:
        try:
            self.store.set_setting("theme", theme.name)
        except Exception as exc:  # noqa: BLE001
            self.notify(f"Could not save the theme: {exc}", severity="warning")

    # ---- actions ----------------------------------------------------------------------------
    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    async def action_quit(self) -> None:
        self.save_all()
        self.exit(0)

    def save_all(self) -> None:
        screen = self.main_screen
        if screen is not None and screen.is_mounted:
            try:
                screen.flush()
            except Exception as exc:  # noqa: BLE001 - quitting must still work
                self.log.error(f"flush failed: {exc}")

    async def _on_exit_app(self) -> None:
        self.save_all()
        await super()._on_exit_app()

    def on_unmount(self) -> None:
        if self._checker is not None:
            try:
                self._checker.close()
            except Exception:  # noqa: BLE001
                pass
