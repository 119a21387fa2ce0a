"""A hit as every view shows it: where it is, its text and its context."""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_CONTEXT = 40


class Hit(NamedTuple):
    """An occurrence of a query: ``text`` is exactly ``document text[start:end]`` (code
    points), ``left``/``right`` up to *context* characters either side."""

    document_id: int
    document: str
    start: int
    end: int
    text: str
    left: str
    right: str

    def as_json(self) -> dict[str, object]:
        """The hit in the command line's JSON form."""
        return {"document": self.document, "document_id": self.document_id,
                "start": self.start, "end": self.end, "text": self.text,
                "left": self.left, "right": self.right}


def make_hit(document_id: int, name: str, text: str, start: int, end: int,
             context: int = DEFAULT_CONTEXT) -> Hit:
    """The hit ``[start, end)`` of *text* with *context* characters either side."""
    return Hit(document_id, name, start, end, text[start:end],
               text[max(0, start - context):start], text[end:end + context])
