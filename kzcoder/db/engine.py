"""Opening a project file: the engine, its pragmas, the schema-version gate, read-only opening,
and what SQLite's failures mean to the user.

How a project file lives on disk
--------------------------------
While a project is open for writing it is in WAL mode (readers never wait for the writer; one
fsync per commit). When the last connection closes, ``leave_wal`` puts it back in rollback-journal
mode, so that a closed project is one self-contained file: it can be copied, and it can be read
where it cannot be written. SQLite cannot read a WAL database without its ``-shm`` index unless
that file (and ``-wal``) already exist, or the folder is writable so that it creates them, with
the project's own permissions (a read-only project would get read-only ``-wal``/``-shm`` that
keep it unwritable after its permission is fixed), or it is opened ``immutable`` (which would
be wrong if someone else is writing to it). A rollback-mode file opened ``mode=ro`` needs
nothing beside it.

So a project that may not be written (the file, its folder, or its disk is read-only) is opened
``mode=ro``: in place when it is in rollback mode or when its ``-wal`` and ``-shm`` already exist
(another program has it open), otherwise (a WAL file left by an older kzcoder or a crash) from a
private copy in a temporary folder. Nothing is ever created beside a read-only project, nor
beside a file that is refused: the revision is read by a connection that cleans up after itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from kzcoder.core.errors import KzError
from kzcoder.db import cipher, open_files
from kzcoder.db.snapshot import backup_before_upgrade, fsync_folder, wal_notice

SQLITE_MAGIC = b"SQLite format 3\x00"
# The Alembic revision this code writes. tests/db checks it equals the migrations' head, so that
# opening a current project needs no Alembic import (start-up time).
HEAD_REVISION = "0012_memo_times"
#: Every revision this code can open (older ones are upgraded); tests/db checks the list.
KNOWN_REVISIONS = ("0001_baseline", "0002_covering_index", "0003_original_files",
                   "0004_code_memos", "0005_search_index", "0006_document_sets",
                   "0007_exchange_fidelity", "0008_events", "0009_history",
                   "0010_search_chunks", "0011_server_search_index", HEAD_REVISION)

#: milliseconds a change waits for another program's write to finish (environment override)
BUSY_TIMEOUT_ENV = "KZCODER_BUSY_TIMEOUT_MS"
DEFAULT_BUSY_TIMEOUT_MS = 10_000
#: the execution option that marks an engine's units as reading only (a deferred BEGIN)
READ_UNIT = "kzcoder_read_unit"
SIDECARS = ("-wal", "-shm")


def busy_timeout_ms() -> int:
    """How long a change waits for a lock: ``KZCODER_BUSY_TIMEOUT_MS`` or 10 s."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_BUSY_TIMEOUT_MS
    if not text.isascii() or not text.isdigit() or int(text) > 2**31 - 1:
        raise KzError(f"{BUSY_TIMEOUT_ENV}={text!r}: give a whole number of milliseconds")
    return int(text)


@dataclass
class ProjectFile:
    """An open project file: its engine and how it was opened."""

    path: Path
    engine: Engine
    #: why the project cannot be written ("" when it can)
    read_only: str = ""
    #: a private folder holding the copy that was opened instead of *path* (see the docstring)
    snapshot: Path | None = None
    closed: bool = field(default=False, init=False)
    _token: tuple[int, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:  # the file the engine opens: *path* or its private copy
        self._token = open_files.opened(Path(str(self.engine.url.database)))

    def close(self) -> str:
        """Release the file (checkpointing the WAL into it) and leave it in rollback mode.
        Returns "" or, when the checkpoint failed (a full disk), the line that says the
        latest changes are in the ``-wal`` beside it (``snapshot.wal_notice``)."""
        if self.closed:
            return ""
        self.closed = True
        self.engine.dispose()
        open_files.closed(self._token)
        if self.snapshot is not None:
            shutil.rmtree(self.snapshot, ignore_errors=True)
        elif not self.read_only and not leave_wal(self.path):
            return wal_notice(self.path)  # still open elsewhere (fine), or it failed
        return ""


def _uri(path: Path, mode: str) -> str:
    return f"{path.absolute().as_uri()}?mode={mode}"


def connect(path: Path, mode: str = "rw", timeout_ms: int | None = None) -> sqlite3.Connection:
    """A DB-API connection on *path* (SQLCipher's when it is an unlocked encrypted file, see
    ``db.cipher``): ``mode`` is SQLite's (ro, rw, rwc); autocommit."""
    timeout = (busy_timeout_ms() if timeout_ms is None else timeout_ms) / 1000
    return cipher.connect(_uri(path, mode), uri=True, timeout=timeout, isolation_level=None,
                          check_same_thread=False)


def make_engine(path: Path, *, read_only: bool = False, create: bool = True) -> Engine:
    """An engine on *path*: foreign keys on, WAL journalling and a busy timeout when writable;
    ``mode=ro`` when *read_only*. A missing file is created only with *create* (a project
    deleted while open must not come back empty).

    Every unit of work is one SQLite transaction from its first statement, reads included
    (SQLAlchemy's recipe for pysqlite, "Enabling Non-Legacy SQLite Transactional Modes"):
    sqlite3 itself would begin only at the first write, so the reads of one unit would each
    see a different state of the file.
    """
    timeout = busy_timeout_ms()
    mode = "ro" if read_only else "rwc" if create else "rw"
    # an encrypted file's errors are sqlcipher3's: the engine must know them to wrap them
    module = {"module": cipher.sqlcipher3} if cipher.key_for(path) is not None else {}
    engine = create_engine(URL.create("sqlite", database=str(path)),
                           creator=lambda: connect(path, mode, timeout), **module)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001 - DB-API types
        configure(dbapi_connection, read_only=read_only, timeout_ms=timeout)

    @event.listens_for(engine, "begin")
    def _begin(connection):  # noqa: ANN001 - sqlalchemy Connection
        # A unit that may write takes the write lock first (IMMEDIATE): a deferred one that
        # read first would fail at once when upgraded to a write while another program
        # writes, without waiting the busy timeout. Units marked READ_UNIT (exports, lists)
        # stay deferred: they never write, and must not hold other programs' writes back.
        reading = read_only or connection.get_execution_options().get(READ_UNIT, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def configure(dbapi_connection: sqlite3.Connection, *, read_only: bool, timeout_ms: int) -> None:
    """The pragmas of every connection (tests wrap this to simulate a full disk)."""
    dbapi_connection.isolation_level = None  # no implicit BEGIN: the engine's "begin" says it
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL, not WAL's usual NORMAL: NORMAL may lose the last commits to a power cut or
            # an OS crash (a laptop's battery running out mid-session). The fsync costs ~1 ms.
            cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def leave_wal(path: Path) -> bool:
    """Put a closed project back in rollback-journal mode (one self-contained file); False if
    another connection still has it open (its own close will do it) or it failed."""
    try:
        connection = connect(path, "rw", timeout_ms=0)
        try:
            mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            connection.close()
    except cipher.ERRORS:
        return False
    return mode == "delete"


def create_schema(path: Path) -> Engine:
    """Create a new, empty project file at *path* by running every migration.

    Nothing is left at *path* if it fails (callers build in a temporary file, see
    ``Project.create``).
    """
    if path.exists():
        raise KzError(f"{path}: already exists; choose another name or open it")
    if not path.parent.is_dir():
        raise KzError(f"{path.parent}: no such folder")
    # owner-only from the first byte (SQLite gives its -wal and -shm the file's mode): a
    # project holds research data other local users must not read
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    engine = make_engine(path)
    try:
        _upgrade(engine)
    except BaseException:
        engine.dispose()
        remove_with_sidecars(path)
        raise
    return engine


def remove_with_sidecars(path: Path) -> None:
    """Delete *path* and the journal files SQLite keeps beside it (a file being built)."""
    for leftover in (path, *(sidecar(path, s) for s in (*SIDECARS, "-journal"))):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


# --- building a new project beside its name ---------------------------------------------------

_PARTIAL = ".partial-"


def partial_path(path: Path) -> Path:
    """The hidden file a new project *path* is built in: ``.NAME.kzc.partial-PID``."""
    return path.with_name(f".{path.name}{_PARTIAL}{os.getpid()}")


def clean_partials(path: Path) -> None:
    """Delete what a ``new`` of *path* that was killed left (its partial file and journals),
    when the process that made it is gone."""
    prefix = f".{path.name}{_PARTIAL}"
    try:
        entries = [entry for entry in path.parent.iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        pid, _, _suffix = entry.name[len(prefix):].partition("-")
        if pid.isascii() and pid.isdigit() and not _process_alive(int(pid)):
            with contextlib.suppress(OSError):
                entry.unlink()


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a dead process's file with our number: this process has not begun yet
    if os.name != "posix":
        return True  # Windows: an unlink fails anyway while the file is open
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def is_single_file(path: Path) -> bool:
    """Whether the closed database at *path* is in rollback mode with no -wal beside it."""
    try:
        header = open_files.read_head(path, 20)
    except OSError:
        return False
    if cipher.key_for(path) is not None:  # its header is encrypted: ask SQLCipher
        return (not sidecar(path, "-wal").exists()
                and _journal_mode(path) == "delete")
    return (header is not None and header[18:20] == b"\x01\x01"
            and not sidecar(path, "-wal").exists())


def _journal_mode(path: Path) -> str:
    try:
        connection = connect(path, "ro", timeout_ms=0)
        try:
            return connection.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            connection.close()
    except cipher.ERRORS:
        return ""


def place_new(partial: Path, path: Path) -> None:
    """Give a finished new project its name without ever replacing a file that appeared there
    meanwhile (a hard link fails if the name exists; a rename where links are not supported),
    and make that durable."""
    try:
        os.link(partial, path)
    except FileExistsError:
        raise KzError(f"{path}: already exists; choose another name or open it") from None
    except OSError:  # no hard links here (FAT, some network shares)
        if path.exists():
            raise KzError(f"{path}: already exists; choose another name or open it") from None
        os.replace(partial, path)
    else:
        partial.unlink()
    fsync_folder(path.parent)




def open_schema(path: Path) -> ProjectFile:
    """Open an existing project file, upgrading an older schema after a backup; read-only
    (``mode=ro``) when it may not be written.

    Raises KzError if the file is missing, is not a kzcoder project, is damaged, or was written
    by a newer version of kzcoder.
    """
    check_header(path)
    read_only = read_only_reason(path)
    snapshot = None
    source = path
    if read_only and _needs_snapshot(path):
        snapshot, source = _copy_to_snapshot(path)
        if (key := cipher.key_for(path)) is not None:
            cipher.register(source, key)
    try:
        revision = read_revision(source, read_only=read_only, shown=path)
        if revision not in KNOWN_REVISIONS:
            raise KzError(
                f"{path}: written by a newer version of kzcoder (schema {revision}); "
                "update kzcoder to open it"
            )
        if revision != HEAD_REVISION:
            if read_only:
                raise KzError(f"{path}: written by an older kzcoder (schema {revision}) and "
                              f"read-only ({read_only}), so it cannot be upgraded; make it "
                              "writable and open it again")
            # a checked copy (WAL included) that never overwrites; no copy, no upgrade
            backup_before_upgrade(path, revision)
            engine = make_engine(path, create=False)
            try:
                _upgrade(engine)
            except (*cipher.ERRORS, DBAPIError) as exc:
                engine.dispose()
                raise failure(path, exc, doing="open") or exc from exc
            engine.dispose()
    except BaseException:
        if snapshot is not None:
            shutil.rmtree(snapshot, ignore_errors=True)
        raise
    return ProjectFile(path, make_engine(source, read_only=bool(read_only), create=False),
                       read_only, snapshot)


def check_header(path: Path) -> None:
    """KzError unless *path* is a readable file that starts like an SQLite database."""
    if not path.exists():
        raise KzError(f"{path}: no such project file")
    if path.is_dir():
        raise KzError(f"{path}: is a folder, not a project file")
    try:
        magic = open_files.read_head(path, len(SQLITE_MAGIC))
    except OSError as exc:
        raise KzError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if magic is None:  # open in this process: a database, and its locks must stay
        return
    if not magic:
        raise KzError(f"{path}: not a kzcoder project file (it is empty)")
    if cipher.looks_encrypted(magic, path.stat().st_size):
        cipher.unlock(path, magic)  # PassphraseError if it cannot be read with one
    elif magic != SQLITE_MAGIC:
        raise KzError(f"{path}: not a kzcoder project file")


def read_revision(path: Path, *, read_only: str | None = None, shown: Path | None = None) -> str:
    """The project's schema revision, read with plain sqlite3; nothing is changed and nothing
    is left beside the file. *read_only* is why it may not be written ("" if it may; None:
    find out); *shown* is the name errors give (the real file when *path* is a copy)."""
    shown = shown or path
    check_header(path)
    if read_only is None:
        read_only = read_only_reason(path)
    try:
        # mode=rw, not ro, when it may: a read-only connection leaves the -wal and -shm it
        # needed for a WAL file behind, a read-write one removes them as it closes.
        connection = connect(path, "ro" if read_only else "rw")
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "project"} <= tables:
                raise KzError(f"{shown}: an SQLite file, but not a kzcoder project")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except cipher.ERRORS as exc:
        raise (failure(shown, exc, read_only=read_only, doing="open")
               or KzError(f"{shown}: not a kzcoder project file ({exc})")) from exc
    if row is None:
        raise KzError(f"{shown} is damaged: it has no schema version; restore it from a backup")
    return row[0]


def read_only_reason(path: Path) -> str:
    """Why the project at *path* cannot be written, or "" if it can.

    ``-wal``/``-shm`` files left read-only beside a writable project (an older kzcoder opened
    it while it was read-only) are given the project's permissions again when they are ours.
    """
    folder = path.parent
    if _on_read_only_disk(folder):
        return "it is on a read-only disk"
    if not may_write(path):
        return "you may not write to the file"
    if not may_write(folder):
        return f"its folder {folder} is read-only, and SQLite must create files beside it"
    for suffix in SIDECARS:
        extra = sidecar(path, suffix)
        if extra.exists() and not may_write(extra):
            with contextlib.suppress(OSError):
                os.chmod(extra, stat.S_IMODE(path.stat().st_mode))
            if not may_write(extra):
                return f"its {extra.name} file is read-only"
    return ""


def may_write(path: Path) -> bool:
    """Whether this process may write *path* (a file, or create files in a folder)."""
    mode = os.W_OK | (os.X_OK if path.is_dir() else 0)
    return os.access(path, mode)


def _on_read_only_disk(folder: Path) -> bool:
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _needs_snapshot(path: Path) -> bool:
    """A read-only WAL file whose -wal and -shm are not both there: SQLite would create them."""
    try:
        header = open_files.read_head(path, 20)
    except OSError:
        return False
    if header is None:  # open in this process, so its -wal and -shm are there
        return False
    in_wal = len(header) == 20 and 2 in (header[18], header[19])
    return in_wal and not all(os.access(sidecar(path, s), os.R_OK) for s in SIDECARS)


def _copy_to_snapshot(path: Path) -> tuple[Path, Path]:
    folder = Path(tempfile.mkdtemp(prefix="kzcoder-read-only-"))
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        wal = sidecar(path, "-wal")
        if wal.exists():
            shutil.copyfile(wal, sidecar(copy, "-wal"))
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise KzError(f"{path}: read-only, and a copy to read it from could not be made in "
                      f"{folder.parent} ({exc.strerror or exc})") from exc
    return folder, copy


def backup_path(path: Path, revision: str) -> Path:
    """Where the copy made before upgrading a project from *revision* goes."""
    return path.with_name(f"{path.name}.before-upgrade-{revision}.bak")


def sidecar(path: Path, suffix: str) -> Path:
    """The file SQLite keeps beside *path* (``-wal``, ``-shm``, ``-journal``)."""
    return path.with_name(path.name + suffix)


def _upgrade(engine: Engine) -> None:
    from kzcoder.db.migrate import upgrade_to_head  # Alembic is only needed to change a schema

    upgrade_to_head(engine)


# --- what SQLite's failures mean -----------------------------------------------------------

_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_BUSY_SNAPSHOT = _BUSY | (2 << 8)
_READONLY_RECOVERY, _READONLY_ROLLBACK = _READONLY | (1 << 8), _READONLY | (3 << 8)
_READONLY_DBMOVED = _READONLY | (4 << 8)
_READONLY_DIRECTORY = _READONLY | (6 << 8)
# When an error carries no code (a wrapped or simulated one), its standard message says it.
_BY_MESSAGE = (("database is locked", _BUSY), ("database table is locked", _LOCKED),
               ("readonly database", _READONLY), ("database or disk is full", _FULL),
               ("disk image is malformed", _CORRUPT), ("file is not a database", _NOTADB),
               ("disk I/O error", _IOERR), ("unable to open database file", _CANTOPEN))
_LOW_SPACE = 1 << 20


def failure(path: Path, exc: BaseException, *, read_only: str = "",
            doing: str = "change", waited_s: float | None = None) -> KzError | None:
    """The KzError that says what an SQLite failure on *path* means, or None if it is not
    about the file, its disk or other programs (a bug: let it be reported as one).

    *exc* is a sqlite3 error or SQLAlchemy's wrapper of one; *read_only* why the project was
    opened read-only; *doing* is "change", "open" or "create" (the wording of the outcome);
    *waited_s* how long the unit of work had waited when it failed (a busy project).
    """
    original = getattr(exc, "orig", None) or exc
    code = getattr(original, "sqlite_errorcode", None)
    message = str(original).strip().splitlines()[0] if str(original).strip() else ""
    if code is None:
        code = next((c for text, c in _BY_MESSAGE if text in message), None)
    if code is None:
        return None
    primary = code & 0xFF
    outcome = {"open": "it was not opened", "create": "the project was not created"}.get(
        doing, "your change was not saved")
    if primary in (_IOERR, _CANTOPEN, _FULL) and (primary == _FULL or _disk_full(path)):
        then = {"open": "free some space, then open it again",
                "create": "the project was not created"}.get(
            doing, "your change was not saved, the project is as it was")
        return KzError(f"{path}: the disk is full; {then}")
    if primary in (_BUSY, _LOCKED):
        if code == _BUSY_SNAPSHOT:
            why = "it changed the project while this change was being made"
        elif waited_s is not None:
            why = f"it kept the project busy; waited {waited_s:.1f} s"
        else:
            why = f"it kept the project busy for more than {busy_timeout_ms() / 1000:g} s"
        return KzError(f"{path} is locked by another program ({why}); try again when it has "
                       "finished")
    if code in (_READONLY_RECOVERY, _READONLY_ROLLBACK):
        return KzError(f"{path} was left half-written by a program that stopped, and is "
                       f"read-only ({read_only or 'it cannot be written'}), so it cannot be "
                       "repaired; make it writable and open it once")
    if code == _READONLY_DBMOVED:
        return KzError(f"{path} was moved or deleted while it was open; {outcome}")
    if primary == _READONLY:
        if code == _READONLY_DIRECTORY:
            read_only = f"its folder {path.parent} is read-only"
        return KzError(f"{path} is read-only ({read_only or 'it cannot be written'}); "
                       f"{outcome}")
    if primary in (_CORRUPT, _NOTADB):
        return KzError(f"{path} is damaged: {message}; restore it from a backup")
    if primary == _IOERR:
        return KzError(f"{path}: the disk could not be read or written ({message}); {outcome}")
    if primary == _CANTOPEN:
        return KzError(f"{path}: cannot be opened ({message}); {outcome}")
    return None


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < _LOW_SPACE
    except OSError:
        return False
