"""Queries on coders."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kzcoder.db.models import new_guid
from kzcoder.db.queries import raw


def coder_id(session: Session, name: str) -> int | None:
    """The id of the coder called exactly *name*, or None."""
    row = raw(session).execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def ensure_coder(session: Session, name: str) -> int:
    """The id of the coder called *name*, created on first use."""
    found = coder_id(session, name)
    if found is not None:
        return found
    return raw(session).execute("INSERT INTO coders (guid, name) VALUES (?, ?)",
                                (new_guid(), name)).lastrowid


def coder_names(session: Session) -> list[str]:
    """Every coder's name, in no particular order."""
    return [name for (name,) in raw(session).execute("SELECT name FROM coders")]
