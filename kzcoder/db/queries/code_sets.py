"""Queries on code sets and their members (a deleted code's memberships are also kept here,
so that its undo puts them back)."""

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
    raw(session).executemany(  # portable SQL: no INSERT OR IGNORE on a server
        "INSERT INTO code_set_members (set_id, code_id) "
        "SELECT ?, ? WHERE EXISTS (SELECT 1 FROM code_sets WHERE id = ?) AND NOT EXISTS "
        "(SELECT 1 FROM code_set_members WHERE set_id = ? AND code_id = ?)",
        [(s, c, s, s, c) for s, c in dict.fromkeys(rows)])


def leave(session: Session, code_id: int, set_ids: Iterable[int]) -> None:
    """Take the code *code_id* out of the sets *set_ids*."""
    raw(session).executemany("DELETE FROM code_set_members WHERE set_id = ? AND code_id = ?",
                             [(set_id, code_id) for set_id in set_ids])


def all_sets(session: Session) -> list[tuple[int, str, str, str, list[int]]]:
    """(id, guid, name, description, member code ids in codebook order) of every set, by
    name."""
    db = raw(session)
    return [(set_id, guid, name, description or "", [row[0] for row in db.execute(
        "SELECT code_id FROM code_set_members JOIN codes ON codes.id = code_id "
        "WHERE set_id = ? ORDER BY codes.position, codes.id", (set_id,))])
        for set_id, guid, name, description in db.execute(
            "SELECT id, guid, name, description FROM code_sets ORDER BY name").fetchall()]


def set_named(session: Session, name: str) -> int | None:
    """The id of the set called *name*, or None."""
    row = raw(session).execute("SELECT id FROM code_sets WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def insert_set(session: Session, *, guid: str, name: str, description: str,
               code_ids: Iterable[int], set_id: int | None = None) -> int:
    """A new set (under *set_id* when given: an undo puts a set back as it was); its id."""
    db = raw(session)
    set_id = db.execute("INSERT INTO code_sets (id, guid, name, description) "
                        "VALUES (?, ?, ?, ?)", (set_id, guid, name, description)).lastrowid
    set_members(session, set_id, code_ids)
    return set_id


def set_members(session: Session, set_id: int, code_ids: Iterable[int]) -> None:
    """Make *code_ids* the members of the set *set_id*."""
    db = raw(session)
    db.execute("DELETE FROM code_set_members WHERE set_id = ?", (set_id,))
    db.executemany("INSERT INTO code_set_members (set_id, code_id) VALUES (?, ?)",
                   [(set_id, code_id) for code_id in dict.fromkeys(code_ids)])


def delete_set(session: Session, set_id: int) -> None:
    """Remove the set *set_id* and its memberships."""
    db = raw(session)
    db.execute("DELETE FROM code_set_members WHERE set_id = ?", (set_id,))
    db.execute("DELETE FROM code_sets WHERE id = ?", (set_id,))
