"""Queries on original files (``original_files``): stored and read back in pieces, never whole.

Through the DB-API connection of the unit (``raw``) because SQLite's incremental blob I/O is
how a file of hundreds of megabytes goes in and out in one-megabyte pieces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from kzcoder.core.records import OriginalInfo
from kzcoder.db.queries import is_postgres, raw

PIECE = 1 << 20


class ChangedMeanwhile(Exception):
    """The file's bytes were not those the reader read (it changed during the import)."""


def insert_original(session: Session, document_id: int, path: Path, *, media_type: str,
                    sha256: str, size: int, same_as_text: bool) -> OriginalInfo:
    """Keep the file at *path* as document *document_id*'s original.

    *sha256* and *size* are those of the bytes the reader read; the file is copied a piece at
    a time and ChangedMeanwhile is raised (the caller rolls the unit back) if what is copied
    differs. With *same_as_text* the bytes are not copied: they are the stored text's UTF-8.
    """
    db = raw(session)
    columns = "document_id, file_name, media_type, size, sha256, data"
    if same_as_text:
        db.execute(f"INSERT INTO original_files ({columns}) VALUES (?, ?, ?, ?, ?, NULL)",
                   (document_id, path.name, media_type, size, sha256))
    elif is_postgres(session):
        _insert_server_original(db, (document_id, path.name, media_type, size, sha256), path,
                                size, sha256)
    else:
        rowid = db.execute(f"INSERT INTO original_files ({columns}) "
                           "VALUES (?, ?, ?, ?, ?, zeroblob(?))",
                           (document_id, path.name, media_type, size, sha256, size)).lastrowid
        digest, copied = hashlib.sha256(), 0
        with path.open("rb") as source, db.blobopen("original_files", "data", rowid) as blob:
            while piece := source.read(min(PIECE, size - copied + 1)):
                if copied + len(piece) > size:
                    raise ChangedMeanwhile(path.name)
                blob.write(piece)
                digest.update(piece)
                copied += len(piece)
        if copied != size or digest.hexdigest() != sha256:
            raise ChangedMeanwhile(path.name)
    return OriginalInfo(document_id, path.name, media_type, size, sha256)


def _insert_server_original(db, row: tuple, path: Path, size: int,  # noqa: ANN001
                            sha256: str) -> None:
    """PostgreSQL has no incremental blob I/O: the bytes are appended a piece at a time."""
    db.execute("INSERT INTO original_files (document_id, file_name, media_type, size, sha256, "
               "data) VALUES (?, ?, ?, ?, ?, ''::bytea)", row)
    digest, copied = hashlib.sha256(), 0
    with path.open("rb") as source:
        while piece := source.read(min(PIECE, size - copied + 1)):
            if copied + len(piece) > size:
                raise ChangedMeanwhile(path.name)
            db.execute("UPDATE original_files SET data = data || ? WHERE document_id = ?",
                       (piece, row[0]))
            digest.update(piece)
            copied += len(piece)
    if copied != size or digest.hexdigest() != sha256:
        raise ChangedMeanwhile(path.name)


def original_info(session: Session, document_id: int) -> OriginalInfo | None:
    """What is kept of document *document_id*'s original file, or None if nothing is."""
    row = raw(session).execute(
        "SELECT file_name, media_type, size, sha256 FROM original_files WHERE document_id = ?",
        (document_id,)).fetchone()
    return None if row is None else OriginalInfo(document_id, *row)


def original_pieces(session: Session, document_id: int) -> Iterator[bytes]:
    """The original file's bytes, a piece at a time (those of the stored text when the file
    was exactly that text in UTF-8). Nothing if no original is kept."""
    db = raw(session)
    if is_postgres(session):
        yield from _server_pieces(db, document_id)
        return
    row = db.execute("SELECT rowid, data IS NULL FROM original_files WHERE document_id = ?",
                     (document_id,)).fetchone()
    if row is None:
        return
    rowid, same_as_text = row
    if same_as_text:
        table, column = "documents", "text"
        rowid = document_id
        # a TEXT value is read as its bytes through the blob interface (UTF-8 in kzcoder files)
    else:
        table, column = "original_files", "data"
    with db.blobopen(table, column, rowid, readonly=True) as blob:
        while piece := blob.read(PIECE):
            yield piece


def _server_pieces(db, document_id: int) -> Iterator[bytes]:  # noqa: ANN001 - pg_raw adapter
    """The original's bytes from PostgreSQL, a piece at a time (``substring`` of the bytea, or
    of the stored text's UTF-8)."""
    row = db.execute("SELECT data IS NULL, coalesce(octet_length(data), 0) FROM original_files "
                     "WHERE document_id = ?", (document_id,)).fetchone()
    if row is None:
        return
    same_as_text, size = row
    if same_as_text:
        source = "SELECT convert_to(text, 'UTF8') FROM documents WHERE id = ?"
        yield bytes(db.execute(source, (document_id,)).fetchone()[0])
        return
    for start in range(0, size, PIECE):
        piece = db.execute("SELECT substring(data FROM ? FOR ?) FROM original_files "
                           "WHERE document_id = ?", (start + 1, PIECE, document_id)).fetchone()
        yield bytes(piece[0])
