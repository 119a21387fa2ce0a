"""Queries on the journal (free memos of the project)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kzcoder.core.journal import JournalEntry
from kzcoder.db.queries import raw

_COLUMNS = "id, guid, title, text, author, created, modified"


def entries(session: Session) -> list[JournalEntry]:
    """Every entry, oldest first (then by id)."""
    return [JournalEntry(*row) for row in raw(session).execute(
        f"SELECT {_COLUMNS} FROM journal ORDER BY created, id")]


def entry_titled(session: Session, title: str) -> JournalEntry | None:
    """The entry called *title*, or None."""
    row = raw(session).execute(f"SELECT {_COLUMNS} FROM journal WHERE title = ?",
                               (title,)).fetchone()
    return JournalEntry(*row) if row else None


def insert_entry(session: Session, *, guid: str, title: str, text: str, author: str,
                 created: str, modified: str = "", entry_id: int | None = None) -> int:
    """A new entry (under *entry_id* when given: an undo puts an entry back as it was); its
    id."""
    return raw(session).execute(
        "INSERT INTO journal (id, guid, title, text, author, created, modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (entry_id, guid, title, text, author, created, modified)).lastrowid


def delete_entry(session: Session, entry_id: int) -> None:
    """Remove the entry *entry_id*."""
    raw(session).execute("DELETE FROM journal WHERE id = ?", (entry_id,))


def update_text(session: Session, entry_id: int, text: str, modified: str) -> None:
    """Give the entry *entry_id* a new text, changed at *modified*."""
    raw(session).execute("UPDATE journal SET text = ?, modified = ? WHERE id = ?",
                         (text, modified, entry_id))
