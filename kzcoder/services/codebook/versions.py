"""Optimistic codebook edits: the caller passes the code as it last saw it, and the edit is
refused, changing nothing, when the code is not that any more (another coder of a shared
project changed it meanwhile). The code's row is locked for the check (``FOR UPDATE`` on a
server; a file's unit of work is its only writer), so no edit slips in between the check and
the change. No version column: the fields an edit would overwrite, or that name the code the
user chose, are compared, so a memo typed meanwhile is not in the way."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodeInfo
from kzcoder.db.models import Code
from kzcoder.db.queries import codes as q

#: what ``update_code`` overwrites
EDITED = ("name", "color", "description", "shortcut", "codable")
#: what names the code a move, merge or deletion was asked for: its name and place
PLACE = ("name", "parent_id", "codable")


class StaleCode(KzError):
    """An edit refused because a code changed since the caller saw it; ``changes`` is what a
    view reloads to show the code as it is now."""

    def __init__(self, message: str, code_ids: Iterable[int]) -> None:
        super().__init__(message)
        self.changes = Changes(codes=frozenset(code_ids), code_tree=True)


def check_seen(session: Session, row: Code, seen: CodeInfo | None,
               compared: tuple[str, ...]) -> CodeInfo:
    """The code of *row* as it is, locked for the rest of the unit of work; StaleCode (one
    line) when one of the *compared* fields differs from *seen* (None: no check)."""
    if seen is None:
        return q.code_info(row)
    session.refresh(row, with_for_update=True)
    now = q.code_info(row)
    if row.id != seen.id or any(getattr(now, f) != getattr(seen, f) for f in compared):
        moved = "" if now.parent_id == seen.parent_id else ", somewhere else in the tree"
        raise StaleCode(f"code '{seen.name}' was changed by someone else meanwhile (it is now "
                        f"'{now.name}'{moved}); nothing was overwritten: look again and "
                        "redo it if you still want it", [row.id])
    return now
