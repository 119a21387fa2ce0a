"""Opening a project file: the engine, its pragmas, and the schema-version gate."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from kzcoder.core.errors import KzError

SQLITE_MAGIC = b"SQLite format 3\x00"
# The Alembic revision this code writes. tests/db checks it equals the migrations' head, so that
# opening a current project needs no Alembic import (start-up time).
HEAD_REVISION = "0002_covering_index"
KNOWN_REVISIONS = ("0001_baseline", HEAD_REVISION)


def make_engine(path: Path) -> Engine:
    """An engine on *path* with foreign keys on, WAL journalling and a busy timeout."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001 - DB-API types
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL, not WAL's usual NORMAL: NORMAL may lose the last commits to a power cut or an
        # OS crash (a laptop's battery running out mid-session). The fsync costs ~1 ms here.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return engine


def create_schema(path: Path) -> Engine:
    """Create a new, empty project file at *path* by running every migration."""
    if path.exists():
        raise KzError(f"{path}: already exists; choose another name or open it")
    if not path.parent.is_dir():
        raise KzError(f"{path.parent}: no such folder")
    engine = make_engine(path)
    try:
        _upgrade(engine)
    except Exception:
        engine.dispose()
        for leftover in (path, _sidecar(path, "-wal"), _sidecar(path, "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return engine


def open_schema(path: Path) -> Engine:
    """Open an existing project file, upgrading an older schema after a backup.

    Raises KzError if the file is missing, is not a kzcoder project, or was written by a newer
    version of kzcoder.
    """
    revision = read_revision(path)
    if revision not in KNOWN_REVISIONS:
        raise KzError(
            f"{path}: written by a newer version of kzcoder (schema {revision}); "
            "update kzcoder to open it"
        )
    engine = make_engine(path)
    if revision != HEAD_REVISION:
        engine.dispose()
        backup = backup_path(path, revision)
        shutil.copy2(path, backup)
        engine = make_engine(path)
        _upgrade(engine)
    return engine


def read_revision(path: Path) -> str:
    """The project's schema revision, read with plain sqlite3 (no file is created or changed)."""
    if not path.exists():
        raise KzError(f"{path}: no such project file")
    if path.is_dir():
        raise KzError(f"{path}: is a folder, not a project file")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise KzError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if magic != SQLITE_MAGIC:
        raise KzError(f"{path}: not a kzcoder project file")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "project"} <= tables:
                raise KzError(f"{path}: an SQLite file, but not a kzcoder project")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise KzError(f"{path}: not a kzcoder project file ({exc})") from exc
    if row is None:
        raise KzError(f"{path}: damaged project file (no schema version)")
    return row[0]


def backup_path(path: Path, revision: str) -> Path:
    """Where the copy made before upgrading a project from *revision* goes."""
    return path.with_name(f"{path.name}.before-upgrade-{revision}.bak")


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _upgrade(engine: Engine) -> None:
    from kzcoder.db.migrate import upgrade_to_head  # Alembic is only needed to change a schema

    upgrade_to_head(engine)
