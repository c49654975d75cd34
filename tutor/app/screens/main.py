"""The main screen: the outline on the left, the current step on the right, the footer.

The first paint holds only the outline, the step's title and the footer; the step's own
widgets (Markdown, plot, editor) are imported and mounted right after, so the first useful
screen appears as fast as a bare Textual app's.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.app.navigation import CourseIndex, StepRef
from tutor.app.widgets.outline import Outline
from tutor.app.widgets.registry import actions_of

if TYPE_CHECKING:  # types only (the views' modules are imported when a step needs them)
    from tutor.app.app import TutorApp
    from tutor.app.widgets.base import StepView
    from tutor.app.widgets.exercise import ExerciseView
    from tutor.app.widgets.quiz import QuizView

STEP_ACTIONS = frozenset({"check", "rerun", "hint", "solution", "external_editor", "toggle_series"})

NARROW = 110  # columns below which the outline hides itself (the step keeps ~72 for formulas)
NARROW_FOOTER = 100  # below it, the footer leaves out the outline and notation keys
NARROW_EXERCISE = 130  # an exercise (instructions, editor, results) needs more room
ENLARGEABLE = {"instructions", "editor", "results"}  # F6's panes, besides any .step-scroll

WELCOME = (
    "Welcome to tutor! Read a step, then F8 (or n) for the next one. "
    "F1 lists every key; ctrl+q quits, and everything is kept for next time."
)


class StartFooter(Footer):
    """The footer; once its keys are on screen, the screen mounts the first step's widgets.

    The keys arrive in a recompose after the screen's bindings are known; they are drawn in the
    refresh that lays them out. Mounting the step (importing and rendering Markdown, ~100 ms)
    before that frame is out would hold the footer back by as much, so the screen is told only
    when every key has a place on screen (or after a few refreshes, if the footer is hidden)."""

    _told = False
    _waits = 0

    async def recompose(self) -> None:
        await super().recompose()
        if self._bindings_ready and not self._told:
            self._told = True
            self.call_after_refresh(self._wait_for_keys)

    def _wait_for_keys(self) -> None:
        keys = list(self.children)
        if (not keys or not all(key.region.area for key in keys)) and self._waits < 20:
            self._waits += 1
            self.call_after_refresh(self._wait_for_keys)
            return
        self.screen.call_after_refresh(self.screen.first_paint_done)


class MainScreen(Screen):
    # Order = order in the footer. The step's own keys come first; on narrow terminals the
    # outline and notation keys leave the footer (F1 lists them) but keep working.
    BINDINGS = [
        Binding("ctrl+r,f5", "check", "Check", key_display="^r/F5", priority=True),
        Binding("ctrl+r,f5", "rerun", "Re-run", key_display="^r/F5", priority=True),
        Binding("ctrl+t", "hint", "Hint", priority=True),
        Binding("ctrl+o", "solution", "Solution", priority=True),
        Binding("f4", "external_editor", "Editor", key_display="F4", priority=True),
        Binding("f8", "next_step", "Next", key_display="F8", priority=True),
        Binding("f7", "previous_step", "Prev", key_display="F7", priority=True),
        Binding("f7", "previous_step_key", "Prev", priority=True, show=False),
        Binding("f9", "next_lesson", "Next lesson", key_display="F9", priority=True, show=False),
        Binding("n", "next_step", "Next", show=False),
        Binding("p", "previous_step", "Prev", show=False),
        Binding("l", "next_lesson", "Next lesson", show=False),
        Binding("f1", "help", "Help", key_display="F1", priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_outline", "Outline", key_display="F2", priority=True),
        Binding("f2", "toggle_outline_key", "Outline", priority=True, show=False),
        Binding("o", "toggle_outline_key", "Outline", show=False),
        Binding("f3", "notation", "Notation", key_display="F3", priority=True),
        Binding("f3", "notation_key", "Notation", priority=True, show=False),
        Binding("g", "notation_key", "Notation", show=False),
        Binding("t", "app.toggle_theme", "Theme", show=False),
        Binding("w", "why_not_done", "Why not done?", show=False),
        Binding("f6", "enlarge", "Enlarge", key_display="F6", priority=True, show=False),
        # plot: 1-9 (outside a setting's field) or Esc then 1-9 (= alt+1-9, also in a field)
        *(Binding(f"{n},alt+{n}", f"toggle_series({n})", f"Curve {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, index: CourseIndex, start: StepRef, done: set[str], *, welcome: bool = False) -> None:
        super().__init__()
        self.index = index
        self.current = start
        self.done = set(done)
        self.welcome = welcome
        self.view: StepView | None = None
        self._outline_wanted: bool | None = None  # None: automatic (hidden when narrow)
        self._lesson_started = time.monotonic()
        self._first_mounted = False
        self.ready = False  # True once the first step and the interactive outline are mounted
        self._navigating = asyncio.Lock()
        self._narrow_footer: bool | None = None

    # ---- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield Outline(self.index, self.done, self.current, id="outline")
            with Vertical(id="main"):
                yield Static(self._title(self.current), id="step-title")
                if self.welcome:
                    yield Static(WELCOME, id="welcome")
                yield Vertical(id="step-body")
        yield StartFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._apply_outline(self.size.width)
        self._narrow_footer = self.size.width < NARROW_FOOTER
        # The step's widgets come after the first paint of the outline, the title and the
        # footer's keys (StartFooter calls first_paint_done), so importing and rendering them
        # never delays the first useful screen.

    def first_paint_done(self) -> None:
        if not self._first_mounted:
            self._first_mounted = True
            self.app.load_step_styles()
            self.run_worker(self._mount_first(), group="startup", exit_on_error=False)

    async def _mount_first(self) -> None:
        async with self._navigating:
            if self.view is None:  # the learner may have moved on before the first paint
                self._record_position(self.current)
                await self._mount_view(self.current, focus=True)
        self.call_after_refresh(self._upgrade_outline)

    def _upgrade_outline(self) -> None:
        self.run_worker(self._upgrade(), exit_on_error=False)

    async def _upgrade(self) -> None:
        try:
            await self.query_one(Outline).upgrade()
        finally:
            self.ready = True
            self.app.started()

    def _title(self, ref: StepRef) -> str:
        lesson = ref.lesson
        return f"{lesson.id} · {ref.number}/{len(lesson.steps)}  {ref.title}  ·  {lesson.title}"

    # ---- showing a step ---------------------------------------------------------------------
    @property
    def tutor(self) -> TutorApp:
        return cast("TutorApp", self.app)

    def _build_view(self, ref: StepRef) -> StepView:
        """The view of ``ref``: the registry's class for its step type (imported on first use)."""
        from tutor.app.widgets.registry import view_class

        return view_class(ref.step.type).build(ref, self.tutor)

    async def _mount_view(self, ref: StepRef, *, focus: bool) -> None:
        body = self.query_one("#step-body", Vertical)
        try:
            view = self._build_view(ref)
        except Exception as exc:  # noqa: BLE001 - e.g. an unreadable workspace file
            await body.remove_children()
            await body.mount(Static(f"⚠ This step cannot be shown: {exc}", classes="error"))
            self.view = None
            return
        if self.focused is not None and body in self.focused.ancestors:
            self.set_focus(None)  # or removing the old view would hand the focus to the outline
        await body.remove_children()
        self.view = view
        await body.mount(view)
        if focus:
            view.focus_default()
        self.refresh_bindings()
        if ref.step.type in ("text", "plot"):
            self._mark_done({ref.key})

    async def show(self, ref: StepRef) -> None:
        """Leave the current step (saving it) and open ``ref`` (one move at a time)."""
        async with self._navigating:
            await self._show(ref)

    async def _show(self, ref: StepRef) -> None:
        if self.view is not None:
            self.view.flush()
        old = self.current
        if old.lesson.id != ref.lesson.id:
            self._add_time(old)
        self.current = ref
        self.query_one("#step-title", Static).update(self._title(ref))
        for w in self.query("#welcome"):
            await w.remove()
        outline = self.query_one(Outline)
        outline.show_current(ref)
        self._record_position(ref)
        focus_in_outline = self.focused is not None and outline in self.focused.ancestors_with_self
        self._apply_outline(self.size.width)
        await self._mount_view(ref, focus=not (focus_in_outline and outline.display))

    def jump(self, ref: StepRef) -> None:
        """Open ``ref`` (from the palette or the outline)."""
        self.run_worker(self.show(ref), exclusive=True, group="navigate", exit_on_error=False)

    def _record_position(self, ref: StepRef) -> None:
        store = self.tutor.store
        store.set_position(ref.lesson.id, ref.step.id)
        store.mark_seen(ref.key)

    def _mark_done(self, keys: set[str]) -> None:
        new = set(keys) - self.done
        if not new:
            return
        for key in new:
            self.tutor.store.mark_done(key)
        self.done |= new
        self.query_one(Outline).mark_done(new)

    def _add_time(self, ref: StepRef) -> None:
        now = time.monotonic()
        seconds = now - self._lesson_started
        self._lesson_started = now
        try:
            self.tutor.store.add_time(ref.lesson.id, seconds)
        except Exception:  # noqa: BLE001 - time spent is a nicety, never worth an error
            pass

    def flush(self) -> None:
        """Save everything (before quitting)."""
        if self.view is not None:
            self.view.flush()
        self._add_time(self.current)

    # ---- messages from the views ------------------------------------------------------------
    def on_outline_jump(self, message: Outline.Jump) -> None:
        message.stop()
        if message.ref.key != self.current.key:
            self.jump(message.ref)

    def on_quiz_view_answered(self, message: QuizView.Answered) -> None:
        from tutor.app.widgets.quiz import to_store

        ref = message.view.ref
        self.tutor.store.record_quiz(ref.key, to_store(message.view.step, message.result.answer), message.result.correct)
        if message.result.correct:
            self._mark_done({ref.key})

    def on_exercise_view_checked(self, message: ExerciseView.Checked) -> None:
        for welcome in self.query("#welcome"):  # its rows go to the verdict
            welcome.remove()
        verdict = message.verdict
        exercise = message.view.exercise
        try:
            self.tutor.store.record_attempt(
                exercise.id, verdict.passed, verdict.cases_passed, verdict.cases_total, message.source, verdict.seed
            )
        except Exception as exc:  # noqa: BLE001
            self.notify(f"Could not record the attempt: {exc}", severity="error")
        if verdict.passed:
            keys = {r.key for r in self.index.refs if r.step.type == "exercise" and r.step.exercise.id == exercise.id}
            self._mark_done(keys)
            self.notify(f"{exercise.title}: passed. F8 goes on.", timeout=4)

    # ---- actions ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in STEP_ACTIONS:
            return action in actions_of(self.current.step.type)
        if action in ("toggle_outline", "notation"):
            return self.size.width >= NARROW_FOOTER
        if action == "previous_step" and self.current.step.type == "exercise" and self.size.width < NARROW_FOOTER:
            return False  # the footer has no room for it beside the exercise's keys (F7 still works)
        if action == "previous_step_key":
            return True if self.index.previous(self.current) else None
        if action == "previous_step":
            return True if self.index.previous(self.current) else None
        if action in ("next_step",):
            return True if self.index.next(self.current) else None
        return True

    async def action_next_step(self) -> None:
        ref = self.index.next(self.current)
        if ref is not None:
            await self.show(ref)

    async def action_previous_step(self) -> None:
        ref = self.index.previous(self.current)
        if ref is not None:
            await self.show(ref)

    async def action_previous_step_key(self) -> None:
        await self.action_previous_step()

    async def action_next_lesson(self) -> None:
        ref = self.index.next_lesson(self.current)
        if ref is None:
            self.notify("This is the last lesson.", timeout=3)
        else:
            await self.show(ref)

    def _step_view(self, action: str) -> StepView | None:
        """The view on screen when it answers ``action`` (else None)."""
        view = self.view
        return view if view is not None and view.answers(action) else None

    def action_check(self) -> None:
        if (view := self._step_view("check")) is not None:
            view.check()

    def action_rerun(self) -> None:
        if (view := self._step_view("rerun")) is not None:
            view.rerun()

    def action_hint(self) -> None:
        if (view := self._step_view("hint")) is not None:
            view.hint()

    def action_solution(self) -> None:
        if (view := self._step_view("solution")) is not None:
            view.solution()

    def action_toggle_series(self, number: int) -> None:
        if (view := self._step_view("toggle_series")) is not None:
            view.toggle_series(number)

    def action_external_editor(self) -> None:
        import os
        import shlex
        import shutil

        view = self._step_view("external_editor")
        if view is None:
            return
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
        argv = shlex.split(command) if command else []
        if not argv:
            fallback = shutil.which("nano") or shutil.which("vi")
            if fallback is None:
                self.notify("Set $EDITOR to the editor you want (e.g. export EDITOR=vim).", severity="warning")
                return
            argv = [fallback]
        view.external_editor(argv)

    def action_toggle_outline(self) -> None:
        outline = self.query_one(Outline)
        self._outline_wanted = not outline.display
        self._apply_outline(self.size.width)

    def action_enlarge(self) -> None:
        """F6: the pane holding the focus (the instructions, the editor, the results, a step's
        scrolling text or plot) fills the screen, which helps most at 80×24; F6 again (or Esc)
        puts it back. The outline is never enlarged."""
        if self.maximized is not None:
            self.minimize()
        else:
            focused = self.focused
            if focused is None or self.query_one(Outline) in focused.ancestors_with_self:
                return
            for node in focused.ancestors_with_self:
                if node.id in ENLARGEABLE or node.has_class("step-scroll"):
                    self.maximized = node  # (``maximize()`` refuses scroll containers)
                    break

    def watch_maximized(self) -> None:
        """The enlarged pane's title says how to put it back (F6, or Esc from anywhere)."""
        if self.view is not None:
            self.view.show_focus()
            self.view.enlarged_changed()

    def action_why_not_done(self) -> None:
        """``w``: the current lesson's steps left, and what makes each one done."""
        self.notify(why_not_done(self.index, self.current, self.done), title=f"Lesson {self.current.lesson.id}", timeout=12)

    def action_toggle_outline_key(self) -> None:
        self.action_toggle_outline()

    def action_notation_key(self) -> None:
        self.action_notation()

    def action_notation(self) -> None:
        from tutor.app.screens.document import DocumentScreen

        text = self.index.course.notation or "*This course has no notation page.*"
        self.app.push_screen(DocumentScreen("Notation and glossary", text))

    def action_help(self) -> None:
        from tutor.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # ---- narrow terminals -------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        self._apply_outline(event.size.width)
        narrow = event.size.width < NARROW_FOOTER
        if narrow != self._narrow_footer:  # recomposing the footer costs: only when it changes
            self._narrow_footer = narrow
            self.refresh_bindings()

    def _apply_outline(self, width: int) -> None:
        outline = self.query_one(Outline)
        limit = NARROW_EXERCISE if self.current.step.type == "exercise" else NARROW
        show = self._outline_wanted if self._outline_wanted is not None else width >= limit
        if outline.display != show:
            outline.display = show
            if not show and self.focused is not None and outline in self.focused.ancestors_with_self:
                if self.view is not None:
                    self.view.focus_default()


NEEDS = {
    "text": "open it",
    "plot": "open it",
    "quiz": "answer it right",
    "exercise": "pass a check (ctrl+r)",
}


def why_not_done(index: CourseIndex, ref: StepRef, done: set[str]) -> str:
    """The steps of ``ref``'s lesson still to do, one a line, with what each needs."""
    lesson = ref.lesson
    left = index.remaining(lesson, done)
    if not left:
        return f"{lesson.id} {lesson.title}: done, every step."
    got, total = index.lesson_progress(lesson, done)
    lines = [f"{got} of {total} steps done. Still to do:"]
    for r in left:
        lines.append(f"• {r.number}. {r.title}: {NEEDS.get(r.step.type, 'open it')}")
    return "\n".join(lines)
