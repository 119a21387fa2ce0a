"""Queries on document sets (saved filters and hand-picked lists of documents)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kzcoder.db.models import DocumentSet, DocumentSetMember


def all_sets(session: Session) -> list[DocumentSet]:
    """Every set, by name."""
    return list(session.scalars(select(DocumentSet).order_by(DocumentSet.name)))


def set_named(session: Session, name: str) -> DocumentSet | None:
    """The set called exactly *name*, or None."""
    return session.scalar(select(DocumentSet).where(DocumentSet.name == name))


def add_set(session: Session, *, name: str, kind: str, conditions: str = "",
            members: Iterable[int] = (), guid: str | None = None) -> DocumentSet:
    """Insert a set (and a static set's *members*)."""
    row = DocumentSet(name=name, kind=kind, conditions=conditions, memo="")
    if guid is not None:
        row.guid = guid
    session.add(row)
    session.flush()
    session.add_all(DocumentSetMember(set_id=row.id, document_id=d) for d in sorted(set(members)))
    session.flush()
    return row


def members(session: Session, set_id: int) -> list[int]:
    """The document ids of a static set, in id order."""
    return list(session.scalars(select(DocumentSetMember.document_id)
                                .where(DocumentSetMember.set_id == set_id)
                                .order_by(DocumentSetMember.document_id)))


def remove_set(session: Session, set_id: int) -> None:
    """Delete a set and its members."""
    session.execute(delete(DocumentSetMember).where(DocumentSetMember.set_id == set_id))
    session.execute(delete(DocumentSet).where(DocumentSet.id == set_id))
