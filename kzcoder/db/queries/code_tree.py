"""Queries that reshape the code tree: places (parent and position) and the codings moved by a
merge. Through the DB-API cursor: a merge moves tens of thousands of codings."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.records import CodingInfo
from kzcoder.db.queries import chunks, raw
from kzcoder.db.queries.codings import codings_by_id


def places(session: Session, parent_ids: Iterable[int | None]) -> dict[int, tuple[int | None, int]]:
    """Code id -> (parent id, position) of every child of these parents (None: the root)."""
    found: dict[int, tuple[int | None, int]] = {}
    for parent_id in set(parent_ids):
        rows = raw(session).execute(
            "SELECT id, parent_id, position FROM codes WHERE parent_id IS ?", (parent_id,))
        found.update((code_id, (parent, position)) for code_id, parent, position in rows)
    return found


def siblings_in_order(session: Session, parent_id: int | None) -> list[int]:
    """The children of *parent_id* in their order."""
    return [row[0] for row in raw(session).execute(
        "SELECT id FROM codes WHERE parent_id IS ? ORDER BY position, id", (parent_id,))]


def set_places(session: Session, new_places: dict[int, tuple[int | None, int]]) -> None:
    """Give codes these parents and positions."""
    raw(session).executemany("UPDATE codes SET parent_id = ?, position = ? WHERE id = ?",
                             [(parent, position, code_id)
                              for code_id, (parent, position) in new_places.items()])


def codings_of_code(session: Session, code_id: int) -> list[CodingInfo]:
    """Every coding of one code, whole."""
    ids = [row[0] for row in raw(session).execute(
        "SELECT id FROM codings WHERE code_id = ?", (code_id,))]
    return list(codings_by_id(session, ids).values())


def twins_of(session: Session, source: int, target: int) -> list[CodingInfo]:
    """The codings of *target* with the document, span and coder of a coding of *source*
    (what merging *source* into *target* collapses), found by the database: a big target's
    other codings are not read."""
    ids = [row[0] for row in raw(session).execute(
        'SELECT DISTINCT t.id FROM codings s JOIN codings t ON t.code_id = ? '
        'AND t.document_id = s.document_id AND t.start = s.start AND t."end" = s."end" '
        "AND t.coder_id = s.coder_id WHERE s.code_id = ?", (target, source))]
    return list(codings_by_id(session, ids).values())


def recode_all(session: Session, source: int, target: int) -> None:
    """Give every coding of *source* the code *target*."""
    raw(session).execute("UPDATE codings SET code_id = ? WHERE code_id = ?", (target, source))


def set_codings(session: Session, infos: Iterable[CodingInfo]) -> None:
    """Give existing codings these codes and memos."""
    raw(session).executemany("UPDATE codings SET code_id = ?, memo = ? WHERE id = ?",
                             [(c.code_id, c.memo, c.id) for c in infos])


def existing_ids(session: Session, coding_ids: list[int]) -> set[int]:
    """Which of these codings exist."""
    found: set[int] = set()
    for chunk in chunks(coding_ids):
        found.update(row[0] for row in raw(session).execute(
            f"SELECT id FROM codings WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def set_description(session: Session, code_id: int, description: str) -> None:
    raw(session).execute("UPDATE codes SET description = ? WHERE id = ?", (description, code_id))


def set_memo(session: Session, code_id: int, memo: str) -> None:
    raw(session).execute("UPDATE codes SET memo = ? WHERE id = ?", (memo, code_id))


def subtree_ids(session: Session, code_id: int) -> list[int]:
    """*code_id* first, then the ids of every code below it, at any depth."""
    return [row[0] for row in raw(session).execute(
        "WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT codes.id FROM codes "
        "JOIN below ON codes.parent_id = below.id) SELECT id FROM below", (code_id,))]
