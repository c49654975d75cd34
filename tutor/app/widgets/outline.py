"""The course outline: modules → lessons → steps with done marks, and the overall progress bar.

It opens as a plain-text picture of the tree (cheap to lay out and paint: the first useful
screen must appear as fast as a bare Textual app's) and becomes the interactive ``Tree`` and
``ProgressBar`` right after (``upgrade()``, called by the screen once the first step is shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

if TYPE_CHECKING:
    from textual.widgets import Tree
    from textual.widgets.tree import TreeNode

from tutor.app.navigation import CourseIndex, StepRef
from tutor.app.widgets.focus import FocusTitles, Pane
from tutor.course.model import Lesson

DONE = "✓"
TODO = "·"


def step_label(ref: StepRef, done: bool) -> Text:
    return Text(f"{DONE if done else TODO} {ref.title}")


def lesson_label(lesson: Lesson, done: bool, progress: tuple[int, int] | None = None) -> Text:
    """``✓ 7.1 Title`` when done; ``  7.1 3/10 Title`` when some steps are (partial progress)."""
    text = Text(f"{DONE if done else ' '} {lesson.id} ")
    if progress is not None and not done and progress[0]:
        text.append(f"{progress[0]}/{progress[1]} ", style="bold")
    text.append(lesson.title)
    return text


class Outline(FocusTitles, Vertical):
    """The left pane. Selecting a step posts :class:`Outline.Jump`."""

    PANES = (Pane("#outline-tree", "Outline", "Enter opens"),)

    class Jump(Message):
        def __init__(self, ref: StepRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, index: CourseIndex, done: set[str], current: StepRef, **kwargs) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.done = set(done)
        self.current = current
        self.upgraded = False
        self._step_nodes: dict[str, TreeNode] = {}
        self._lesson_nodes: dict[str, TreeNode] = {}

    def compose(self) -> ComposeResult:
        yield Static(self._skeleton_text(), id="outline-skeleton")
        yield Static("", id="outline-full")
        yield Label(self._progress_text(), id="progress-label")
        yield Static(self._bar_text(), id="progress-skeleton")

    def _skeleton_text(self) -> Text:
        """The tree as the Tree widget will draw it: modules, lessons, the current lesson's steps."""
        lines: list[str] = []
        for module in self.index.course.modules:
            lines.append(f"▼ {module.id} {module.title}")
            for lesson in module.lessons:
                current = lesson.id == self.current.lesson.id
                label = self._lesson_label(lesson).plain
                lines.append(f"  {'▼' if current else '▶'} {label}")
                if current:
                    for step in lesson.steps:
                        ref = self.index.by_key(lesson.step_key(step))
                        if ref is not None:
                            lines.append(f"      {step_label(ref, ref.key in self.done)}")
        return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")

    def _bar_text(self) -> str:
        total = max(1, len(self.index))
        share = self._done_count() / total
        return f"{share:>4.0%}"

    async def upgrade(self) -> None:
        """Replace the text picture with the interactive tree and progress bar."""
        if self.upgraded:
            return
        self.upgraded = True
        from textual.widgets import ProgressBar

        tree = self._build_tree()
        bar = ProgressBar(total=max(1, len(self.index)), show_eta=False, id="progress")
        await self.mount(tree, before=0)
        await self.mount(bar)
        bar.update(progress=self._done_count())
        for w in self.query("#outline-skeleton, #progress-skeleton"):
            await w.remove()
        tree.add_class("pane")
        self.show_focus()
        self.show_current(self.current)

    def _build_tree(self) -> Tree:
        from textual.widgets import Tree

        tree: Tree[StepRef | None] = Tree(self.index.course.title, id="outline-tree")
        tree.show_root = False
        tree.guide_depth = 2
        for module in self.index.course.modules:
            mnode = tree.root.add(Text(f"{module.id} {module.title}"), expand=True)
            for lesson in module.lessons:
                lnode = mnode.add(self._lesson_label(lesson))
                self._lesson_nodes[lesson.id] = lnode
        for ref in self.index.refs:
            node = self._lesson_nodes[ref.lesson.id].add_leaf(step_label(ref, ref.key in self.done), data=ref)
            self._step_nodes[ref.key] = node
        return tree

    def _lesson_label(self, lesson: Lesson) -> Text:
        return lesson_label(lesson, self.index.lesson_done(lesson, self.done), self.index.lesson_progress(lesson, self.done))

    def _done_count(self) -> int:
        return sum(1 for r in self.index.refs if r.key in self.done)

    def _progress_text(self) -> str:
        return f"{self._done_count()} of {len(self.index)} steps done"

    @property
    def tree(self) -> Tree:
        return self.query_one("#outline-tree")

    def show_current(self, ref: StepRef) -> None:
        """Expand ``ref``'s lesson and put the cursor on it (no Jump is posted)."""
        if not self.upgraded:
            if ref.key != self.current.key:
                self.current = ref
                self.query_one("#outline-skeleton", Static).update(self._skeleton_text())
            return
        self.current = ref
        node = self._step_nodes.get(ref.key)
        if node is None:
            return
        lnode = self._lesson_nodes[ref.lesson.id]
        if not lnode.is_expanded:
            lnode.expand()
        self.call_after_refresh(self._move_to, node)

    def _move_to(self, node: TreeNode) -> None:
        tree = self.tree
        tree.move_cursor(node)
        tree.scroll_to_node(node, animate=False)

    def mark_done(self, keys: set[str]) -> None:
        """Add ``keys`` to the done set; relabel the changed steps and lessons; update the bar."""
        new = set(keys) - self.done
        if not new:
            return
        self.done |= new
        self.query_one("#progress-label", Label).update(self._progress_text())
        if not self.upgraded:
            self.query_one("#outline-skeleton", Static).update(self._skeleton_text())
            self.query_one("#progress-skeleton", Static).update(self._bar_text())
            return
        for key in new:
            node = self._step_nodes.get(key)
            if node is not None and isinstance(node.data, StepRef):
                node.set_label(step_label(node.data, True))
                lesson = node.data.lesson
                self._lesson_nodes[lesson.id].set_label(self._lesson_label(lesson))
        self.query_one("#progress").update(progress=self._done_count())

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        """The highlighted entry in full under the tree (the tree cuts long titles)."""
        event.stop()
        full = self.query_one("#outline-full", Static)
        label = event.node.label.plain
        data = event.node.data
        if isinstance(data, StepRef):
            label = f"{data.lesson.id} · {data.number}/{len(data.lesson.steps)} {data.title}"
        elif (lesson := next((l for l in self.index.course.lessons if self._lesson_nodes.get(l.id) is event.node), None)) is not None:
            got, total = self.index.lesson_progress(lesson, self.done)
            label = f"{lesson.id} {lesson.title} · {got} of {total} steps done"
        full.update(label)
        full.display = self.tree.has_focus

    def on_descendant_blur(self) -> None:
        self.query_one("#outline-full", Static).display = False

    def on_descendant_focus(self) -> None:
        self.query_one("#outline-full", Static).display = self.upgraded

    def on_tree_node_selected(self, event: "Tree.NodeSelected") -> None:
        event.stop()
        data = event.node.data
        if isinstance(data, StepRef):
            self.post_message(self.Jump(data))
