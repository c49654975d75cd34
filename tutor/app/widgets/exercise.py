"""An exercise step: instructions and hints above a Python editor holding the workspace file
(beside it on wide terminals), and the results panel under the editor.

- Check (ctrl+r / F5) grades in a thread worker; the editor stays usable.
- Edits autosave within 2 s of the last keystroke (a 1 s debounce timer; atomic writes).
- The file is polled every second: changed on disk and no unsaved edits → reloaded; changed on
  disk with unsaved edits → the learner is asked which version to keep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Markdown, TextArea

from tutor.app.markdown_text import plain_fences
from tutor.app.draft import DraftFile
from tutor.app.widgets.base import StepView
from tutor.app.widgets.code_editor import CodeEditor
from tutor.app.widgets.focus import Pane
from tutor.app.widgets.results import ResultsPanel
from tutor.course.model import Exercise

if TYPE_CHECKING:
    from tutor.app.app import TutorApp
    from tutor.app.navigation import StepRef
    from tutor.app.race import RaceSpec
    from tutor.grading.verdict import Verdict
    from tutor.progress.workspace import Workspace

SIDE_BY_SIDE = 165  # view columns from which the instructions (80 wide) sit beside the editor
SHORT = 30  # view rows under which a verdict takes the instructions' room
AUTOSAVE_DELAY = 1.0  # seconds after the last edit
POLL_INTERVAL = 1.0  # seconds between looks at the file on disk


def hints_markdown(exercise: Exercise, shown: int) -> str:
    if not exercise.hints:
        return ""
    if shown <= 0:
        return f"*{len(exercise.hints)} hint(s) available: ctrl+t shows the next one.*"
    lines = [f"**Hint {i + 1} of {len(exercise.hints)}.** {h}" for i, h in enumerate(exercise.hints[:shown])]
    if shown < len(exercise.hints):
        lines.append("*ctrl+t shows the next hint.*")
    return "\n\n".join(lines)


def solution_markdown(solution: str) -> str:
    text = solution.strip("\n")
    if "```" in text:
        return text
    return f"```python\n{text}\n```"


class ExerciseView(StepView):
    PANES = (
        Pane("#instructions", "Instructions", "↑↓ scroll · Tab to your code"),
        Pane("#editor", "Your code", "typing here · Esc leaves · Tab indents"),
        Pane("#results", "Results", "↑↓ scroll · ctrl+r checks"),
    )

    class Checked(Message):
        """A check finished (the screen records the attempt and updates the outline)."""

        def __init__(self, view: ExerciseView, verdict: Verdict, source: str) -> None:
            super().__init__()
            self.view = view
            self.verdict = verdict
            self.source = source

    @classmethod
    def build(cls, ref: StepRef, app: TutorApp) -> ExerciseView:
        ex = ref.step.exercise
        app.warm_checker()
        return cls(
            ref,
            app.workspace,
            hints_shown=app.store.hints_revealed(ex.id),
            passed=app.store.exercise_done(ex.id),
            classes="step-view",
        )

    def __init__(self, ref: StepRef, workspace: Workspace, hints_shown: int = 0, passed: bool = False, **kwargs) -> None:
        """``passed``: the learner has passed this exercise before (said in the results panel)."""
        super().__init__(ref, **kwargs)
        self.exercise: Exercise = ref.step.exercise
        self.draft = DraftFile(workspace, self.exercise.id)
        self.hints_shown = hints_shown
        self.passed_before = passed
        self.initial_text = self.draft.load(self.exercise.starter)
        self.dirty = False
        self.checking = False
        self._save_timer: Timer | None = None
        self._asking = False

    # ---- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="instructions", classes="step-scroll"):
            yield Markdown(plain_fences(self.exercise.instructions), id="instructions-md")
            yield Markdown(plain_fences(hints_markdown(self.exercise, self.hints_shown)), id="hints")
        with Vertical(id="work"):
            editor = CodeEditor.code_editor(
                self.initial_text, language="python", theme="css", id="editor", soft_wrap=False
            )
            editor.cursor_blink = not self.tutor.deterministic
            yield editor
            before = "✓ You have passed this exercise. " if self.passed_before else ""
            yield ResultsPanel(
                f"{before}ctrl+r or F5 checks your code; Esc leaves the editor; F6 enlarges the pane you are in."
                f"\nYour file: {self.draft.path}",
                id="results",
            )

    def on_mount(self) -> None:
        self.set_interval(POLL_INTERVAL, self.poll_disk, name="poll-disk")
        self._apply_layout(self.size.width or self.app.size.width, self.size.height or self.app.size.height)

    def on_resize(self, event: Any) -> None:
        self._apply_layout(event.size.width, event.size.height)

    def _apply_layout(self, width: int, height: int) -> None:
        """Instructions above the editor, or beside it when both get room for their lines
        (formulas up to ~75 columns, code up to ~80 and a gutter): side by side from SIDE_BY_SIDE.
        Short (under SHORT rows, e.g. 80×24), a verdict takes the instructions' rows."""
        self.set_class(width >= SIDE_BY_SIDE, "-side")
        self.set_class(height < SHORT, "-short")

    def enlarged_changed(self) -> None:
        """Enlarged (F6), the editor wraps long lines (a long ``def`` line reads whole); back in
        its pane it scrolls sideways as code editors do."""
        editor = self.editor
        editor.soft_wrap = self.screen.maximized is editor

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    @property
    def results(self) -> ResultsPanel:
        return self.query_one(ResultsPanel)

    def focus_default(self) -> None:
        self.editor.focus()

    # ---- autosave and the file on disk -------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.dirty = self.editor.text != self.draft.known_text
        if self._save_timer is not None:
            self._save_timer.stop()
        if self.dirty:
            self._save_timer = self.set_timer(AUTOSAVE_DELAY, self.autosave, name="autosave")

    def autosave(self) -> None:
        if not self.dirty or self._asking:
            return
        if self.draft.disk_changed():
            self.ask_conflict()
            return
        self._write(self.editor.text)

    def _write(self, text: str, *, force: bool = False) -> None:
        from tutor.progress.workspace import WorkspaceConflict

        try:
            self.draft.save(text, force=force)
        except WorkspaceConflict:
            self.ask_conflict()
            return
        except Exception as exc:  # noqa: BLE001 - WorkspaceError: disk full, folder gone
            self.app.notify(f"Could not save {self.draft.path}: {exc}", severity="error", timeout=8)
            return
        self.dirty = self.editor.text != self.draft.known_text

    def poll_disk(self) -> None:
        if self._asking or not self.draft.disk_changed():
            return
        if not self.dirty:
            self.load_from_disk()
            self.app.notify("Your file changed on disk: reloaded.", timeout=3)
        else:
            self.ask_conflict()

    def load_from_disk(self) -> None:
        text = self.draft.reload()
        editor = self.editor
        cursor = editor.cursor_location
        editor.load_text(text)
        try:
            editor.cursor_location = cursor
        except ValueError:
            pass
        self.dirty = False

    def ask_conflict(self) -> None:
        from tutor.app.screens.conflict import ConflictScreen

        if self._asking:
            return
        self._asking = True

        def decided(choice: str | None) -> None:
            self._asking = False
            if choice == "disk":
                self.load_from_disk()
            else:
                self._write(self.editor.text, force=True)

        self.app.push_screen(ConflictScreen(str(self.draft.path)), decided)

    def flush(self) -> None:
        """Save now; if the file changed on disk meanwhile, keep the edits beside it instead."""
        if self._save_timer is not None:
            self._save_timer.stop()
        if not self.dirty:
            return
        text = self.editor.text
        if self._asking or self.draft.disk_changed():
            aside = self.draft.save_aside(text)
            self.app.notify(f"Your file changed on disk; your edits were kept in {aside}", timeout=10)
            self.dirty = False
            return
        self._write(text)

    # ---- checking ---------------------------------------------------------------------------
    def check(self) -> None:
        if self.checking:
            self.app.notify("A check is already running.", timeout=2)
            return
        if self.draft.disk_changed():
            if self.dirty:
                self.ask_conflict()
                return
            self.load_from_disk()
        self.flush()
        self.checking = True
        self.results.show_running()
        self._check(self.editor.text)

    @work(thread=True, exit_on_error=False, group="check")
    def _check(self, source: str) -> None:
        try:
            verdict = self.tutor.checker.check(self.exercise, source, str(self.draft.path))
        except Exception as exc:  # noqa: BLE001 - shown in the panel, never closes the app
            self.app.call_from_thread(self._check_failed, exc)
            return
        self.app.call_from_thread(self._checked, verdict, source)

    def _check_failed(self, exc: Exception) -> None:
        self.checking = False
        if self.is_mounted:
            self.results.show_error(f"{type(exc).__name__}: {exc}")

    def _checked(self, verdict: Verdict, source: str) -> None:
        self.checking = False
        if not self.is_mounted:
            return
        self.results.show_verdict(verdict)
        self.add_class("-verdict")  # the results get the room (steps.tcss)
        self._show_quantity_line(verdict, source)
        self.post_message(self.Checked(self, verdict, source))
        if verdict.passed:
            from tutor.app.race import spec_for

            spec = spec_for(self.exercise)
            if spec is not None and spec.kind == "digits":  # the capstone: widgets/training_race.py
                from tutor.app.widgets import training_race

                training_race.start(self, spec, source)
            elif spec is not None:
                self._race(spec, source)

    def _show_quantity_line(self, verdict: Any, source: str) -> None:
        """Put the cursor (its line is highlighted) on the line of the learner's code that bound
        the first wrong quantity (issue 14), if the code is still the code that was checked."""
        line = getattr(getattr(verdict, "quantities", None), "line", None)
        editor = self.editor
        if isinstance(line, int) and 1 <= line <= editor.document.line_count and editor.text == source:
            editor.move_cursor((line - 1, 0), center=True)

    @work(thread=True, exit_on_error=False, group="race")
    def _race(self, spec: RaceSpec, source: str) -> None:
        from tutor.app import race

        try:
            result = self.tutor.checker.run(race.learner_request(spec, source, str(self.draft.path)))
            learner, why = race.learner_losses(result)
            python_path = self.tutor.course.python_path
            reference = race.reference_losses(spec, self.exercise.reference, python_path) if learner is not None else None
        except Exception as exc:  # noqa: BLE001
            learner, reference, why = None, None, f"{type(exc).__name__}: {exc}"
        if learner is None:
            self.app.call_from_thread(self._race_failed, why)
        else:
            self.app.call_from_thread(self._race_done, spec, learner, reference)

    def _race_done(self, spec: RaceSpec, learner: Any, reference: Any) -> None:
        if self.is_mounted:
            self.results.show_race(
                list(map(float, learner)),
                list(map(float, reference)),
                spec.name,
                f"{len(reference) - 1} steps on ½·wᵀAw, A = diag(4, 0.25), lr {spec.lr:g}",
            )

    def _race_failed(self, why: str) -> None:
        if self.is_mounted:
            self.results.show_race_error(why)

    # ---- hints and the solution ---------------------------------------------------------------
    def hint(self) -> None:
        """ctrl+t: reveal the next hint (kept in the store), or say there is none left."""
        ex = self.exercise
        store = self.tutor.store
        if store.hints_revealed(ex.id) >= len(ex.hints):
            self.app.notify("No more hints." if ex.hints else "This exercise has no hints.", timeout=3)
            self.show_hints(len(ex.hints))
            return
        self.show_hints(store.reveal_hint(ex.id, available=len(ex.hints)))

    def solution(self) -> None:
        """ctrl+o: the worked solution, after a confirmation the first time (it is recorded)."""
        from tutor.app.screens.confirm import ConfirmScreen
        from tutor.app.screens.document import DocumentScreen

        ex = self.exercise
        store = self.tutor.store

        def answered(yes: bool | None) -> None:
            if yes:
                store.reveal_solution(ex.id)
                self.app.push_screen(DocumentScreen(f"Worked solution: {ex.title}", solution_markdown(ex.solution)))

        if store.solution_revealed(ex.id):
            answered(True)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Show the worked solution?\n\nTrying first teaches more: a hint (ctrl+t) may be enough. "
                "Seeing the solution is recorded in your progress.",
                yes="Show it",
                no="Not yet",
            ),
            answered,
        )

    def show_hints(self, shown: int) -> None:
        self.hints_shown = shown
        self.query_one("#hints", Markdown).update(plain_fences(hints_markdown(self.exercise, shown)))
        self.query_one("#instructions", VerticalScroll).scroll_end(animate=False)

    # ---- the learner's own editor -----------------------------------------------------------
    def external_editor(self, command: list[str]) -> None:
        import subprocess

        self.flush()
        try:
            with self.app.suspend():
                subprocess.call([*command, str(self.draft.path)])
        except Exception as exc:  # noqa: BLE001 - e.g. SuspendNotSupported, editor not found
            self.app.notify(f"Could not open {command[0]}: {exc}", severity="error", timeout=8)
            return
        if self.draft.disk_changed():
            self.load_from_disk()
