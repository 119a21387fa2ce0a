"""Queries on codings. Everything here is on the coding loop's path (a keypress, an undo, the
opening of a document, retrieval), so it goes through the DB-API connection (see the package
docstring) and reads from the covering indexes of ``codings``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from kzcoder.core.records import CodedSpan, CodingInfo, Segment
from kzcoder.db.models import new_guid, utc_now
from kzcoder.db.queries import chunks, raw

_CODING = ('SELECT c.id, c.guid, c.document_id, c.code_id, k.name, c.start, c."end", c.memo, '
           "c.created FROM codings c JOIN coders k ON k.id = c.coder_id")


def insert_coding(session: Session, *, document_id: int, code_id: int, coder_id: int,
                  start: int, end: int, memo: str = "", guid: str | None = None,
                  created: str | None = None, coding_id: int | None = None) -> tuple[int, str, str]:
    """Insert one coding (under *coding_id* when given, to restore a removed one under its own
    identity); returns its (id, guid, created)."""
    guid = guid or new_guid()
    created = created or utc_now()
    cursor = raw(session).execute(
        'INSERT INTO codings (id, guid, document_id, code_id, coder_id, start, "end", memo, '
        "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (coding_id, guid, document_id, code_id, coder_id, start, end, memo, created))
    return cursor.lastrowid, guid, created


def insert_codings(session: Session, rows: Iterable[tuple[int, int, int, int]],
                   coder_id: int) -> None:
    """Insert many codings ``(document_id, code_id, start, end)`` by one coder."""
    raw(session).executemany(
        'INSERT INTO codings (guid, document_id, code_id, coder_id, start, "end", memo, created)'
        " VALUES (?, ?, ?, ?, ?, ?, '', ?)",
        ((new_guid(), d, c, coder_id, s, e, utc_now()) for d, c, s, e in rows))


def coding_by_id(session: Session, coding_id: int) -> CodingInfo | None:
    """The coding numbered *coding_id*, whole, or None."""
    row = raw(session).execute(_CODING + " WHERE c.id = ?", (coding_id,)).fetchone()
    return CodingInfo._make(row) if row else None


def codings_by_id(session: Session, coding_ids: Iterable[int]) -> dict[int, CodingInfo]:
    """The codings among *coding_ids* that exist (a removed one is simply absent)."""
    found: dict[int, CodingInfo] = {}
    for chunk in chunks(list(coding_ids)):
        rows = raw(session).execute(
            _CODING + f" WHERE c.id IN ({','.join('?' * len(chunk))})", chunk)
        found.update((row[0], CodingInfo._make(row)) for row in rows)
    return found


def delete_coding(session: Session, coding_id: int) -> int:
    """Delete one coding (nothing if it is absent); how many rows went (0 or 1: on a server,
    row-level security hides another coder's coding from a coder's change)."""
    return raw(session).execute("DELETE FROM codings WHERE id = ?", (coding_id,)).rowcount


def set_coding(session: Session, coding_id: int, *, code_id: int, memo: str) -> int:
    """Give a coding another code and memo; how many rows changed (see ``delete_coding``)."""
    return raw(session).execute("UPDATE codings SET code_id = ?, memo = ? WHERE id = ?",
                                (code_id, memo, coding_id)).rowcount


def document_spans(session: Session, document_id: int, start: int | None = None,
                   end: int | None = None) -> list[CodedSpan]:
    """A document's codings for display, ordered by (start, end, id): all of them, or those
    overlapping ``[start, end)`` when both are given. The spans come from the covering index,
    memos from a partial one; this runs on every opening of a document."""
    region = start is not None and end is not None
    connection = raw(session)
    rows = connection.execute(
        'SELECT id, code_id, coder_id, start, "end" FROM codings WHERE document_id = ?'
        + (' AND start < ? AND "end" > ?' if region else "")
        + ' ORDER BY start, "end", id',
        (document_id, end, start) if region else (document_id,)).fetchall()
    coders = coder_names(session)
    memos = dict(connection.execute("SELECT id, memo FROM codings WHERE document_id = ? "
                                    "AND memo != ''", (document_id,)).fetchall())
    return [CodedSpan(coding_id, document_id, code_id, coders[coder_id], s, e,
                      memos.get(coding_id, ""))
            for coding_id, code_id, coder_id, s, e in rows]


def coder_names(session: Session) -> dict[int, str]:
    """Coder id -> name (a handful of rows)."""
    return dict(raw(session).execute("SELECT id, name FROM coders").fetchall())


def segments_by_id(session: Session, coding_ids: Iterable[int]) -> dict[int, Segment]:
    """The segments of those *coding_ids* that exist (a removed coding is absent).

    Meant for the few codings one action changed: SQLite's substr() cuts each text without
    handing a whole (possibly megabyte) document to Python.
    """
    found: dict[int, Segment] = {}
    for chunk in chunks(list(coding_ids)):
        rows = raw(session).execute(
            'SELECT c.id, c.document_id, d.name, c.code_id, k.name, r.name, c.start, c."end", '
            'substr(d.text, c.start + 1, c."end" - c.start), c.memo FROM codings c '
            "JOIN documents d ON d.id = c.document_id JOIN codes k ON k.id = c.code_id "
            f"JOIN coders r ON r.id = c.coder_id WHERE c.id IN ({','.join('?' * len(chunk))})",
            chunk)
        found.update((row[0], Segment._make(row)) for row in rows)
    return found


def segment_heads(session: Session, coding_ids: Iterable[int]) -> list[tuple]:
    """For each coding among *coding_ids* that exists: its segment's fields without the text
    (id, document id, document name, code id, code name, coder, start, end, memo) and the
    SHA-256 of its document's text, so that a caller holding that text cuts it itself."""
    found: list[tuple] = []
    for chunk in chunks(list(coding_ids)):
        found += raw(session).execute(
            'SELECT c.id, c.document_id, d.name, c.code_id, k.name, r.name, c.start, c."end", '
            "c.memo, d.sha256 FROM codings c JOIN documents d ON d.id = c.document_id "
            "JOIN codes k ON k.id = c.code_id JOIN coders r ON r.id = c.coder_id "
            f"WHERE c.id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return found


def segment_rows(session: Session, *, code_id: int | None = None,
                 document_id: int | None = None, coder_id: int | None = None,
                 code_ids: Sequence[int] | None = None) -> list[tuple]:
    """``(coding id, document id, code id, coder id, start, end)`` of the codings that match,
    in document order, straight from the covering indexes. *code_ids*: any of these codes
    (a code with its sub-codes)."""
    where, params = [], []
    for column, value in (("code_id", code_id), ("document_id", document_id),
                          ("coder_id", coder_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if code_ids is not None:
        where.append(f"code_id IN ({','.join('?' * len(code_ids))})")
        params.extend(code_ids)
    return raw(session).execute(
        'SELECT id, document_id, code_id, coder_id, start, "end" FROM codings'
        + (" WHERE " + " AND ".join(where) if where else "")
        + ' ORDER BY document_id, start, "end", id', params).fetchall()


def coding_memos(session: Session) -> dict[int, str]:
    """Coding id -> memo, for the codings that have one (a partial index serves it)."""
    return dict(raw(session).execute("SELECT id, memo FROM codings WHERE memo != ''").fetchall())


def code_counts(session: Session, code_ids: Iterable[int] | None = None) -> dict[int, int]:
    """How many codings each code has; with *code_ids*, just those (zero included)."""
    connection = raw(session)
    if code_ids is None:
        return dict(connection.execute(
            "SELECT code_id, count(*) FROM codings GROUP BY code_id").fetchall())
    return {code_id: connection.execute("SELECT count(*) FROM codings WHERE code_id = ?",
                                        (code_id,)).fetchone()[0]
            for code_id in set(code_ids)}


def code_document_counts(session: Session, code_ids: Iterable[int] | None = None
                         ) -> dict[int, int]:
    """In how many documents each code has codings (from the code index); with *code_ids*,
    just those (zero included)."""
    connection = raw(session)
    if code_ids is None:
        return dict(connection.execute(
            "SELECT code_id, count(DISTINCT document_id) FROM codings GROUP BY code_id"))
    return {code_id: connection.execute(
        "SELECT count(DISTINCT document_id) FROM codings WHERE code_id = ?",
        (code_id,)).fetchone()[0] for code_id in set(code_ids)}


def code_usage(session: Session, code_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Code id -> (codings, documents) for these codes, one index range each."""
    connection = raw(session)
    return {code_id: tuple(connection.execute(
        "SELECT count(*), count(DISTINCT document_id) FROM codings WHERE code_id = ?",
        (code_id,)).fetchone()) for code_id in set(code_ids)}
