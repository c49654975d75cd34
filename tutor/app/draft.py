"""The learner's exercise file as the editor sees it: what was last read or written, and
whether the file changed on disk since (someone edited it in another editor).

The rule (issue 6): never overwrite a file that changed on disk since we last read or wrote it.
Writes go through ``Workspace.write(..., expect=signature)``, which refuses (``WorkspaceConflict``)
when the file on disk is not the version we know. No Textual here, so the rule is tested directly.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


class DraftFile:
    """One exercise's workspace file, through ``tutor.progress.Workspace``."""

    def __init__(self, workspace: Any, exercise_id: str) -> None:
        self.workspace = workspace
        self.exercise_id = exercise_id
        self.known_text: str = ""
        self._signature: Any = None

    @property
    def path(self) -> Path:
        return Path(self.workspace.path(self.exercise_id))

    def load(self, starter: str) -> str:
        """Create the file with ``starter`` on first open; read it; remember what was read."""
        self.workspace.ensure(self.exercise_id, starter)
        return self.reload()

    def reload(self) -> str:
        """Read the file from disk and make it the known version."""
        text = self.workspace.read(self.exercise_id)
        self.known_text = text
        self._signature = self.workspace.signature(self.exercise_id)
        return text

    def disk_changed(self) -> bool:
        """True when the file on disk is no longer what we last read or wrote."""
        sig = self.workspace.signature(self.exercise_id)
        if sig == self._signature:
            return False
        if sig is None:
            return False  # deleted: nothing to reload; the next save recreates it
        try:
            text = self.workspace.read(self.exercise_id)
        except Exception:  # noqa: BLE001 - unreadable for now: look again later
            return False
        if text == self.known_text:
            self._signature = sig  # touched, not changed
            return False
        return True

    def save(self, text: str, *, force: bool = False) -> None:
        """Write ``text`` atomically unless the file changed on disk (``WorkspaceConflict``);
        ``force`` writes anyway (the learner chose to keep the editor's version)."""
        expect = False if force or self._signature is None else self._signature
        self._signature = self.workspace.write(self.exercise_id, text, expect=expect)
        self.known_text = text

    def save_aside(self, text: str) -> Path:
        """Keep ``text`` next to the file without touching it (a conflict we cannot ask about)."""
        from tutor.progress.workspace import atomic_write

        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.unsaved-{stamp}.txt")
        atomic_write(target, text)
        return target
