"""The learner's code: one plain ``.py`` file per exercise in ``TUTOR_HOME/workspace/``.

These files are the only copy of the learner's work, so:

* every write is atomic — a temporary file in the same folder, ``fsync``, ``os.replace``, then an
  ``fsync`` of the folder — so a kill or a crash leaves the old file or the new one, never half of one;
* a file is created from the starter code the first time an exercise is opened and never overwritten
  without the learner's consent: :meth:`Workspace.ensure` never replaces an existing file (even one
  created by another process a moment earlier), and :meth:`Workspace.write` can refuse to replace a
  file that changed on disk since the caller read it (``expect=``);
* :meth:`Workspace.backup` moves files into ``TUTOR_HOME/backups/<time>/``; nothing is deleted.

Failures the machine can cause (a home under a regular file, a full disk) raise
:class:`WorkspaceError` with a message naming the folder.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from tutor.progress.source import SourceError, decode_source, encode_source
from tutor.record import Record

WORKSPACE_DIR = "workspace"
BACKUPS_DIR = "backups"
_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
_TMP_PREFIX = ".tmp-"


class WorkspaceError(Exception):
    """A workspace file cannot be read or written; the message is for the learner."""


class WorkspaceConflict(WorkspaceError):
    """The file changed on disk since the caller last read it; nothing was written."""


class Signature(Record):
    """What identifies one version of a file on disk (compare with ``==``)."""

    mtime_ns: int
    size: int
    inode: int


def _explain(exc: OSError, folder: Path, doing: str) -> WorkspaceError:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        why, advice = "the disk is full", "free some space and try again"
    elif isinstance(exc, (NotADirectoryError, FileExistsError)):
        why = "a part of that path is a file, not a folder"
        advice = "set TUTOR_HOME to a folder you can write to"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why, advice = "the folder cannot be written", "check its permissions, or set TUTOR_HOME to another folder"
    else:
        why, advice = exc.strerror or str(exc), "check the folder, or set TUTOR_HOME to another folder"
    return WorkspaceError(f"cannot {doing} in {folder}: {why} ({exc}); {advice}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on a directory
        pass
    finally:
        os.close(fd)


def _write_temp(folder: Path, name: str, data: bytes, mode: int) -> Path:
    """Write ``data`` to a new temporary file in ``folder`` and fsync it; return its path."""
    fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return Path(tmp)


def atomic_write(path: Path, text: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8, or bytes as given) atomically: temp file, fsync,
    rename, fsync folder.

    Raises ``OSError``; :class:`Workspace` turns it into a :class:`WorkspaceError`.
    """
    path = Path(path)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    tmp = _write_temp(path.parent, path.name, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _create_new(path: Path, text: str) -> bool:
    """Create ``path`` with ``text`` atomically unless it exists; True if this call created it."""
    if path.exists():
        return False
    tmp = _write_temp(path.parent, path.name, encode_source(text), 0o644)
    try:
        try:
            os.link(tmp, path)  # atomic, and fails if another process created the file meanwhile
        except FileExistsError:
            return False
        except OSError as exc:  # pragma: no cover - filesystems without hard links
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            if path.exists():
                return False
            os.replace(tmp, path)
            _fsync_dir(path.parent)
            return True
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    _fsync_dir(path.parent)
    return True


def signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return Signature(st.st_mtime_ns, st.st_size, st.st_ino)


class Workspace:
    """The folder of the learner's exercise files."""

    def __init__(self, home: str | os.PathLike[str]) -> None:
        self.home = Path(home).expanduser()
        self.dir = self.home / WORKSPACE_DIR
        self.backups_dir = self.home / BACKUPS_DIR

    def _mkdir(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _explain(exc, folder, "create the folder") from None
        if not folder.is_dir():
            raise WorkspaceError(
                f"cannot use {folder}: it is a file, not a folder; set TUTOR_HOME to a folder you can write to"
            )

    def path(self, exercise_id: str) -> Path:
        """``workspace/<exercise_id>.py``. Ids are plain names (no folders), checked here."""
        if not _ID.fullmatch(exercise_id) or ".." in exercise_id:
            raise WorkspaceError(f"`{exercise_id}` is not a valid exercise id for a workspace file")
        return self.dir / f"{exercise_id}.py"

    def exists(self, exercise_id: str) -> bool:
        return self.path(exercise_id).is_file()

    def ensure(self, exercise_id: str, starter: str) -> Path:
        """The exercise's file, created from ``starter`` if it does not exist yet. Never overwrites."""
        path = self.path(exercise_id)
        if path.is_file():
            return path
        self._mkdir(self.dir)
        self.clean_temp_files()  # leftovers of a writer killed mid-save, if any (rare; cheap here)
        try:
            _create_new(path, starter)
        except OSError as exc:
            raise _explain(exc, self.dir, f"create {path.name}") from None
        return path

    def read(self, exercise_id: str) -> str | None:
        """The file's text, or None if it does not exist."""
        path = self.path(exercise_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _explain(exc, self.dir, f"read {path.name}") from None
        try:  # as Python reads it: a byte-order mark, a coding line (PEP 263)
            return decode_source(data, path)
        except SourceError as exc:
            raise WorkspaceError(str(exc)) from None

    def signature(self, exercise_id: str) -> Signature | None:
        """The on-disk version of the file (None if missing): keep it after reading or writing,
        and pass it as ``expect=`` to :meth:`write` to refuse to overwrite someone else's change."""
        return signature(self.path(exercise_id))

    def write(self, exercise_id: str, text: str, *, expect: Signature | None | bool = False) -> Signature:
        """Atomically replace the file with ``text``; return the new file's signature.

        ``expect``: ``False`` (default) writes unconditionally — the learner's own save. A
        :class:`Signature` (or ``None`` for "the file must not exist") raises
        :class:`WorkspaceConflict` if the file on disk is not that version.
        """
        path = self.path(exercise_id)
        self._mkdir(self.dir)
        if expect is not False and signature(path) != expect:
            raise WorkspaceConflict(
                f"{path} changed on disk since it was read (another editor?); nothing was written"
            )
        try:
            data = encode_source(text)  # in the encoding the file declares (PEP 263), else UTF-8
        except SourceError as exc:
            raise WorkspaceError(f"cannot save {path}: {exc}") from None
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise _explain(exc, self.dir, f"save {path.name}") from None
        sig = signature(path)
        assert sig is not None
        return sig

    def exercise_ids(self) -> list[str]:
        """Ids of the exercise files present, sorted (temporary files are ignored)."""
        if not self.dir.is_dir():
            return []
        return sorted(
            p.stem for p in self.dir.glob("*.py") if not p.name.startswith(".") and p.is_file()
        )

    def backup(self, exercise_ids: Iterable[str]) -> Path:
        """Move the exercises' files into a new ``backups/<time>/`` folder; return that folder.

        The folder is created even when none of the files exist. Files are moved with
        ``os.replace`` on the same disk, so each one is either still in the workspace or in the
        backup, never lost.
        """
        ids = list(dict.fromkeys(exercise_ids))
        for i in ids:
            self.path(i)  # refuse bad ids before anything moves
        folder = self.new_backup_folder()
        self.move_to(folder, ids)
        return folder

    def new_backup_folder(self) -> Path:
        """Create and return a new, empty ``backups/<YYYYmmdd-HHMMSS>[-n]/`` folder."""
        self._mkdir(self.backups_dir)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = self.backups_dir / stamp
        n = 1
        while True:
            try:
                folder.mkdir()
                return folder
            except FileExistsError:
                folder = self.backups_dir / f"{stamp}-{n}"
                n += 1
            except OSError as exc:
                raise _explain(exc, self.backups_dir, "create a backup folder") from None

    def move_to(self, folder: Path, exercise_ids: Iterable[str]) -> list[Path]:
        """Move the existing files of ``exercise_ids`` into ``folder``; return their new paths."""
        moved = []
        try:
            for i in dict.fromkeys(exercise_ids):
                p = self.path(i)
                if p.is_file():
                    os.replace(p, folder / p.name)
                    moved.append(folder / p.name)
            _fsync_dir(folder)
            if self.dir.is_dir():
                _fsync_dir(self.dir)
        except OSError as exc:
            raise _explain(exc, folder, "back up your code") from None
        return moved

    def clean_temp_files(self, older_than: float = 3600.0) -> int:
        """Remove temporary files a killed writer left behind (older than ``older_than`` seconds)."""
        if not self.dir.is_dir():
            return 0
        n = 0
        limit = time.time() - older_than
        for p in self.dir.glob(f"{_TMP_PREFIX}*"):
            try:
                if p.stat().st_mtime < limit:
                    p.unlink()
                    n += 1
            except OSError:
                pass
        return n
