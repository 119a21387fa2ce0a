"""Codings: a code applied to a span of a document by a coder; and their retrieval."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kzcoder.core.errors import KzError
from kzcoder.core.spans import check_span
from kzcoder.db.models import Code, Coder, Coding, Document, new_guid, utc_now
from kzcoder.services.codebook import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.dto import Changed, Changes, CodedSpan, CodingInfo
from kzcoder.services.project import Project


def coder_row(session: Session, name: str) -> Coder:
    """The coder called *name*, created on first use."""
    name = name.strip()
    if not name:
        raise KzError("a coder needs a name")
    coder = session.scalar(select(Coder).where(Coder.name == name))
    if coder is None:
        coder = Coder(name=name)
        session.add(coder)
        session.flush()
    return coder


def _info(coding: Coding, coder_name: str) -> CodingInfo:
    return CodingInfo(id=coding.id, guid=coding.guid, document_id=coding.document_id,
                      code_id=coding.code_id, coder=coder_name, start=coding.start,
                      end=coding.end, memo=coding.memo, created=coding.created)


def add_coding(project: Project, document: str | int, code: str | int, start: int, end: int,
               *, coder: str, memo: str = "", guid: str | None = None,
               created: str | None = None) -> Changed[CodingInfo]:
    """Code ``[start, end)`` of *document* with *code*; KzError if anything does not exist or fit.

    *guid* and *created* let an undo restore a removed coding exactly.
    """
    with project.unit() as session:
        doc = find_document(session, document)
        code_row = find_code(session, code)
        check_span(start, end, doc.length, where=f"'{doc.name}'")
        coder_obj = coder_row(session, coder)
        coding = Coding(document_id=doc.id, code_id=code_row.id, coder_id=coder_obj.id,
                        start=start, end=end, memo=memo)
        if guid:
            coding.guid = guid
        if created:
            coding.created = created
        session.add(coding)
        session.flush()
        info = _info(coding, coder_obj.name)
    return Changed(info, _changes(info))


def _coding_with_coder(session: Session, coding_id: int) -> tuple[Coding, str]:
    row = session.execute(select(Coding, Coder.name).join(Coder)
                          .where(Coding.id == coding_id)).first()
    if row is None:
        raise KzError(f"no coding numbered {coding_id}")
    return row[0], row[1]


def remove_coding(project: Project, coding_id: int) -> Changed[CodingInfo]:
    """Delete a coding; returns it as it was, so that it can be restored."""
    with project.unit() as session:
        coding, coder_name = _coding_with_coder(session, coding_id)
        info = _info(coding, coder_name)
        session.delete(coding)
    return Changed(info, _changes(info))


def _changes(info: CodingInfo) -> Changes:
    return Changes(documents=frozenset({info.document_id}), codes=frozenset({info.code_id}),
                   codings=frozenset({info.id}))


def document_spans(project: Project, document_id: int, *, start: int | None = None,
                   end: int | None = None) -> list[CodedSpan]:
    """A document's codings for display, ordered by (start, end, id), all of them or those
    overlapping ``[start, end)``. Served by the covering index, memos by a partial one, read
    through the DB-API cursor (this runs on every opening of a document)."""
    region = start is not None and end is not None
    with project.unit() as session:
        raw = session.connection().connection.driver_connection
        rows = raw.execute(
            'SELECT id, code_id, coder_id, start, "end" FROM codings WHERE document_id = ?'
            + (' AND start < ? AND "end" > ?' if region else "")
            + ' ORDER BY start, "end", id',
            (document_id, end, start) if region else (document_id,)).fetchall()
        coders = dict(raw.execute("SELECT id, name FROM coders").fetchall())
        memos = dict(raw.execute("SELECT id, memo FROM codings WHERE document_id = ? "
                                 "AND memo != ''", (document_id,)).fetchall())
    return [CodedSpan(coding_id, document_id, code_id, coders[coder_id], s, e,
                      memos.get(coding_id, ""))
            for coding_id, code_id, coder_id, s, e in rows]


def update_coding(project: Project, coding_id: int, *, code: str | int | None = None,
                  memo: str | None = None) -> Changed[tuple[CodingInfo, CodingInfo]]:
    """Change a coding's code and/or memo; returns (before, after)."""
    with project.unit() as session:
        coding, coder_name = _coding_with_coder(session, coding_id)
        before = _info(coding, coder_name)
        if code is not None:
            coding.code_id = find_code(session, code).id
        if memo is not None:
            coding.memo = memo
        session.flush()
        after = _info(coding, coder_name)
    return Changed((before, after), _changes(before) | _changes(after))


def code_counts(project: Project, code_ids: Iterable[int] | None = None) -> dict[int, int]:
    """How many codings each code has; with *code_ids*, just those (zero included)."""
    query = select(Coding.code_id, func.count()).group_by(Coding.code_id)
    wanted = None if code_ids is None else set(code_ids)
    if wanted is not None:
        query = query.where(Coding.code_id.in_(wanted))
    with project.unit() as session:
        counts = dict(session.execute(query).all())
    return counts if wanted is None else {code_id: counts.get(code_id, 0) for code_id in wanted}


def codings_by_id(project: Project, coding_ids: Iterable[int]) -> dict[int, CodingInfo]:
    """The codings among *coding_ids* that exist (a removed one is simply absent)."""
    ids = list(coding_ids)
    if not ids:
        return {}
    with project.unit() as session:
        rows = session.execute(select(Coding, Coder.name).join(Coder)
                               .where(Coding.id.in_(ids))).all()
        return {coding.id: _info(coding, name) for coding, name in rows}


def add_codings(project: Project, items: Iterable[tuple[int, int, int, int]], *,
                coder: str) -> int:
    """Add many codings ``(document_id, code_id, start, end)`` in one unit of work.

    Every span is checked against its document's length first; one bad item refuses the whole
    batch (KzError naming it) and nothing is written. Returns how many were added.
    """
    rows = list(items)
    with project.unit() as session:
        lengths = dict(session.execute(select(Document.id, Document.length)).all())
        codes = set(session.scalars(select(Code.id)))
        for number, (document_id, code_id, start, end) in enumerate(rows, start=1):
            if document_id not in lengths:
                raise KzError(f"item {number}: no document numbered {document_id}")
            if code_id not in codes:
                raise KzError(f"item {number}: no code numbered {code_id}")
            check_span(start, end, lengths[document_id], where=f"document {document_id}")
        coder_id = coder_row(session, coder).id
        session.execute(insert(Coding), [
            {"guid": new_guid(), "document_id": d, "code_id": c, "coder_id": coder_id,
             "start": s, "end": e, "memo": "", "created": utc_now()} for d, c, s, e in rows])
    return len(rows)
