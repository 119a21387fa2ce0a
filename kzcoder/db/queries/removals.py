"""Queries that take rows out and put them back exactly (ids, GUIDs, positions): the undo of a
removal must give every row its identity back, or commands lower on the undo stack would
point at rows that no longer exist."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.records import CodeInfo
from kzcoder.db.queries import chunks, raw


def codings_of_codes(session: Session, code_ids: Iterable[int]) -> list[int]:
    """The ids of every coding of these codes (served by the code index)."""
    found: list[int] = []
    for chunk in chunks(list(code_ids)):
        found += [row[0] for row in raw(session).execute(
            f"SELECT id FROM codings WHERE code_id IN ({','.join('?' * len(chunk))})", chunk)]
    return found


def delete_codings(session: Session, coding_ids: Iterable[int]) -> None:
    """Delete these codings."""
    for chunk in chunks(list(coding_ids)):
        raw(session).execute(
            f"DELETE FROM codings WHERE id IN ({','.join('?' * len(chunk))})", chunk)


def delete_codes(session: Session, code_ids: list[int]) -> None:
    """Delete these codes (their codings must be gone already)."""
    for chunk in chunks(code_ids):
        raw(session).execute(
            f"DELETE FROM codes WHERE id IN ({','.join('?' * len(chunk))})", chunk)


def insert_code(session: Session, code: CodeInfo) -> None:
    """Put a code back exactly as it was: id, GUID, parent, name, colour, definition, memo,
    key and position."""
    raw(session).execute(
        "INSERT INTO codes (id, guid, parent_id, name, color, description, memo, shortcut, "
        "position, codable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code.id, code.guid, code.parent_id, code.name, code.color, code.description,
         code.memo, code.shortcut, code.position, code.codable))
