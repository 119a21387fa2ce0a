"""Queries for analysis: codings as a stream in document order (matrix, co-occurrence) and the
documents' attribute values (filters, columns). Both go through the DB-API connection (see the
package docstring): a matrix of 100,000 codings reads them all."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from kzcoder.db.queries import chunks, raw

#: rows fetched at a time from the coding stream: memory stays flat in the number of codings
BATCH = 5_000


def coding_stream(session: Session, *, coder_id: int | None = None,
                  ) -> Iterator[tuple[int, int, int, int, int]]:
    """``(document_id, code_id, start, end, coding id)`` of every coding (by *coder_id* only,
    when given), ordered by document, start, end and id, from the covering index; fetched in
    batches while iterated, inside *session*'s unit of work."""
    where = " WHERE coder_id = ?" if coder_id is not None else ""
    cursor = raw(session).execute(
        f'SELECT document_id, code_id, start, "end", id FROM codings{where} '
        'ORDER BY document_id, start, "end", id', (coder_id,) if coder_id is not None else ())
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def coding_pairs(session: Session, *, coder_id: int | None = None,
                 document_ids: list[int] | None = None) -> list[tuple[int, int, int]]:
    """``(document_id, code_id, codings)`` for each document and code with codings (by
    *coder_id* only, in *document_ids* only, when given): at most codes x documents rows,
    from the covering index."""
    terms, values = [], []
    if coder_id is not None:
        terms.append("coder_id = ?")
        values.append(coder_id)
    parts = [None] if document_ids is None else chunks(sorted(set(document_ids)))
    found: list[tuple[int, int, int]] = []
    for part in parts:
        where = list(terms)
        params = list(values)
        if part is not None:
            where.append(f"document_id IN ({','.join('?' * len(part))})")
            params += part
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        found += raw(session).execute(
            f"SELECT document_id, code_id, count(*) FROM codings{clause} "
            "GROUP BY document_id, code_id", params).fetchall()
    return found


def span_stream(session: Session, *, coder_id: int | None = None,
                ) -> Iterator[tuple[int, int, int, int]]:
    """``(document_id, code_id, start, end)`` of every coding (by *coder_id* only), in
    document order and by start; fetched in batches while iterated."""
    where = " WHERE coder_id = ?" if coder_id is not None else ""
    cursor = raw(session).execute(
        f'SELECT document_id, code_id, start, "end" FROM codings{where} '
        'ORDER BY document_id, start, "end", id', (coder_id,) if coder_id is not None else ())
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def attribute_rows(session: Session) -> list[tuple[int, str, str]]:
    """``(document_id, name, value)`` of every attribute of every document."""
    return raw(session).execute(
        "SELECT document_id, name, value FROM document_attributes").fetchall()


def document_names(session: Session) -> dict[int, str]:
    """Document id -> name, in id order."""
    return dict(raw(session).execute("SELECT id, name FROM documents ORDER BY id").fetchall())


def texts(session: Session, ids: list[int]) -> Iterator[tuple[int, str]]:
    """``(document_id, text)`` of *ids*, one document at a time (texts can be megabytes)."""
    for document_id in ids:
        row = raw(session).execute("SELECT text FROM documents WHERE id = ?",
                                   (document_id,)).fetchone()
        if row is not None:
            yield document_id, row[0]
