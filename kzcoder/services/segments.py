"""Retrieval: coded segments with the text they cover, across documents."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kzcoder.core.errors import KzError
from kzcoder.db.models import Code, Coder, Coding, Document
from kzcoder.services.codebook import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.dto import Segment
from kzcoder.services.project import Project

_CHUNK = 900  # ids per IN (...) clause, well under SQLite's variable limit

_COLUMNS = (Coding.id, Coding.guid, Coding.document_id, Coding.code_id, Code.name, Coder.name,
            Coding.start, Coding.end, Coding.memo, Coding.created)


def _base_query():  # noqa: ANN202 - a SQLAlchemy Select
    return (select(*_COLUMNS).join(Code, Coding.code_id == Code.id)
            .join(Coder, Coding.coder_id == Coder.id)
            .order_by(Coding.document_id, Coding.start, Coding.end, Coding.id))


def _with_text(session: Session, rows: list) -> list[Segment]:
    """Cut each segment's text in Python from one fetch per document.

    (SQLite's substr() would read the whole text from its overflow pages once per segment:
    10,000 codings of a 1 MB document made that 10 GB of reading.)
    """
    document_ids = sorted({row[2] for row in rows})
    documents: dict[int, tuple[str, str]] = {}
    for i in range(0, len(document_ids), _CHUNK):
        chunk = document_ids[i:i + _CHUNK]
        for doc_id, name, text in session.execute(
                select(Document.id, Document.name, Document.text).where(Document.id.in_(chunk))):
            documents[doc_id] = (name, text)
    segments = []
    for (coding_id, guid, doc_id, code_id, code, coder, start, end, memo,
         created) in rows:
        name, text = documents[doc_id]
        segments.append(Segment(coding_id, guid, doc_id, name, code_id, code, coder, start, end,
                                text[start:end], memo, created))
    return segments


def list_segments(project: Project, *, code: str | int | None = None,
                  document: str | int | None = None,
                  coder: str | None = None) -> list[Segment]:
    """Coded segments with their text, filtered by code, document and coder, in document order."""
    with project.unit() as session:
        query = _base_query()
        if code is not None:
            query = query.where(Coding.code_id == find_code(session, code).id)
        if document is not None:
            query = query.where(Coding.document_id == find_document(session, document).id)
        if coder is not None:
            coder_id = session.scalar(select(Coder.id).where(Coder.name == coder))
            if coder_id is None:
                raise KzError(f"no coder named '{coder}'")
            query = query.where(Coding.coder_id == coder_id)
        return _with_text(session, session.execute(query).all())


def segments_by_id(project: Project, coding_ids: Iterable[int]) -> dict[int, Segment]:
    """The segments of those *coding_ids* that exist (a removed coding is absent)."""
    ids = list(coding_ids)
    rows = []
    with project.unit() as session:
        for i in range(0, len(ids), _CHUNK):
            rows += session.execute(_base_query().where(Coding.id.in_(ids[i:i + _CHUNK]))).all()
        return {segment.id: segment for segment in _with_text(session, rows)}
