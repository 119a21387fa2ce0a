"""Saved document sets: a filter kept under a name (dynamic: evaluated when used) or a
hand-picked list of documents (static). ``add_static_set`` and ``list_sets`` are also what the
REFI-QDA exchange uses for its ``<Sets>``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import UsageError
from kzcoder.core.filters import DocumentFilter, DocumentSetInfo
from kzcoder.db.models import DocumentSet
from kzcoder.db.queries import analysis as analysis_q
from kzcoder.db.queries import document_sets as q
from kzcoder.services.analysis.filters import check_filter, matching_documents
from kzcoder.services.project import Project

_CHANGED = Changes(document_sets=True)


def _free_name(session: Session, name: str) -> str:
    name = name.strip()
    if not name:
        raise UsageError("a document set needs a name")
    if q.set_named(session, name) is not None:
        raise UsageError(f"a document set named '{name}' already exists")
    return name


def add_dynamic_set(project: Project, name: str, where: Iterable[str]) -> Changed[DocumentSetInfo]:
    """Save the ``--where`` conditions *where* as the set *name* (checked first)."""
    parsed = DocumentFilter.parse(where)
    if not parsed:
        raise UsageError("a dynamic set needs at least one --where condition")
    with project.unit() as session:
        name = _free_name(session, name)
        checked = check_filter(session, parsed)
        conditions = tuple(str(c) for c in parsed.conditions)
        row = q.add_set(session, name=name, kind="dynamic", conditions="\n".join(conditions))
        found = tuple(sorted(matching_documents(session, checked)))
        info = DocumentSetInfo(row.name, row.kind, conditions, found, row.guid)
    return Changed(info, _CHANGED)


def add_static_set(project: Project, name: str, document_ids: Iterable[int], *,
                   guid: str | None = None) -> Changed[DocumentSetInfo]:
    """Save the documents *document_ids* as the static set *name* (under *guid*, when an
    import gives one); an id that is not a document is refused."""
    wanted = set(document_ids)
    with project.unit() as session:
        name = _free_name(session, name)
        missing = sorted(wanted - set(analysis_q.document_names(session)))
        if missing:
            raise UsageError(f"no document with id {missing[0]}")
        row = q.add_set(session, name=name, kind="static", members=wanted, guid=guid)
        info = DocumentSetInfo(row.name, row.kind, (), tuple(sorted(wanted)), row.guid)
    return Changed(info, _CHANGED)


def add_static_set_by_names(project: Project, name: str,
                            document_names: Iterable[str]) -> Changed[DocumentSetInfo]:
    """``add_static_set`` with documents given by their exact names."""
    wanted = list(document_names)
    with project.unit() as session:
        _free_name(session, name)  # a taken name is the first thing to say
        by_name = {n: i for i, n in analysis_q.document_names(session).items()}
    ids = []
    for document in wanted:
        if document not in by_name:
            raise UsageError(f"no document named '{document}'")
        ids.append(by_name[document])
    if not ids:
        raise UsageError("a static set needs at least one document")
    return add_static_set(project, name, ids)


def list_sets(project: Project) -> list[DocumentSetInfo]:
    """Every set by name, with its members now (a dynamic set is evaluated)."""
    with project.unit(read=True) as session:
        return [_info(session, row) for row in q.all_sets(session)]


def _info(session: Session, row: DocumentSet) -> DocumentSetInfo:
    if row.kind == "static":
        return DocumentSetInfo(row.name, row.kind, (), tuple(q.members(session, row.id)),
                               row.guid)
    conditions = tuple(line for line in row.conditions.splitlines() if line)
    try:
        checked = check_filter(session, DocumentFilter.parse(conditions))
    except UsageError:  # an attribute it names is gone from every document: it keeps none
        return DocumentSetInfo(row.name, row.kind, conditions, (), row.guid)
    return DocumentSetInfo(row.name, row.kind, conditions,
                           tuple(sorted(matching_documents(session, checked))), row.guid)


def remove_set(project: Project, name: str) -> Changed[DocumentSetInfo]:
    """Remove the set *name*; its documents stay. Returns what it was."""
    with project.unit() as session:
        row = q.set_named(session, name)
        if row is None:
            raise UsageError(f"no document set named '{name}'")
        info = _info(session, row)
        q.remove_set(session, row.id)
    return Changed(info, _CHANGED)


def sets_in(session: Session) -> list[DocumentSetInfo]:
    """Every set with its members now, inside a unit of work the caller holds (exports)."""
    return [_info(session, row) for row in q.all_sets(session)]


def add_imported_set(session: Session, name: str, document_ids: Iterable[int],
                     guid: str) -> str:
    """Keep a static set that an import brings, inside the import's unit of work; a name
    already taken gets " (2)", " (3)"... Returns the name it was kept under."""
    base = name.strip() or "Set"
    kept, number = base, 1
    while q.set_named(session, kept) is not None:
        number += 1
        kept = f"{base} ({number})"
    q.add_set(session, name=kept, kind="static", members=document_ids, guid=guid)
    return kept
