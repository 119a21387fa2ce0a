"""Queries for memos: the project's row, and the names a memo's heading shows.

The memos themselves are columns of their rows (``project.memo``, ``documents.memo``,
``codes.memo``, ``codings.memo``); documents and codes are found by ``services`` references,
codings through ``queries.codings``. When each was last changed is in ``memo_times``, by the
owner's GUID.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kzcoder.db.models import ProjectRow
from kzcoder.db.queries import raw


def project_row(session: Session) -> ProjectRow:
    """The project's single row (every project file has it)."""
    return session.scalars(select(ProjectRow).order_by(ProjectRow.id).limit(1)).one()


def document_title(session: Session, document_id: int) -> str:
    """The document's ``title`` attribute ("" when it has none)."""
    row = raw(session).execute("SELECT value FROM document_attributes WHERE document_id = ? "
                               "AND name = 'title'", (document_id,)).fetchone()
    return row[0] if row else ""


def coding_names(session: Session, coding_id: int) -> tuple[str, str, str] | None:
    """``(code name, document name, document title)`` of a coding, or None if it is gone."""
    row = raw(session).execute(
        "SELECT k.name, d.name, coalesce(t.value, '') FROM codings c "
        "JOIN codes k ON k.id = c.code_id JOIN documents d ON d.id = c.document_id "
        "LEFT JOIN document_attributes t ON t.document_id = d.id AND t.name = 'title' "
        "WHERE c.id = ?", (coding_id,)).fetchone()
    return (row[0], row[1], row[2]) if row else None


#: SQLite (3.24 and later) and PostgreSQL both write it so
_UPSERT = ("INSERT INTO memo_times (guid, modified) VALUES (?, ?) "
           "ON CONFLICT (guid) DO UPDATE SET modified = excluded.modified")


def touch_memos(session: Session, guids: Iterable[str], when: str) -> None:
    """Record that the memos of the rows *guids* changed at *when* (``memo_times``)."""
    raw(session).executemany(_UPSERT, [(guid, when) for guid in guids])


def memo_times(session: Session) -> dict[str, str]:
    """Owner GUID -> when its memo was last changed, for every memo changed here."""
    return dict(raw(session).execute("SELECT guid, modified FROM memo_times"))


def insert_memo_times(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """Keep ``(owner GUID, modified)`` pairs read from another file (an import)."""
    raw(session).executemany(_UPSERT, list(pairs))


def memo_time(session: Session, guid: str) -> str:
    """When the memo of the row *guid* was last changed ("" never)."""
    row = raw(session).execute("SELECT modified FROM memo_times WHERE guid = ?",
                               (guid,)).fetchone()
    return row[0] if row else ""


def set_memo_time(session: Session, guid: str, when: str) -> None:
    """Make *when* the time the memo of *guid* last changed ("": never, an undo)."""
    if when:
        touch_memos(session, [guid], when)
    else:
        raw(session).execute("DELETE FROM memo_times WHERE guid = ?", (guid,))
