"""The journal: free memos of the project, each with a title (unique), a text, an author and
its times (a QualCoder journal, an ATLAS.ti free memo, REFI-QDA's project-level ``Note`` that
nothing refers to). Texts are stored as ``services.memos.clean_memo`` makes them. Each change
is one unit of work."""

from __future__ import annotations

import uuid

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.journal import JournalEntry
from kzcoder.db.models import utc_now
from kzcoder.db.queries import journal as q
from kzcoder.services.memos import clean_memo
from kzcoder.services.project import Project


def list_entries(project: Project) -> list[JournalEntry]:
    """Every entry, oldest first."""
    with project.unit() as session:
        return q.entries(session)


def get_entry(project: Project, title: str) -> JournalEntry:
    """The entry called *title*; KzError if there is none."""
    with project.unit() as session:
        return _find(session, title)


def add_entry(project: Project, title: str, text: str, *, author: str = "",
              created: str | None = None) -> Changed[JournalEntry]:
    """A new entry now (or at *created*); KzError, adding nothing, on an empty title or one
    another entry has, or a text that cannot be stored."""
    title = _clean_title(title)
    text = clean_memo(text)
    with project.unit() as session:
        if q.entry_titled(session, title) is not None:
            raise KzError(f"a journal entry titled '{title}' already exists; choose another "
                          "title or remove it first")
        q.insert_entry(session, guid=str(uuid.uuid4()), title=title, text=text,
                       author=author.strip(), created=created or utc_now())
        entry = q.entry_titled(session, title)
    assert entry is not None
    return Changed(entry, Changes(memos=True))


def set_text(project: Project, title: str, text: str, *, modified: str | None = None
             ) -> Changed[tuple[JournalEntry, JournalEntry]]:
    """Give the entry *title* a new text (its modification time becomes now, or *modified*:
    an undo gives back the time it had); returns (before, after)."""
    text = clean_memo(text)
    with project.unit() as session:
        before = _find(session, title)
        q.update_text(session, before.id, text, utc_now() if modified is None else modified)
        after = _find(session, title)
    return Changed((before, after), Changes(memos=True))


def remove_entry(project: Project, title: str) -> Changed[JournalEntry]:
    """Remove the entry *title*; returns it as it was. KzError if there is none."""
    with project.unit() as session:
        entry = _find(session, title)
        q.delete_entry(session, entry.id)
    return Changed(entry, Changes(memos=True))


def restore_entry(project: Project, entry: JournalEntry) -> Changes:
    """Put a removed entry back as it was: its id, GUID, title, text, author and times (an
    undo)."""
    with project.unit() as session:
        q.insert_entry(session, guid=entry.guid, title=entry.title, text=entry.text,
                       author=entry.author, created=entry.created, modified=entry.modified,
                       entry_id=entry.id)
    return Changes(memos=True)


def _find(session, title: str) -> JournalEntry:  # noqa: ANN001 - Session
    entry = q.entry_titled(session, title.strip())
    if entry is None:
        raise KzError(f"no journal entry titled '{title.strip()}'")
    return entry


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise KzError("a journal entry needs a title")
    if any(ch in title for ch in "\r\n"):
        raise KzError("a journal entry's title is one line")
    return title
