"""The record of an annotation: a note anchored to a span of a document, with no code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnnotationInfo:
    """``[start, end)`` in code points of the document's stored text; ``created`` ISO 8601."""

    id: int
    guid: str
    document_id: int
    start: int
    end: int
    text: str
    author: str = ""
    created: str = ""

    def as_json(self, document: str) -> dict[str, object]:
        """The annotation as ``kzcoder annotation list --json`` writes it (*document*: its
        document's name)."""
        return {"id": self.id, "document": document, "document_id": self.document_id,
                "start": self.start, "end": self.end, "text": self.text,
                "author": self.author, "created": self.created}
