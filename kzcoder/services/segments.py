"""Retrieval: coded segments with the text they cover, across documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import overload

from sqlalchemy import func, select

from kzcoder.core.errors import KzError
from kzcoder.db.models import Code, Coder, Coding, Document
from kzcoder.services.codebook import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.dto import Segment
from kzcoder.services.project import Project

_CHUNK = 900  # ids per IN (...) clause, well under SQLite's variable limit


def list_segments(project: Project, *, code: str | int | None = None,
                  document: str | int | None = None,
                  coder: str | None = None) -> SegmentList:
    """Coded segments with their text, filtered by code, document and coder, in document order.

    Spans come from a covering index; names from small look-ups; each document's text is
    fetched once and cut in Python when a segment is read (SQLite's substr() would read a
    whole text from its overflow pages once per segment: 10,000 codings of a 1 MB document,
    10 GB).
    """
    where, params = [], []
    with project.unit() as session:
        if code is not None:
            where.append("code_id = ?")
            params.append(find_code(session, code).id)
        if document is not None:
            where.append("document_id = ?")
            params.append(find_document(session, document).id)
        if coder is not None:
            coder_id = session.scalar(select(Coder.id).where(Coder.name == coder))
            if coder_id is None:
                raise KzError(f"no coder named '{coder}'")
            where.append("coder_id = ?")
            params.append(coder_id)
        # The DB-API cursor of this unit's connection: for 25,000 rows SQLAlchemy's result
        # processing cost four times what SQLite did.
        raw = session.connection().connection.driver_connection
        rows = raw.execute(
            'SELECT id, document_id, code_id, coder_id, start, "end" FROM codings'
            + (" WHERE " + " AND ".join(where) if where else "")
            + ' ORDER BY document_id, start, "end", id', params).fetchall()
        codes = dict(raw.execute("SELECT id, name FROM codes").fetchall())
        coders = dict(raw.execute("SELECT id, name FROM coders").fetchall())
        memos = dict(raw.execute("SELECT id, memo FROM codings WHERE memo != ''").fetchall())
        documents = _documents(raw, sorted({row[1] for row in rows}))
    return SegmentList(rows, documents, codes, coders, memos)


class SegmentList(Sequence[Segment]):
    """Segments built when first read: a dock showing a screenful of 25,000 builds a screenful.

    Compares equal to a list of the same segments.
    """

    def __init__(self, rows: list, documents: dict[int, tuple[str, str]],
                 codes: dict[int, str], coders: dict[int, str], memos: dict[int, str]) -> None:
        self._rows = rows  # (coding id, document id, code id, coder id, start, end)
        self._documents = documents
        self._codes = codes
        self._coders = coders
        self._memos = memos

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Segment: ...
    @overload
    def __getitem__(self, index: slice) -> list[Segment]: ...

    def __getitem__(self, index):  # noqa: ANN001, ANN204
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        coding_id, doc_id, code_id, coder_id, start, end = self._rows[index]
        name, text = self._documents[doc_id]
        return Segment(coding_id, doc_id, name, code_id, self._codes[code_id],
                       self._coders[coder_id], start, end, text[start:end],
                       self._memos.get(coding_id, ""))

    def order_key(self, index: int) -> tuple[int, int, int, int]:
        """(document id, start, end, coding id) of item *index*, without building it."""
        coding_id, doc_id, _code, _coder, start, end = self._rows[index]
        return doc_id, start, end, coding_id

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _documents(raw, ids: list[int]) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    found: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        found.update((doc_id, (name, text)) for doc_id, name, text in raw.execute(
            f"SELECT id, name, text FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
            chunk))
    return found


def segments_by_id(project: Project, coding_ids: Iterable[int]) -> dict[int, Segment]:
    """The segments of those *coding_ids* that exist (a removed coding is absent).

    Meant for the few codings one action changed: SQLite's substr() cuts each text without
    handing a whole (possibly megabyte) document to Python.
    """
    ids = list(coding_ids)
    found: dict[int, Segment] = {}
    columns = (Coding.id, Coding.document_id, Document.name, Coding.code_id, Code.name,
               Coder.name, Coding.start, Coding.end,
               func.substr(Document.text, Coding.start + 1, Coding.end - Coding.start),
               Coding.memo)
    with project.unit() as session:
        for i in range(0, len(ids), _CHUNK):
            query = (select(*columns).join(Document, Coding.document_id == Document.id)
                     .join(Code, Coding.code_id == Code.id)
                     .join(Coder, Coding.coder_id == Coder.id)
                     .where(Coding.id.in_(ids[i:i + _CHUNK])))
            found.update((row[0], Segment._make(row)) for row in session.execute(query))
    return found
