"""Copies, rolling backups and restores of a project, and noticing other programs' changes.

Every copy goes through SQLite's online backup API (``kzcoder.db.snapshot``): consistent while
the project is open and being written, the write-ahead log included, one self-contained file,
checked with ``PRAGMA integrity_check`` before it gets its name.

Rolling backups live in ``backups/`` beside the project, named ``NAME-YYYYMMDD-HHMMSS.kzc``
(local time). The window takes one on opening and then at most every ``BACKUP_EVERY_MINUTES``
minutes while the project changes; a backup identical to the newest one is not kept; the
``KEEP_BACKUPS`` newest are kept. See docs/reliability.md for why these numbers.
"""

from __future__ import annotations

import contextlib
import filecmp
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import event

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.db import cipher
from kzcoder.db import snapshot as snap
from kzcoder.db.engine import KNOWN_REVISIONS, leave_wal, read_revision
from kzcoder.services.project import Project

#: the window takes a backup at most this often, and only while the project changes
BACKUP_EVERY_MINUTES = 10
#: rolling backups kept per project (the newest)
KEEP_BACKUPS = 10
BACKUP_FOLDER = "backups"
#: a temporary copy older than this in the backup folder was left by a killed backup
STALE_TEMPORARY_S = 3600

backup_before_upgrade = snap.backup_before_upgrade  # the copy before a schema upgrade

_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One rolling backup: its file, when it was taken (local time), its size in bytes."""

    path: Path
    taken: datetime
    size: int

    def describe(self) -> str:
        """``2025-01-31 14:05:09  1.2 MB`` for lists."""
        return f"{self.taken:%Y-%m-%d %H:%M:%S}  {human_size(self.size)}"


def human_size(size: int) -> str:
    """Bytes as ``812 bytes``, ``14.0 kB``, ``1.2 MB``, ``3.4 GB``."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


def _path(project: Project | str | Path) -> Path:
    return project.path if isinstance(project, Project) else Path(project).absolute()


def backup_folder(project_path: str | Path) -> Path:
    """Where the rolling backups of the project at *project_path* go."""
    return Path(project_path).absolute().parent / BACKUP_FOLDER


# --- copies -------------------------------------------------------------------------------------
def save_copy(project: Project | str | Path, dest: str | Path, *,
              overwrite: bool = False) -> Path:
    """Write a consistent, verified copy of *project* (open or not, being written to or not)
    to *dest*; returns *dest*. An existing *dest* is replaced only with *overwrite*.

    KzError (nothing written) if the project cannot be read, is not a kzcoder project, fails
    its integrity check, or *dest* exists.
    """
    source = _path(project)
    if not isinstance(project, Project):
        read_revision(source)  # a kzcoder project, or one line saying what it is
    dest = Path(dest).expanduser().absolute()
    try:
        return snap.snapshot(source, dest, overwrite=overwrite)
    except OSError as exc:
        raise KzError(f"{dest}: cannot be written ({exc.strerror or exc})") from exc


def copy_project(project: Project, dest: str | Path, *, overwrite: bool = False,
                 progress: Callable[[int, int, str], object] | None = None) -> Changed[Path]:
    """``save_copy`` shaped for ``ProjectSession.run_in_background``: it changes nothing in
    the project (empty ``Changes``); *progress* is told when it starts and ends."""
    if progress is not None:
        progress(0, 1, Path(dest).name)
    written = save_copy(project, dest, overwrite=overwrite)
    if progress is not None:
        progress(1, 1, "")
    return Changed(written, Changes())


def checkpoint(project: Project | str | Path, *, busy_ms: int = 2_000,
               mode: str = "TRUNCATE") -> bool:
    """Move the project's write-ahead log (``NAME.kzc-wal``) into the file, so that the
    ``.kzc`` alone holds everything (for a copy made by other means); ``TRUNCATE`` (the
    default) also empties the log, waiting at most *busy_ms* for other programs, ``PASSIVE``
    waits for no one (see ``db.snapshot.checkpoint``). Nothing is lost without it: the log is
    part of the project. Returns whether the file now holds every commit."""
    return snap.checkpoint(_path(project), mode=mode, busy_ms=busy_ms)


def release(project_path: str | Path) -> bool:
    """Put a closed project back into rollback-journal mode: one self-contained file, as its
    own close does when nobody else has it open. False (and no harm) if it is open."""
    return leave_wal(Path(project_path))


# --- rolling backups ----------------------------------------------------------------------------
_NAME = re.compile(r"(?P<stamp>\d{8}-\d{6})(?:-(?P<number>\d+))?\.kzc")


def list_backups(project_path: str | Path) -> list[BackupInfo]:
    """The rolling backups of the project at *project_path*, newest first."""
    project_path = Path(project_path).absolute()
    folder = backup_folder(project_path)
    prefix = project_path.stem + "-"
    found: list[tuple[datetime, int, BackupInfo]] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if not entry.name.startswith(prefix):
                continue
            match = _NAME.fullmatch(entry.name[len(prefix):])
            if match is None:
                continue
            try:
                taken = datetime.strptime(match["stamp"], _STAMP)
                size = entry.stat().st_size
            except (ValueError, OSError):
                continue
            number = int(match["number"] or 1)
            found.append((taken, number, BackupInfo(entry, taken, size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def backup_now(project: Project | str | Path, *, keep: int = KEEP_BACKUPS,
               now: datetime | None = None, prune: bool = True) -> Path | None:
    """Take a rolling backup of *project* into ``backups/`` beside it and keep the *keep*
    newest (unless not *prune*). Returns the new backup's path, or None if it would be
    identical to the newest backup (nothing changed since): then nothing is written.

    KzError if the folder cannot be written or the project fails its integrity check (the
    failed copy is deleted, the earlier backups are kept).
    """
    source = _path(project)
    if not isinstance(project, Project):
        read_revision(source)  # a kzcoder project, or one line saying what it is
    folder = backup_folder(source)
    made = not folder.exists()
    try:
        folder.mkdir(mode=0o700, exist_ok=True)  # research data: owner-only
    except OSError as exc:
        raise KzError(f"{folder}: cannot be created ({exc.strerror or exc})") from exc
    try:
        _remove_stale_temporaries(folder, source.stem)
        stamp = (now or datetime.now()).strftime(_STAMP)
        dest = folder / f"{source.stem}-{stamp}.kzc"
        newest = list_backups(source)
        try:
            with snap.prepared_copy(source, dest) as temporary:
                if newest and _same_bytes(temporary, newest[0].path):
                    return None
                placed = snap.place(temporary, dest, numbered=True)
        except OSError as exc:
            raise KzError(f"{folder}: the backup could not be written "
                          f"({exc.strerror or exc})") from exc
    except BaseException:
        if made:  # never leave an empty backups/ behind a failed first backup
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    if prune:
        prune_backups(source, keep)
    return placed


def prune_backups(project_path: str | Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Delete all but the *keep* newest rolling backups; returns those deleted."""
    removed = []
    for info in list_backups(project_path)[max(1, keep):]:
        with contextlib.suppress(OSError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        return filecmp.cmp(one, other, shallow=False)
    except OSError:
        return False


def _remove_stale_temporaries(folder: Path, stem: str) -> None:
    """Copies a killed backup left half-written (hidden ``.NAME-….tmp`` files, old enough not
    to be another process's backup under way)."""
    limit = time.time() - STALE_TEMPORARY_S
    with contextlib.suppress(OSError):
        for entry in folder.glob(f".{glob_escape(stem)}-*.tmp*"):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < limit:
                    entry.unlink()


def glob_escape(text: str) -> str:
    """*text* with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", text)


# --- restore ------------------------------------------------------------------------------------
def check_backup(backup_path: str | Path) -> None:
    """KzError, in one line, unless *backup_path* is a kzcoder project this version can open
    that passes ``PRAGMA integrity_check`` (what ``restore`` checks before changing anything)."""
    backup_path = Path(backup_path).expanduser().absolute()
    _check_revision(backup_path)
    problems = snap.integrity_problems(backup_path)
    if problems:
        raise KzError(f"{backup_path}: damaged, it fails the integrity check ({problems[0]}); "
                      "choose another backup")


def restore(project_path: str | Path, backup_path: str | Path) -> Path | None:
    """Replace the project at *project_path* by the backup at *backup_path*.

    The project must be closed (by this program and others): KzError otherwise. In order:
    the backup is copied beside the project and verified (a damaged backup is refused and
    nothing changes); the current file is kept as a rolling backup (a current file that fails
    its own integrity check is kept as it is, ``NAME-…-damaged.kzc``); then the verified copy
    replaces the project in one rename. Returns the copy of the former project (None if there
    was no project file).
    """
    project_path = Path(project_path).expanduser().absolute()
    backup_path = Path(backup_path).expanduser().absolute()
    _check_revision(backup_path)
    if project_path.exists() and project_path.samefile(backup_path):
        raise KzError(f"{backup_path}: is the project itself")
    try:
        with snap.prepared_copy(backup_path, project_path) as temporary:
            kept = None
            if project_path.exists():
                _ensure_closed(project_path)
                kept = _keep_current(project_path)
                for suffix in ("-wal", "-shm"):
                    snap.sidecar(project_path, suffix).unlink(missing_ok=True)
            snap.place(temporary, project_path, overwrite=True)
    except OSError as exc:
        raise KzError(f"{project_path}: not restored ({exc.strerror or exc})") from exc
    return kept


def _check_revision(backup_path: Path) -> None:
    revision = read_revision(backup_path)  # one line if it is no kzcoder project
    if revision not in KNOWN_REVISIONS:
        raise KzError(f"{backup_path}: written by a newer version of kzcoder (schema "
                      f"{revision}); update kzcoder to restore it")


def _ensure_closed(path: Path) -> None:
    """Fold the write-ahead log into the file and leave rollback-journal mode: SQLite does
    that only when no other connection has the file open, so it also proves the project is
    closed. A damaged file passes (it is kept as it is)."""
    try:
        connection = cipher.connect(path, timeout=3.0, isolation_level=None)
    except cipher.ERRORS:
        return
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except cipher.OPERATIONAL_ERRORS as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise KzError(f"{path}: is open (in kzcoder or another program); close it before "
                          "restoring") from exc
        return
    except cipher.DATABASE_ERRORS:
        return
    finally:
        connection.close()
    if mode != "delete":
        raise KzError(f"{path}: is open (in kzcoder or another program); close it before "
                      "restoring")


def _keep_current(path: Path) -> Path:
    """The current project as a rolling backup (never pruned by this restore)."""
    try:
        placed = backup_now(path, prune=False)
    except KzError:
        return _keep_damaged(path)
    return placed if placed is not None else list_backups(path)[0].path


def _keep_damaged(path: Path) -> Path:
    """A project that fails its integrity check, copied as it is (its log too)."""
    folder = backup_folder(path)
    base = folder / f"{path.stem}-{datetime.now():{_STAMP}}-damaged.kzc"
    number = 1
    while (dest := snap.numbered_path(base, number)).exists():
        number += 1
    try:
        folder.mkdir(exist_ok=True)
        shutil.copy2(path, dest)
        wal = snap.sidecar(path, "-wal")
        if wal.exists():
            shutil.copy2(wal, snap.sidecar(dest, "-wal"))
    except OSError as exc:
        raise KzError(f"{path}: not restored: the current file could not be kept first "
                      f"({exc.strerror or exc})") from exc
    return dest


# --- other programs' changes --------------------------------------------------------------------
class ChangeProbe:
    """Notices commits made to an open project by other programs (another window, the command
    line) with ``PRAGMA data_version``, read on a connection of its own (the value is per
    connection).

    ``data_version`` changes when *any other connection* commits, this program's included, so
    the probe follows the project's own connections (the pool's checkout and checkin): a change
    seen while none of them is in use came from elsewhere; when the last one is given back,
    what it committed is taken as seen. A commit by another program that lands while this one
    is writing (within the same few milliseconds) is therefore taken for its own. A checkpoint
    that empties the log by another connection also counts as a change (a spurious reload).

    The probe closes itself when the project does (its engine is disposed), so that it never
    keeps the file open: the project's own close then leaves it one self-contained file.
    Thread-safe; a read-only project is not probed (``changed()`` is always False).
    """

    def __init__(self, project: Project, *, busy_ms: int = 200) -> None:
        self.path = project.path
        self._engine = project.engine
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._in_use = 0
        self._external = False
        if getattr(project, "read_only", False):
            return
        try:
            self._db = cipher.connect(f"{self.path.as_uri()}?mode=rw", uri=True,
                                      timeout=busy_ms / 1000, isolation_level=None,
                                      check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
            self._db.execute("PRAGMA synchronous=FULL")
            self._seen = self._version()
        except cipher.ERRORS:
            self._drop()
            return
        event.listen(self._engine, "checkout", self._checkout)
        event.listen(self._engine, "checkin", self._checkin)
        event.listen(self._engine, "engine_disposed", self._disposed)

    @property
    def active(self) -> bool:
        """Whether the probe is following the project (False once closed, or if it could not
        open the file)."""
        return self._db is not None

    def _version(self) -> int:
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def _look(self) -> None:
        try:
            version = self._version()
        except cipher.ERRORS:
            return  # busy (a recovery, an exclusive lock): look again next time
        if version != self._seen:
            self._seen = version
            self._external = True

    def _checkout(self, *_args: object) -> None:
        with self._lock:
            if self._db is not None and self._in_use == 0:
                self._look()  # what is new before this program's own work came from elsewhere
            self._in_use += 1

    def _checkin(self, *_args: object) -> None:
        with self._lock:
            self._in_use = max(0, self._in_use - 1)
            if self._db is not None and self._in_use == 0:
                with contextlib.suppress(*cipher.ERRORS):
                    self._seen = self._version()

    def changed(self) -> bool:
        """Whether another program committed to the project since the last call."""
        with self._lock:
            if self._db is None:
                return False
            if self._in_use == 0:
                self._look()
            found, self._external = self._external, False
            return found

    def _disposed(self, _engine: object) -> None:
        # the connection only: listeners may not be removed while their event runs
        with self._lock:
            self._drop()

    def close(self) -> None:
        """Stop following the project and close the probe's connection."""
        with self._lock:
            if self._db is None:
                return
            for name, listener in (("checkout", self._checkout), ("checkin", self._checkin),
                                   ("engine_disposed", self._disposed)):
                with contextlib.suppress(Exception):  # already gone with a disposed pool
                    event.remove(self._engine, name, listener)
            self._drop()

    def _drop(self) -> None:
        if self._db is not None:
            with contextlib.suppress(*cipher.ERRORS):
                self._db.close()
            self._db = None
