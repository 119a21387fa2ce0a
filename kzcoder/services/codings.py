"""Codings: a code applied to a span of a document by a coder.

Each changing call is one unit of work that returns, in its ``Changes``, everything the views
need to show the result (the segment as it is now, the codes' new counts): a coding by key is
one unit of work and one commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes, coding_changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodedSpan, CodingInfo, Segment
from kzcoder.core.spans import check_span
from kzcoder.db.models import utc_now
from kzcoder.db.queries import coders as coder_q
from kzcoder.db.queries import codes as code_q
from kzcoder.db.queries import codings as q
from kzcoder.db.queries import documents as document_q
from kzcoder.db.queries import memos as memo_q
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.project import Project


def coder_id(session: Session, name: str) -> int:
    """The id of the coder called *name*, created on first use; KzError on an empty name."""
    name = name.strip()
    if not name:
        raise KzError("a coder needs a name")
    return coder_q.ensure_coder(session, name)


def _document(session: Session, ref: str | int) -> tuple[int, str, int]:
    if isinstance(ref, int) and (header := document_q.document_header(session, ref)):
        return ref, header[0], header[1]
    document = find_document(session, ref)
    return document.id, document.name, document.length


def _code_id(session: Session, ref: str | int) -> int:
    code_id = ref if isinstance(ref, int) and code_q.code_exists(session, ref) \
        else find_code(session, ref).id
    _refuse_category(session, code_id)
    return code_id


def _refuse_category(session: Session, code_id: int) -> None:
    name = code_q.code_name_if_category(session, code_id)
    if name is not None:
        raise KzError(f"'{name}' is a category (not codable): code with one of its sub-codes, "
                      "or make it codable with code-edit --codable")


def add_coding(project: Project, document: str | int, code: str | int, start: int, end: int,
               *, coder: str, memo: str = "") -> Changed[CodingInfo]:
    """Code ``[start, end)`` of *document* with *code*; KzError if anything does not exist or
    fit, and nothing is written."""
    with project.unit() as session:
        document_id, name, length = _document(session, document)
        code_id = _code_id(session, code)
        check_span(start, end, length, where=f"'{name}'")
        info = _insert(session, CodingInfo(0, "", document_id, code_id, coder.strip(), start,
                                           end, memo))
        return Changed(info, _changed(project, session, {info.id}, {document_id}, {code_id}))


def restore_coding(project: Project, info: CodingInfo) -> Changed[CodingInfo]:
    """Put a removed coding back exactly as it was: same id, GUID, coder, memo and creation
    time, so that whatever still refers to it (an undo stack) stays right."""
    with project.unit() as session:
        reinsert(session, [info])
        return Changed(info, _changed(project, session, {info.id}, {info.document_id},
                                      {info.code_id}))


def reinsert(session: Session, infos: Iterable[CodingInfo]) -> None:
    """Put removed codings back inside *session*'s unit of work under their own id, GUID,
    coder, memo and creation time (the one way every undo restores codings); KzError if one
    of them exists already."""
    for info in infos:
        if q.coding_by_id(session, info.id) is not None:
            raise KzError(f"coding {info.id} exists already; it cannot be restored")
        q.insert_coding(session, document_id=info.document_id, code_id=info.code_id,
                        coder_id=coder_id(session, info.coder), start=info.start,
                        end=info.end, memo=info.memo, guid=info.guid, created=info.created,
                        coding_id=info.id)


def _insert(session: Session, info: CodingInfo) -> CodingInfo:
    coding_id, guid, created = q.insert_coding(
        session, document_id=info.document_id, code_id=info.code_id,
        coder_id=coder_id(session, info.coder), start=info.start, end=info.end, memo=info.memo)
    return info._replace(id=coding_id, guid=guid, created=created)


def _changed(project: Project, session: Session, coding_ids: set[int], documents: set[int],
             codes: set[int]) -> Changes:
    found = _segments(project, session, coding_ids)
    usage = q.code_usage(session, codes)
    return coding_changes({i: found.get(i) for i in coding_ids}, documents,
                          {c: n for c, (n, _d) in usage.items()},
                          {c: d for c, (_n, d) in usage.items()})


def _segments(project: Project, session: Session, coding_ids: set[int]) -> dict[int, Segment]:
    """The segments of *coding_ids*, their text cut from a text the project holds when it
    does (SQLite's substr() reads a long text from the start: 2 ms at the end of 1 MB)."""
    found: dict[int, Segment] = {}
    uncut: list[int] = []
    for *fields, memo, identity in q.segment_heads(session, coding_ids):
        text = project.texts.get(identity)
        if text is None:
            uncut.append(fields[0])
        else:
            found[fields[0]] = Segment(*fields, text[fields[6]:fields[7]], memo)
    if uncut:
        found.update(q.segments_by_id(session, uncut))
    return found


def _existing(session: Session, coding_id: int) -> CodingInfo:
    info = q.coding_by_id(session, coding_id)
    if info is None:
        raise KzError(f"no coding numbered {coding_id}")
    return info


def _not_yours(info: CodingInfo) -> KzError:
    """A coding the server's row-level security kept from this change (only a coder's own
    codings are theirs to change); the unit rolls back."""
    return KzError(f"coding {info.id} is {info.coder}'s: the coder role may change and remove "
                   "only its own codings; nothing was changed")


def remove_coding(project: Project, coding_id: int) -> Changed[CodingInfo]:
    """Delete a coding; returns it as it was, so that it can be restored."""
    with project.unit() as session:
        info = _existing(session, coding_id)
        if q.delete_coding(session, coding_id) != 1:
            raise _not_yours(info)
        return Changed(info, _changed(project, session, {coding_id}, {info.document_id},
                                      {info.code_id}))


def update_coding(project: Project, coding_id: int, *, code: str | int | None = None,
                  memo: str | None = None, memo_modified: str | None = None
                  ) -> Changed[tuple[CodingInfo, CodingInfo]]:
    """Change a coding's code and/or memo (a memo changed now, or at *memo_modified*: an
    undo gives back the time it had, "" none); returns (before, after)."""
    with project.unit() as session:
        before = _existing(session, coding_id)
        code_id = _code_id(session, code) if code is not None else before.code_id
        after = before._replace(code_id=code_id, memo=before.memo if memo is None else memo)
        if q.set_coding(session, coding_id, code_id=after.code_id, memo=after.memo) != 1:
            raise _not_yours(before)
        changes = _changed(project, session, {coding_id}, {before.document_id},
                           {before.code_id, after.code_id})
        if memo is not None and memo != before.memo:
            memo_q.set_memo_time(session, before.guid,
                                 utc_now() if memo_modified is None else memo_modified)
            changes |= Changes(memos=True)
        return Changed((before, after), changes)


def memo_time(project: Project, coding_id: int) -> str:
    """When the memo of coding *coding_id* last changed ("" never); KzError if no coding."""
    with project.unit(read=True) as session:
        return memo_q.memo_time(session, _existing(session, coding_id).guid)


def document_spans(project: Project, document_id: int, *, start: int | None = None,
                   end: int | None = None) -> list[CodedSpan]:
    """A document's codings for display, ordered by (start, end, id): all of them, or those
    overlapping ``[start, end)``."""
    with project.unit(read=True) as session:
        return q.document_spans(session, document_id, start, end)


def code_counts(project: Project, code_ids: Iterable[int] | None = None) -> dict[int, int]:
    """How many codings each code has; with *code_ids*, just those (zero included)."""
    with project.unit(read=True) as session:
        return q.code_counts(session, code_ids)


def codings_by_id(project: Project, coding_ids: Iterable[int]) -> dict[int, CodingInfo]:
    """The codings among *coding_ids* that exist (a removed one is simply absent)."""
    with project.unit(read=True) as session:
        return q.codings_by_id(session, coding_ids)


def add_codings(project: Project, items: Iterable[tuple[int, int, int, int]], *,
                coder: str) -> int:
    """Add many codings ``(document_id, code_id, start, end)`` in one unit of work.

    Every span is checked against its document's length first; one bad item refuses the whole
    batch (KzError naming it) and nothing is written. Returns how many were added.
    """
    rows = list(items)
    with project.unit() as session:
        lengths = document_q.document_lengths(session)
        codes = {c.id for c in code_q.all_codes(session)}
        categories = code_q.category_ids(session)
        for number, (document_id, code_id, start, end) in enumerate(rows, start=1):
            if document_id not in lengths:
                raise KzError(f"item {number}: no document numbered {document_id}")
            if code_id not in codes:
                raise KzError(f"item {number}: no code numbered {code_id}")
            if code_id in categories:
                raise KzError(f"item {number}: code {code_id} is a category (not codable)")
            check_span(start, end, lengths[document_id], where=f"document {document_id}")
        q.insert_codings(session, rows, coder_id(session, coder))
    return len(rows)


def code_usage(project: Project, code_ids: Iterable[int] | None = None
               ) -> tuple[dict[int, int], dict[int, int]]:
    """How many codings each code has, and in how many documents (with *code_ids*, just
    those), in one unit of work."""
    ids = None if code_ids is None else list(code_ids)
    with project.unit(read=True) as session:
        return q.code_counts(session, ids), q.code_document_counts(session, ids)
