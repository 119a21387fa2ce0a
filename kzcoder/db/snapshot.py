"""Consistent copies of a project file, through SQLite's online backup API.

Copying ``NAME.kzc`` with a file manager while kzcoder has it open misses recent work: the last
commits sit in ``NAME.kzc-wal`` until the last connection closes. ``snapshot`` reads the
database through SQLite instead, in one read transaction, so the copy holds every transaction
committed before it began (the write-ahead log included) and none half-done, while the project
stays open and other programs go on writing (in WAL mode readers never block writers).

Every copy is written to a temporary file beside its destination, switched to the rollback
journal (so that it is one self-contained file: no ``-wal`` needed beside it), checked with
``PRAGMA integrity_check``, flushed to disk, and only then given its name. A copy that fails the
check is deleted and refused; an existing file is never replaced unless asked.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from kzcoder.core.errors import KzError
from kzcoder.db import cipher, open_files

#: how long a copy waits for a writer that holds the database locked (a checkpoint, a recovery)
BUSY_MS = 10_000
SIDECARS = ("-wal", "-shm", "-journal")

T = TypeVar("T")


class DestinationExists(KzError):
    """The destination exists and the copy was not allowed to replace it."""


def snapshot(source: str | Path, dest: str | Path, *, overwrite: bool = False,
             numbered: bool = False) -> Path:
    """Copy the SQLite database *source* to *dest*, consistently, as one verified file.

    *source* may be open and being written to by this and other processes. Returns the path
    written: *dest*, or with ``numbered`` the first free of ``dest``, ``STEM-2.SUFFIX``,
    ``STEM-3.SUFFIX``... An existing *dest* is replaced only with ``overwrite`` (never when it
    has a ``-wal`` beside it: it is in use, or was not closed properly). Raises KzError, leaving
    nothing behind, if *source* cannot be read or its copy fails ``PRAGMA integrity_check``,
    and DestinationExists if *dest* exists and may not be replaced.
    """
    dest = Path(dest).absolute()
    _refuse_same(Path(source).absolute(), dest)
    if not numbered:
        check_output(dest, overwrite=overwrite)
    with prepared_copy(source, dest) as temporary:
        return place(temporary, dest, overwrite=overwrite, numbered=numbered)


@contextlib.contextmanager
def prepared_copy(source: str | Path, dest: str | Path) -> Iterator[Path]:
    """A consistent, verified, self-contained copy of *source* in a temporary file beside
    *dest*, for ``place`` to name; whatever was not placed is deleted on leaving.

    KzError if *source* cannot be read, *dest*'s folder cannot be written, or the copy fails
    ``PRAGMA integrity_check``.
    """
    source, dest = Path(source).absolute(), Path(dest).absolute()
    if not source.exists():  # sqlite3.connect would create it
        raise KzError(f"{source}: no such file")
    if not source.is_file():
        raise KzError(f"{source}: not a file")
    _refuse_same(source, dest)
    if not dest.parent.is_dir():
        raise KzError(f"{dest.parent}: no such folder")
    cipher.unlock_if_encrypted(source)  # an encrypted project is copied encrypted
    # owner-only and writable whatever the source's mode (a 0444 project's copy must still
    # be switched out of WAL and synced): a copy of research data is private
    temporary = temporary_beside(dest, private=True)
    try:
        _copy(source, temporary)
        problems = integrity_problems(temporary)
        if problems:
            raise KzError(f"{source}: damaged, its copy failed the integrity check "
                          f"({problems[0]}); nothing was written")
        _fsync(temporary)
        yield temporary
    finally:
        cipher.forget(temporary)
        for leftover in (temporary, *(sidecar(temporary, s) for s in SIDECARS)):
            leftover.unlink(missing_ok=True)


def _refuse_same(source: Path, dest: Path) -> None:
    if dest == source or (dest.exists() and source.exists() and dest.samefile(source)):
        raise KzError(f"{dest}: is the file being copied; choose another")


def place(temporary: Path, dest: Path, *, overwrite: bool = False,
          numbered: bool = False) -> Path:
    """Give a finished copy its name, atomically, and make that durable; returns the name.

    Without *overwrite* an existing file is never replaced (a hard link fails if the name
    exists, where a check then a rename could race): DestinationExists, or with *numbered* the
    first free ``STEM-N.SUFFIX``. With *overwrite* a stale ``-shm`` of the old file goes too.
    """
    if overwrite:
        os.replace(temporary, dest)
        sidecar(dest, "-shm").unlink(missing_ok=True)
        fsync_folder(dest.parent)
        return dest
    for number in range(1, 10_000 if numbered else 2):
        target = numbered_path(dest, number)
        try:
            os.link(temporary, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (some network or FAT file systems)
            if target.exists():
                continue
            os.replace(temporary, target)
        fsync_folder(dest.parent)
        return target
    raise DestinationExists(f"{dest}: already exists; choose another name")


def integrity_problems(path: str | Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the database at *path* (empty: it is
    sound). A file that is not an SQLite database is one problem. The file is opened read-only
    and not changed."""
    path = Path(path)
    try:
        connection = cipher.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except cipher.ERRORS as exc:
        return [f"not a sound SQLite database: {exc}"]
    return [] if rows == ["ok"] else rows


def verify(path: str | Path) -> None:
    """KzError naming *path* and the first problem unless it passes ``integrity_check``."""
    problems = integrity_problems(path)
    if problems:
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise KzError(f"{path}: damaged (integrity check: {problems[0]}{more})")


def checkpoint(path: str | Path, *, mode: str = "TRUNCATE", busy_ms: int = 2_000) -> bool:
    """Copy the write-ahead log of the database at *path* into it, through a connection of
    its own: ``PRAGMA wal_checkpoint(MODE)``.

    ``TRUNCATE`` also empties the log; it waits at most *busy_ms* for other connections'
    readers and writers. ``PASSIVE`` copies what it can without waiting for anyone and leaves
    the log's file as it is (other connections' ``data_version`` does not change). Returns
    whether every committed transaction is now in the file itself (True when there is no log);
    False changes nothing that matters: the log is part of the database.
    """
    if mode not in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"):
        raise ValueError(f"no checkpoint mode {mode!r}")
    path = Path(path)
    if not path.is_file():
        return True
    try:
        connection = cipher.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True,
                                    timeout=busy_ms / 1000, isolation_level=None)
    except cipher.ERRORS:
        return False
    try:
        busy, log, copied = connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    except cipher.ERRORS:
        return False
    finally:
        connection.close()
    return busy == 0 and copied == log


def wal_notice(path: str | Path) -> str:
    """"" when the database at *path* holds every committed change in itself (its log is
    absent or empty, or a checkpoint now copies it all in), else the one line that says the
    latest changes are in its ``-wal`` beside it: when the disk is full the checkpoint cannot
    write, and the ``.kzc`` alone, copied or moved without its log, would lose them."""
    path = Path(path)
    wal = sidecar(path, "-wal")
    try:
        if not wal.exists() or wal.stat().st_size == 0:
            return ""
        connection = cipher.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True,
                                    timeout=0, isolation_level=None)
    except (OSError, *cipher.ERRORS):
        return ""
    try:
        # PASSIVE waits for no one; only a failure to write counts: a checkpoint left
        # incomplete by another program's reader is that program's to finish when it closes
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return ""
    except cipher.ERRORS as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return ""
    finally:
        connection.close()
    return (f"{path}: its latest changes are still in {wal.name} beside it (it could not be "
            f"written into the project file); keep {wal.name} with it: copy or move both "
            "together, and open the project again when there is space")


def backup_before_upgrade(path: str | Path, revision: str) -> Path:
    """Copy a project about to be upgraded from schema *revision* to
    ``NAME.kzc.before-upgrade-REVISION.bak`` (numbered if that exists: never overwritten).

    The copy is verified like any snapshot. Raises KzError, and the project must then not be
    upgraded, if it cannot be written (or the project fails its integrity check)."""
    path = Path(path).absolute()
    dest = path.with_name(f"{path.name}.before-upgrade-{revision}.bak")
    try:
        return snapshot(path, dest, numbered=True)
    except KzError as exc:
        raise KzError(f"{path}: not upgraded, the copy made first failed: {exc}") from exc
    except OSError as exc:
        raise KzError(f"{path}: not upgraded, the copy made first could not be written "
                      f"({exc.strerror or exc})") from exc


def numbered_path(path: Path, number: int) -> Path:
    """*path* itself for 1, else ``STEM-NUMBER.SUFFIX``."""
    return path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def sidecar(path: Path, suffix: str) -> Path:
    """SQLite's file beside *path* (``-wal``, ``-shm``, ``-journal``)."""
    return path.with_name(path.name + suffix)


def check_output(dest: str | Path, *, overwrite: bool = False) -> Path:
    """The absolute *dest* if kzcoder may write a file there, else KzError in one line.

    Refused whatever *overwrite* says: a folder, a project this process has open, a file with
    SQLite's ``-wal`` or ``-shm`` beside it (a project in use, or one whose latest changes are
    still in its log), and such a ``-wal``/``-shm``/``-journal`` file itself. An existing file
    is DestinationExists unless *overwrite*. The folder must exist.
    """
    dest = Path(dest).expanduser().absolute()
    if not dest.parent.is_dir():
        raise KzError(f"{dest.parent}: no such folder")
    if dest.is_dir():
        raise KzError(f"{dest}: is a folder; give a file name")
    if open_files.is_open_here(dest) or any(sidecar(dest, s).exists() for s in SIDECARS[:2]):
        raise KzError(f"{dest}: is a kzcoder project in use (or its latest changes are in the "
                      f"{dest.name}-wal beside it); choose another name")
    for suffix in SIDECARS:
        if dest.name.endswith(suffix) and _is_database(dest.with_name(dest.name[:-len(suffix)])):
            raise KzError(f"{dest}: is the journal of the database beside it; choose "
                          "another name")
    if (dest.exists() or dest.is_symlink()) and not overwrite:
        raise DestinationExists(f"{dest}: already exists; choose another name")
    return dest


def _is_database(path: Path) -> bool:
    try:
        head = open_files.read_head(path, 16)
    except OSError:
        return False
    return head is None or head == b"SQLite format 3\x00"  # None: open here, a database


def write_beside(dest: Path, write: Callable[[Path], T], *, overwrite: bool = False,
                 private: bool = False) -> T:
    """Write *dest* safely, the one way kzcoder writes a file: ``check_output`` first (no
    folder, no project in use or its log; an existing file only with *overwrite*), then
    ``write(temporary)`` fills a new file beside it, which is synced and only then given
    *dest*'s name (``place``). The new file follows the user's umask, or is owner-only with
    *private*. Returns what *write* returned. An OSError is one KzError naming *dest*; on any
    failure the temporary file is gone and *dest* is as it was."""
    dest = check_output(dest, overwrite=overwrite)
    temporary = temporary_beside(dest, private=private)
    try:
        try:
            result = write(temporary)
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as exc:
            raise KzError(f"{dest}: cannot be written ({exc.strerror or exc})") from exc
        place(temporary, dest, overwrite=overwrite)
        return result
    finally:
        temporary.unlink(missing_ok=True)


def temporary_beside(dest: Path, *, private: bool = False) -> Path:
    """A new empty file in *dest*'s folder, hidden, named after it, ending in ``.tmp``, with
    the permissions a new file gets there (the user's umask: an export is as readable as any
    file the user makes), or owner-only (0600) with *private* (projects, backups, copies).
    It is always writable by its owner, whatever the file it will replace or copy."""
    for _attempt in range(100):
        name = dest.parent / f".{dest.name}.{secrets.token_hex(4)}.tmp"
        try:
            handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                             0o600 if private else 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise KzError(f"{dest.parent}: cannot write there ({exc.strerror or exc})") from exc
        os.close(handle)
        return name
    raise KzError(f"{dest.parent}: cannot make a temporary file there")


def _copy(source: Path, temporary: Path) -> None:
    """The online backup in one step (one read transaction: a consistent snapshot), then the
    copy switched from WAL to the rollback journal: one self-contained file."""
    try:
        reader = cipher.connect(source, timeout=BUSY_MS / 1000, isolation_level=None)
    except cipher.ERRORS as exc:
        raise KzError(f"{source}: cannot be read ({exc})") from exc
    try:
        # an encrypted project's copy is encrypted with the same key (and salt): it opens
        # with the same passphrase, and no page of it is ever written in the clear
        key = cipher.key_for(source)
        if key is not None:
            cipher.register(temporary, key)
        writer = cipher.connect(temporary, isolation_level=None)
        try:
            try:
                reader.backup(writer)
            except cipher.ERRORS as exc:
                raise KzError(f"{source}: cannot be copied ({exc})") from exc
            mode = writer.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if mode != "delete":
                raise KzError(f"{temporary}: the copy kept journal mode {mode}")
        finally:
            writer.close()
    finally:
        reader.close()


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
