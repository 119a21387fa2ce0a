"""Which documents a filter and a document set keep: the one place every feature (segments,
exports, matrix, co-occurrence, charts, search) asks."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.errors import UsageError
from kzcoder.core.filters import CheckedFilter, DocumentFilter
from kzcoder.db.queries import analysis as q
from kzcoder.db.queries import document_sets as set_q
from kzcoder.services.project import Project


def attribute_values(session: Session) -> dict[str, list[str]]:
    """Attribute name -> every value it has in the project."""
    values: dict[str, list[str]] = {}
    for _document_id, name, value in q.attribute_rows(session):
        values.setdefault(name, []).append(value)
    return values


def check_filter(session: Session, where: DocumentFilter) -> CheckedFilter:
    """*where* checked against the project's attributes (UsageError naming what is wrong)."""
    return where.check(attribute_values(session))


def matching_documents(session: Session, checked: CheckedFilter) -> set[int]:
    """The ids of the documents that pass *checked*."""
    attributes: dict[int, dict[str, str]] = {i: {} for i in q.document_names(session)}
    for document_id, name, value in q.attribute_rows(session):
        attributes[document_id][name] = value
    if not checked.filter.needs_text:
        return {i for i, found in attributes.items() if checked.matches(found)}
    return {i for i, text in q.texts(session, sorted(attributes))
            if checked.matches(attributes[i], text)}


def set_documents(session: Session, name: str) -> set[int]:
    """The documents of the set called *name* now (a dynamic set is evaluated)."""
    if not name.strip():
        raise UsageError("a document set needs a name")
    row = set_q.set_named(session, name)
    if row is None:
        known = ", ".join(s.name for s in set_q.all_sets(session)) or "none"
        raise UsageError(f"no document set named '{name}' (known: {known})")
    if row.kind == "static":
        return set(set_q.members(session, row.id))
    saved = DocumentFilter.parse(line for line in row.conditions.splitlines() if line)
    return matching_documents(session, check_filter(session, saved))


def documents_in(session: Session, where: Iterable[str] = (),
                 docset: str | None = None) -> set[int] | None:
    """The documents that pass every ``--where`` condition and belong to *docset*; None when
    neither is given (every document, no filter)."""
    parsed = DocumentFilter.parse(where)
    if not parsed and docset is None:
        return None
    kept: set[int] | None = None
    if parsed:
        kept = matching_documents(session, check_filter(session, parsed))
    if docset is not None:
        members = set_documents(session, docset)
        kept = members if kept is None else kept & members
    return kept


def filtered_documents(project: Project, where: Iterable[str] = (),
                       docset: str | None = None) -> set[int] | None:
    """``documents_in`` in a unit of work of its own: the ids of the documents that pass the
    ``--where`` conditions and belong to *docset*, or None for no filter at all."""
    with project.unit(read=True) as session:
        return documents_in(session, list(where), docset)


def codings_in(project: Project, documents: set[int]) -> set[int]:
    """The ids of the codings in *documents* (what an export of a filtered corpus keeps)."""
    with project.unit(read=True) as session:
        return {row[4] for row in q.coding_stream(session) if row[0] in documents}


def attribute_names(project: Project) -> tuple[list[str], list[str]]:
    """The project's attribute names, and those of them whose values are all dates."""
    with project.unit(read=True) as session:
        values = attribute_values(session)
    checked = DocumentFilter().check(values)
    return sorted(values), sorted(checked.dates)


def document_count(project: Project) -> int:
    """How many documents the project has."""
    with project.unit(read=True) as session:
        return len(q.document_names(session))
