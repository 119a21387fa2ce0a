"""Retrieval: coded segments with the text they cover, across documents."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import overload

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import Segment
from kzcoder.db.queries import code_tree as tree_q
from kzcoder.db.queries import coders as coder_q
from kzcoder.db.queries import codes as code_q
from kzcoder.db.queries import codings as q
from kzcoder.db.queries import documents as document_q
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.project import Project


def list_segments(project: Project, *, code: str | int | None = None,
                  document: str | int | None = None,
                  coder: str | None = None, subcodes: bool = False,
                  documents: Collection[int] | None = None) -> SegmentList:
    """Coded segments with their text, filtered by code, document and coder, in document order.
    With *subcodes*, a *code* means that code and every code below it; with *documents*, only
    in those documents (a document filter or set).

    Spans come from a covering index; names from small look-ups; each document's text is
    fetched once and cut in Python when a segment is read (SQLite's substr() would read a
    whole text from its overflow pages once per segment: 10,000 codings of a 1 MB document,
    10 GB).
    """
    with project.unit(read=True) as session:
        code_id = find_code(session, code).id if code is not None else None
        document_id = find_document(session, document).id if document is not None else None
        coder_id = None
        if coder is not None:
            coder_id = coder_q.coder_id(session, coder)
            if coder_id is None:
                raise KzError(f"no coder named '{coder}'")
        code_ids = None
        if subcodes and code_id is not None:
            code_ids, code_id = tree_q.subtree_ids(session, code_id), None
        rows = q.segment_rows(session, code_id=code_id, document_id=document_id,
                              coder_id=coder_id, code_ids=code_ids)
        if documents is not None:
            kept = set(documents)
            rows = [row for row in rows if row[1] in kept]
        codes = code_q.code_names(session)
        coders = q.coder_names(session)
        memos = q.coding_memos(session)
        documents = document_q.texts_by_id(session, sorted({row[1] for row in rows}))
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


def segments_by_id(project: Project, coding_ids: Iterable[int]) -> dict[int, Segment]:
    """The segments of those *coding_ids* that exist (a removed coding is absent)."""
    with project.unit(read=True) as session:
        return q.segments_by_id(session, coding_ids)


def changed_segments(project: Project, changes: Changes) -> dict[int, Segment | None]:
    """The segment each coding in ``changes.codings`` is now (None: gone): what the change
    carries, and the rest read from the project in one unit of work."""
    found: dict[int, Segment | None] = {i: changes.segments.get(i) for i in changes.codings}
    missing = [i for i in changes.codings if i not in changes.segments]
    if missing:
        found.update(segments_by_id(project, missing))
    return found
