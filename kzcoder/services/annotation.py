"""Annotations: notes anchored to a span of a document without a code (QualCoder's
annotations, ATLAS.ti's quotations with a comment and no code). They come in and go out
through REFI-QDA as a ``PlainTextSelection`` with a ``Description`` and no ``Coding``. Each
change is one unit of work."""

from __future__ import annotations

import uuid

from kzcoder.core.annotation import AnnotationInfo
from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.spans import check_span
from kzcoder.db.models import utc_now
from kzcoder.db.queries import annotation as q
from kzcoder.services.documents import find_document
from kzcoder.services.memos import clean_memo
from kzcoder.services.project import Project


def list_annotations(project: Project, document: str | int) -> list[AnnotationInfo]:
    """The annotations of *document* (``id:N``, ``name:TEXT``, bare), by span."""
    with project.unit(read=True) as session:
        return q.of_document(session, find_document(session, document).id)


def all_annotations(project: Project) -> list[AnnotationInfo]:
    """Every annotation, by document (in import order), each document's by span."""
    with project.unit(read=True) as session:
        return [a for items in sorted(q.by_document(session).items()) for a in items[1]]


def get_annotation(project: Project, annotation_id: int) -> AnnotationInfo:
    """The annotation *annotation_id*; KzError if there is none."""
    with project.unit(read=True) as session:
        found = q.one(session, annotation_id)
    if found is None:
        raise KzError(f"no annotation numbered {annotation_id}")
    return found


def add_annotation(project: Project, document: str | int, start: int, end: int, text: str,
                   *, author: str = "") -> Changed[AnnotationInfo]:
    """Anchor *text* to ``[start, end)`` of *document*; KzError, adding nothing, on a span
    that does not fit or an empty text."""
    text = clean_memo(text)
    if not text.strip():
        raise KzError("an annotation needs a text")
    with project.unit() as session:
        row = find_document(session, document)
        check_span(start, end, row.length, where=f"'{row.name}'")
        guid = str(uuid.uuid4())
        q.insert(session, [(guid, row.id, start, end, text, author.strip(), utc_now())])
        found = next(a for a in q.of_document(session, row.id) if a.guid == guid)
    return Changed(found, Changes(memos=True, documents=frozenset({found.document_id})))


def remove_annotation(project: Project, annotation_id: int) -> Changed[AnnotationInfo]:
    """Remove annotation *annotation_id*; returns it as it was. KzError if there is none."""
    with project.unit() as session:
        found = q.one(session, annotation_id)
        if found is None:
            raise KzError(f"no annotation numbered {annotation_id}")
        q.delete(session, annotation_id)
    return Changed(found, Changes(memos=True, documents=frozenset({found.document_id})))


def restore_annotation(project: Project, found: AnnotationInfo) -> Changes:
    """Put a removed annotation back under its id and GUID (an undo)."""
    with project.unit() as session:
        q.put_back(session, found)
    return Changes(memos=True, documents=frozenset({found.document_id}))
