"""Queries on code sets' members that other features need (a deleted code's memberships,
kept so that its undo puts them back)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.db.queries import chunks, raw


def memberships(session: Session, code_ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """``(set_id, code_id)`` of every code set membership of *code_ids*."""
    db, found = raw(session), []
    for part in chunks(list(code_ids)):
        marks = ", ".join("?" * len(part))
        found += db.execute(f"SELECT set_id, code_id FROM code_set_members WHERE code_id IN "
                            f"({marks}) ORDER BY set_id, code_id", part).fetchall()
    return tuple((s, c) for s, c in found)


def restore_memberships(session: Session, rows: Iterable[tuple[int, int]]) -> None:
    """Put memberships ``(set_id, code_id)`` back (a set removed meanwhile is skipped)."""
    raw(session).executemany(
        "INSERT OR IGNORE INTO code_set_members (set_id, code_id) "
        "SELECT ?, ? WHERE EXISTS (SELECT 1 FROM code_sets WHERE id = ?)",
        [(s, c, s) for s, c in rows])
