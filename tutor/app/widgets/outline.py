"""The course outline: modules → lessons → steps with done marks, and the overall progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, ProgressBar, Tree
from textual.widgets.tree import TreeNode

from tutor.app.navigation import CourseIndex, StepRef
from tutor.course.model import Lesson

DONE = "✓"
TODO = "·"


def step_label(ref: StepRef, done: bool) -> Text:
    return Text(f"{DONE if done else TODO} {ref.title}")


def lesson_label(lesson: Lesson, done: bool) -> Text:
    return Text(f"{DONE if done else ' '} {lesson.id} {lesson.title}")


class Outline(Vertical):
    """The left pane. Selecting a step posts :class:`Outline.Jump`."""

    class Jump(Message):
        def __init__(self, ref: StepRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, index: CourseIndex, done: set[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.done = set(done)
        self._step_nodes: dict[str, TreeNode] = {}
        self._lesson_nodes: dict[str, TreeNode] = {}

    def compose(self) -> ComposeResult:
        tree: Tree[StepRef | None] = Tree(self.index.course.title, id="outline-tree")
        tree.show_root = False
        tree.guide_depth = 2
        for module in self.index.course.modules:
            mnode = tree.root.add(Text(f"{module.id} {module.title}"), expand=True)
            for lesson in module.lessons:
                lnode = mnode.add(lesson_label(lesson, self.index.lesson_done(lesson, self.done)))
                self._lesson_nodes[lesson.id] = lnode
        for ref in self.index.refs:
            node = self._lesson_nodes[ref.lesson.id].add_leaf(step_label(ref, ref.key in self.done), data=ref)
            self._step_nodes[ref.key] = node
        yield tree
        yield Label(self._progress_text(), id="progress-label")
        yield ProgressBar(total=max(1, len(self.index)), show_eta=False, id="progress")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).update(progress=self._done_count())

    def _done_count(self) -> int:
        return sum(1 for r in self.index.refs if r.key in self.done)

    def _progress_text(self) -> str:
        return f"{self._done_count()} of {len(self.index)} steps done"

    @property
    def tree(self) -> Tree:
        return self.query_one("#outline-tree", Tree)

    def show_current(self, ref: StepRef) -> None:
        """Expand ``ref``'s lesson and put the cursor on it (no Jump is posted)."""
        node = self._step_nodes.get(ref.key)
        if node is None:
            return
        lnode = self._lesson_nodes[ref.lesson.id]
        if not lnode.is_expanded:
            lnode.expand()
        tree = self.tree
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
        for key in new:
            node = self._step_nodes.get(key)
            if node is not None and isinstance(node.data, StepRef):
                node.set_label(step_label(node.data, True))
                lesson = node.data.lesson
                self._lesson_nodes[lesson.id].set_label(
                    lesson_label(lesson, self.index.lesson_done(lesson, self.done))
                )
        self.query_one(ProgressBar).update(progress=self._done_count())
        self.query_one("#progress-label", Label).update(self._progress_text())

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        data = event.node.data
        if isinstance(data, StepRef):
            self.post_message(self.Jump(data))
