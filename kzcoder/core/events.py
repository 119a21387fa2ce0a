"""One change to a shared project as the change feed tells it (``kzcoder watch``, live updates).

The server records a table name and an SQL operation; here they become what a user reads: a
``coding`` was ``added``, a ``code`` ``changed``.
"""

from __future__ import annotations

from dataclasses import dataclass

WHAT = {"project": "project", "documents": "document", "document_attributes": "attribute",
        "codes": "code", "coders": "coder", "codings": "coding"}
ACTION = {"insert": "added", "update": "changed", "delete": "removed"}


@dataclass(frozen=True, slots=True)
class EventInfo:
    """Event *event* (ids grow in commit order): *by* did *action* to the *what* numbered
    *id* (None for an attribute, which has no id of its own), in *document* if any."""

    event: int
    at: str
    by: str
    what: str
    action: str
    id: int | None
    document: int | None

    @classmethod
    def from_row(cls, event: int, at: str, by: str, table: str, operation: str,
                 row_id: int | None, document: int | None) -> EventInfo:
        """An event from the ``events`` table's row."""
        return cls(event, at, by, WHAT.get(table, table), ACTION.get(operation, operation),
                   row_id, document)

    def as_json(self) -> dict[str, object]:
        """The JSON object ``kzcoder watch --json`` prints for it (one per line)."""
        return {"event": self.event, "at": self.at, "by": self.by, "what": self.what,
                "action": self.action, "id": self.id, "document": self.document}
