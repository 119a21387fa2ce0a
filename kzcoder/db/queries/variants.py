"""Name variants: groups of spellings that search takes as one term."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kzcoder.db.models import NameVariant


def variant_groups(session: Session) -> dict[int, list[str]]:
    """Group id -> its spellings, in the order they were added."""
    groups: dict[int, list[str]] = {}
    rows = session.execute(select(NameVariant.group_id, NameVariant.spelling)
                           .order_by(NameVariant.group_id, NameVariant.id))
    for group_id, spelling in rows:
        groups.setdefault(group_id, []).append(spelling)
    return groups


def new_group_id(session: Session) -> int:
    """A group id no group has."""
    return (session.scalar(select(func.max(NameVariant.group_id))) or 0) + 1


def add_spellings(session: Session, group_id: int, spellings: list[str]) -> None:
    """Put *spellings* in group *group_id*."""
    session.add_all(NameVariant(group_id=group_id, spelling=s) for s in spellings)
    session.flush()


def move_group(session: Session, old: int, new: int) -> None:
    """Every spelling of group *old* into group *new*."""
    for row in session.scalars(select(NameVariant).where(NameVariant.group_id == old)):
        row.group_id = new
    session.flush()


def remove_spelling(session: Session, spelling_id: int) -> None:
    """Delete one spelling."""
    session.execute(delete(NameVariant).where(NameVariant.id == spelling_id))


def spelling_rows(session: Session) -> list[tuple[int, int, str]]:
    """Every spelling as (id, group id, spelling)."""
    return [tuple(row) for row in session.execute(
        select(NameVariant.id, NameVariant.group_id, NameVariant.spelling))]
