"""Command palette (ctrl+p): jump to any lesson or exercise by name, toggle the theme."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tutor.app.navigation import StepRef


class CourseCommands(Provider):
    """Every lesson ("Lesson 7.7 Adam") and every exercise ("Exercise adam: One Adam step")."""

    def _entries(self) -> Iterator[tuple[str, str, StepRef]]:
        screen = self.app.main_screen
        index = screen.index
        for lesson in index.course.lessons:
            ref = index.find(lesson.id)
            if ref is not None:
                yield f"Lesson {lesson.id} {lesson.title}", lesson.summary or "open this lesson", ref
        seen: set[str] = set()
        for ref in index.refs:
            if ref.step.type == "exercise" and ref.step.exercise.id not in seen:
                ex = ref.step.exercise
                seen.add(ex.id)
                yield f"Exercise {ex.id}: {ex.title}", f"in lesson {ref.lesson.id} {ref.lesson.title}", ref

    async def discover(self) -> Hits:
        screen = self.app.main_screen
        for text, help_text, ref in self._entries():
            yield DiscoveryHit(text, partial(screen.jump, ref), text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        screen = self.app.main_screen
        for text, help_text, ref in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(screen.jump, ref), text=text, help=help_text)


class AppCommands(Provider):
    """The app's own actions, so the palette reaches them too."""

    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.app.main_screen
        return [
            ("Toggle light/dark theme", "kept for the next start", self.app.action_toggle_theme),
            ("Notation and glossary", "the symbols and words of the course", screen.action_notation),
            ("Keys", "every key binding", screen.action_help),
            ("Hide or show the outline", "F2", screen.action_toggle_outline),
            ("Why is this lesson not done?", "w: the steps left and what each needs", screen.action_why_not_done),
        ]

    async def discover(self) -> Hits:
        for text, help_text, command in self._commands():
            yield DiscoveryHit(text, command, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
