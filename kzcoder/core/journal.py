"""The record of a journal entry: a free memo of the project (named, dated, by someone)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One entry; ``created``/``modified`` are ISO 8601 UTC ("" modified: never changed)."""

    id: int
    guid: str
    title: str
    text: str
    author: str
    created: str
    modified: str = ""

    def as_json(self) -> dict[str, str]:
        """The entry as ``kzcoder journal list --json`` writes it."""
        return {"title": self.title, "text": self.text, "created": self.created,
                "author": self.author}
