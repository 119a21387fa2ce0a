"""Queries on the codebook's codes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kzcoder.core.records import CodeInfo
from kzcoder.db.models import Code
from kzcoder.db.queries import raw


def code_info(code: Code) -> CodeInfo:
    """The frozen record of a code row."""
    return CodeInfo(id=code.id, guid=code.guid, name=code.name, color=code.color,
                    parent_id=code.parent_id, description=code.description,
                    shortcut=code.shortcut, position=code.position, memo=code.memo,
                    codable=code.codable)


def all_codes(session: Session) -> list[CodeInfo]:
    """Every code, parents before children, siblings in their order."""
    rows = list(session.scalars(select(Code).order_by(Code.position, Code.id)))
    by_parent: dict[int | None, list[Code]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    ordered: list[CodeInfo] = []

    def visit(parent: int | None) -> None:
        for row in by_parent.get(parent, []):
            ordered.append(code_info(row))
            visit(row.id)

    visit(None)
    return ordered


def code_by_id(session: Session, code_id: int) -> Code | None:
    """The code row numbered *code_id*, or None."""
    return session.get(Code, code_id)


def codes_named(session: Session, name: str) -> list[Code]:
    """The code rows named exactly *name* (siblings' names are unique; cousins may share)."""
    return list(session.scalars(select(Code).where(Code.name == name)))


def sibling_named(session: Session, parent_id: int | None, name: str,
                  other_than: int | None = None) -> int | None:
    """The id of the code named *name* under *parent_id* (other than *other_than*), or None."""
    query = select(Code.id).where(Code.parent_id.is_not_distinct_from(parent_id), Code.name == name)
    if other_than is not None:
        query = query.where(Code.id != other_than)
    return session.scalar(query)


def shortcut_owner(session: Session, shortcut: str, other_than: int | None = None) -> str | None:
    """The name of the code that has key *shortcut* (other than *other_than*), or None."""
    query = select(Code.name).where(Code.shortcut == shortcut)
    if other_than is not None:
        query = query.where(Code.id != other_than)
    return session.scalar(query)


def next_position(session: Session, parent_id: int | None) -> int:
    """The position after the last child of *parent_id*."""
    return session.scalar(select(func.coalesce(func.max(Code.position) + 1, 0))
                          .where(Code.parent_id.is_not_distinct_from(parent_id)))


def code_names(session: Session) -> dict[int, str]:
    """Code id -> name, through the DB-API cursor (retrieval asks for it every time)."""
    return dict(raw(session).execute("SELECT id, name FROM codes").fetchall())


def code_exists(session: Session, code_id: int) -> bool:
    """Whether code *code_id* exists (the coding loop's check, through the DB-API cursor)."""
    return raw(session).execute("SELECT 1 FROM codes WHERE id = ?",
                                (code_id,)).fetchone() is not None


def code_name_if_category(session: Session, code_id: int) -> str | None:
    """The name of code *code_id* if it is a category (not codable), else None."""
    row = raw(session).execute("SELECT name FROM codes WHERE id = ? AND NOT codable",
                               (code_id,)).fetchone()
    return row[0] if row else None


def category_ids(session: Session) -> set[int]:
    """The ids of the codes that are categories (not codable)."""
    return {row[0] for row in raw(session).execute("SELECT id FROM codes WHERE NOT codable")}


def has_children(session: Session, parent_id: int) -> bool:
    """Whether *parent_id* has any sub-code."""
    return raw(session).execute("SELECT 1 FROM codes WHERE parent_id = ? LIMIT 1",
                                (parent_id,)).fetchone() is not None
