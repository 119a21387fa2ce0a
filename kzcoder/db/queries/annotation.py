"""Queries on annotations (notes anchored to a span, without a code)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.annotation import AnnotationInfo
from kzcoder.db.queries import raw

_COLUMNS = 'id, guid, document_id, start, "end", text, author, created'


def of_document(session: Session, document_id: int) -> list[AnnotationInfo]:
    """The annotations of a document, by span."""
    return [AnnotationInfo(*row) for row in raw(session).execute(
        f'SELECT {_COLUMNS} FROM annotations WHERE document_id = ? ORDER BY start, "end", id',
        (document_id,))]


def by_document(session: Session) -> dict[int, list[AnnotationInfo]]:
    """Every annotation, by document id, each document's by span."""
    found: dict[int, list[AnnotationInfo]] = {}
    for row in raw(session).execute(
            f'SELECT {_COLUMNS} FROM annotations ORDER BY document_id, start, "end", id'):
        found.setdefault(row[2], []).append(AnnotationInfo(*row))
    return found


def insert(session: Session, rows: Iterable[tuple[str, int, int, int, str, str, str]]) -> None:
    """Many annotations ``(guid, document_id, start, end, text, author, created)``."""
    raw(session).executemany(
        'INSERT INTO annotations (guid, document_id, start, "end", text, author, created) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def put_back(session: Session, found: AnnotationInfo) -> None:
    """Insert *found* as it was, under its id and GUID (an undo)."""
    raw(session).execute(
        'INSERT INTO annotations (id, guid, document_id, start, "end", text, author, created) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (found.id, found.guid, found.document_id, found.start, found.end, found.text,
         found.author, found.created))


def one(session: Session, annotation_id: int) -> AnnotationInfo | None:
    """The annotation *annotation_id*, or None."""
    row = raw(session).execute(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?",
                               (annotation_id,)).fetchone()
    return AnnotationInfo(*row) if row else None


def delete(session: Session, annotation_id: int) -> None:
    """Remove the annotation *annotation_id*."""
    raw(session).execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
