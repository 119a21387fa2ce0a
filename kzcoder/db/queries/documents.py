"""Queries on documents and their attributes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kzcoder.core.records import DocumentInfo
from kzcoder.db.history import tracking as history
from kzcoder.db.models import Document, DocumentAttribute, new_guid, utc_now
from kzcoder.db.queries import chunks, is_postgres, raw, search_chunks


def document_info(document: Document) -> DocumentInfo:
    """The frozen record of a document row (its attributes are loaded if they were not)."""
    return DocumentInfo(id=document.id, guid=document.guid, name=document.name,
                        length=document.length, memo=document.memo,
                        attributes={a.name: a.value for a in document.attributes})


def all_documents(session: Session) -> list[DocumentInfo]:
    """Every document, in import order, with its attributes (not its text)."""
    rows = session.scalars(select(Document).options(selectinload(Document.attributes))
                           .order_by(Document.id))
    return [document_info(d) for d in rows]


def documents_by_id(session: Session, ids: list[int]) -> list[DocumentInfo]:
    """The documents among *ids* that exist, in id order."""
    rows = session.scalars(select(Document).options(selectinload(Document.attributes))
                           .where(Document.id.in_(ids)).order_by(Document.id))
    return [document_info(d) for d in rows]


def document_by_id(session: Session, document_id: int) -> Document | None:
    """The document row numbered *document_id* (its text is deferred), or None."""
    return session.get(Document, document_id)


def documents_named(session: Session, name: str) -> list[Document]:
    """The document rows named exactly *name* (at most one: names are unique)."""
    return list(session.scalars(select(Document).where(Document.name == name)))


def document_header(session: Session, document_id: int) -> tuple[str, int] | None:
    """``(name, length)`` of a document, or None; the coding loop's check of a span."""
    row = raw(session).execute("SELECT name, length FROM documents WHERE id = ?",
                               (document_id,)).fetchone()
    return (row[0], row[1]) if row else None


def document_text(session: Session, document_id: int) -> str | None:
    """The stored text of a document, or None. Through the DB-API cursor: a megabyte of text
    needs no ORM on top."""
    row = raw(session).execute("SELECT text FROM documents WHERE id = ?",
                               (document_id,)).fetchone()
    return row[0] if row else None


def text_identity(session: Session, document_id: int) -> str | None:
    """The SHA-256 of a document's stored text (its identity), or None."""
    row = raw(session).execute("SELECT sha256 FROM documents WHERE id = ?",
                               (document_id,)).fetchone()
    return row[0] if row else None


def texts_by_id(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Document id -> (name, text) for *ids*: one fetch per document, for retrieval."""
    found: dict[int, tuple[str, str]] = {}
    for chunk in chunks(ids):
        found.update((doc_id, (name, text)) for doc_id, name, text in raw(session).execute(
            f"SELECT id, name, text FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
            chunk))
    return found


def name_taken(session: Session, name: str, other_than: int | None = None) -> bool:
    """Whether a document other than *other_than* is named exactly *name*."""
    query = select(Document.id).where(Document.name == name)
    if other_than is not None:
        query = query.where(Document.id != other_than)
    return session.scalars(query.limit(1)).first() is not None


def replace_attributes(session: Session, document: Document, attributes: dict[str, str]) -> None:
    """Give *document* exactly *attributes* (flushed, then read back in stored order).

    A name kept is updated in place, never deleted and inserted again (one flush would insert
    the new row before deleting the old one and break the primary key); names not in
    *attributes* are deleted, new ones added.
    """
    kept = []
    for row in document.attributes:
        if row.name in attributes:
            if row.value != attributes[row.name]:
                row.value = attributes[row.name]
            kept.append(row)
    known = {row.name for row in kept}
    kept += [DocumentAttribute(name=k, value=v) for k, v in attributes.items() if k not in known]
    document.attributes = kept
    session.flush()
    session.expire(document, ["attributes"])


def known_texts(session: Session) -> dict[str, str]:
    """SHA-256 of each stored text -> the name of its document."""
    return dict(session.execute(select(Document.sha256, Document.name)).all())


def add_document(session: Session, *, name: str, text: str, sha256: str, encoding: str,
                 attributes: dict[str, str]) -> Document:
    """Add a document row with its attributes (flushed, so it has its id)."""
    document = Document(name=name, text=text, length=len(text), sha256=sha256,
                        source_encoding=encoding)
    document.attributes = [DocumentAttribute(name=k, value=v) for k, v in attributes.items()]
    session.add(document)
    session.flush()
    if not is_postgres(session):
        search_chunks.index_documents(raw(session), [document.id])
    return document


def document_lengths(session: Session) -> dict[int, int]:
    """Document id -> length in code points."""
    return dict(raw(session).execute("SELECT id, length FROM documents").fetchall())



#: a stored text at least this long (UTF-8 bytes) is staged before it is stored (memory)
STAGE_FROM = 8_000_000
_STAGE_PIECE = 1 << 20


@dataclass(frozen=True, slots=True)
class StagedText:
    """A text copied into a temporary table of the unit's connection (``stage_text``)."""

    rowid: int
    #: on PostgreSQL the bytes themselves (psycopg sends them without another copy)
    data: bytes | None = None


def stage_text(session: Session, text_utf8: bytes) -> StagedText:
    """Copy a long stored text, UTF-8, into a temporary table of the unit's connection, a
    megabyte at a time (SQLite's incremental blob I/O into a ``zeroblob``), so that the caller
    can drop its own copy before ``insert_document`` stores it. SQLite needs two copies of a
    value while it stores it; with the caller's copy gone, a text costs twice its size at
    most, not three times. The temporary table lives in SQLite's temporary file, not here."""
    if is_postgres(session):
        return StagedText(0, text_utf8)
    db = raw(session)
    db.execute("CREATE TEMP TABLE IF NOT EXISTS kz_staged_text (data BLOB NOT NULL)")
    rowid = db.execute("INSERT INTO temp.kz_staged_text (data) VALUES (zeroblob(?))",
                       (len(text_utf8),)).lastrowid
    with memoryview(text_utf8) as view, db.blobopen("kz_staged_text", "data", rowid,
                                                    name="temp") as blob:
        for start in range(0, len(view), _STAGE_PIECE):
            blob.write(view[start:start + _STAGE_PIECE])
    return StagedText(rowid)


def names_from(session: Session, stem: str) -> set[str]:
    """The document names that are *stem* or start with ``stem (``: those a new document
    named after *stem* must not take. Through the DB-API cursor: one indexed range per
    imported file."""
    rows = raw(session).execute(
        "SELECT name FROM documents WHERE name = ? OR name BETWEEN ? AND ?",
        (stem, f"{stem} (", f"{stem} (\U0010ffff"))
    return {row[0] for row in rows}


def text_owner(session: Session, sha256: str) -> str | None:
    """The name of the document whose stored text has this SHA-256, or None."""
    row = raw(session).execute("SELECT name FROM documents WHERE sha256 = ?",
                               (sha256,)).fetchone()
    return row[0] if row else None


def insert_document(session: Session, *, name: str, text: bytes | StagedText, length: int,
                    sha256: str, encoding: str, attributes: dict[str, str]) -> DocumentInfo:
    """Add a document row and its attributes; returns its record.

    Through the DB-API connection of the unit (as the hot paths are), for memory: the stored
    text comes as its UTF-8 bytes (or staged, see ``stage_text``), which SQLite stores as TEXT
    (``CAST``) without another copy, so the caller may drop the decoded ``str`` first, and no
    ORM object keeps the text alive. (Binding a ``str`` that is not ASCII would make Python
    keep a UTF-8 copy of it as well.) *length* is the text's length in code points.
    """
    db = raw(session)
    guid = new_guid()
    columns = "guid, name, text, length, sha256, source_encoding, memo, created"
    values = (guid, name, length, sha256, encoding, utc_now())
    if is_postgres(session):  # bytes arrive as bytea: decode them on the server
        data = text.data if isinstance(text, StagedText) else text
        cursor = db.execute(
            f"INSERT INTO documents ({columns}) VALUES (?, ?, convert_from(?, 'UTF8'), ?, ?, ?,"
            " '', ?)", (guid, name, data, *values[2:]))
    elif isinstance(text, StagedText):
        cursor = db.execute(
            f"INSERT INTO documents ({columns}) SELECT ?, ?, CAST(data AS TEXT), ?, ?, ?, '', ? "
            "FROM temp.kz_staged_text WHERE rowid = ?", (*values, text.rowid))
        db.execute("DELETE FROM temp.kz_staged_text WHERE rowid = ?", (text.rowid,))
    else:
        cursor = db.execute(
            f"INSERT INTO documents ({columns}) VALUES (?, ?, CAST(? AS TEXT), ?, ?, ?, '', ?)",
            (guid, name, text, *values[2:]))
    if cursor.rowcount != 1:
        raise RuntimeError("the staged text was not found")  # a bug, not the user's
    document_id = cursor.lastrowid
    if not is_postgres(session):
        search_chunks.index_documents(db, [document_id])
    history.note(db, "documents", [document_id])
    db.executemany("INSERT INTO document_attributes (document_id, name, value) VALUES (?, ?, ?)",
                   [(document_id, key, value) for key, value in attributes.items()])
    return DocumentInfo(id=document_id, guid=guid, name=name, length=length,
                        attributes=dict(attributes))


def document_guids(session: Session) -> dict[int, str]:
    """Every document's GUID by id (as stored: lower case)."""
    return dict(session.execute(select(Document.id, Document.guid)).all())
