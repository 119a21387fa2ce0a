"""Frozen records that services hand out: no live ORM object ever leaves a service call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: int
    guid: str
    name: str
    length: int
    attributes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    memo: str = ""

    @property
    def title(self) -> str:
        return self.attributes.get("title", "")

    @property
    def outlet(self) -> str:
        return self.attributes.get("outlet", "")

    @property
    def published(self) -> str:
        return self.attributes.get("published", "")


@dataclass(frozen=True, slots=True)
class CodeInfo:
    id: int
    guid: str
    name: str
    color: str
    parent_id: int | None = None
    description: str = ""
    shortcut: str | None = None
    position: int = 0


class CodingInfo(NamedTuple):
    """One coding. A NamedTuple, not a dataclass: a document hands out thousands at once and
    tuples are several times cheaper to make."""

    id: int
    guid: str
    document_id: int
    code_id: int
    coder: str
    start: int
    end: int
    memo: str = ""
    created: str = ""


class CodedSpan(NamedTuple):
    """What a document view needs of a coding: no GUID or timestamp, which the covering index
    does not hold (reading them would mean visiting every table row)."""

    id: int
    document_id: int
    code_id: int
    coder: str
    start: int
    end: int
    memo: str = ""


class Segment(NamedTuple):
    """A coding with the names and the text it covers, for retrieval (a NamedTuple for the same
    reason as CodingInfo; no GUID or timestamp, which retrieval never shows)."""

    id: int
    document_id: int
    document: str
    code_id: int
    code: str
    coder: str
    start: int
    end: int
    text: str
    memo: str = ""

    def span(self) -> CodedSpan:
        """What a document view shows of this segment."""
        return CodedSpan(self.id, self.document_id, self.code_id, self.coder, self.start,
                         self.end, self.memo)

    def as_json(self) -> dict[str, object]:
        """The segment in the command line's JSON form."""
        return {"id": self.id, "document": self.document, "code": self.code,
                "coder": self.coder, "start": self.start, "end": self.end,
                "text": self.text, "memo": self.memo}


@dataclass(frozen=True, slots=True)
class Changes:
    """Which rows a service call changed, so views refresh only those."""

    documents: frozenset[int] = frozenset()
    codes: frozenset[int] = frozenset()
    codings: frozenset[int] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.documents | other.documents, self.codes | other.codes,
                       self.codings | other.codings)

    def __bool__(self) -> bool:
        return bool(self.documents or self.codes or self.codings)


@dataclass(frozen=True, slots=True)
class Changed(Generic[T]):
    """What a changing service call returns: its result and what it changed."""

    value: T
    changes: Changes


@dataclass(frozen=True, slots=True)
class Refusal:
    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    imported: tuple[DocumentInfo, ...] = ()
    duplicates: tuple[Refusal, ...] = ()
    refused: tuple[Refusal, ...] = ()

    def summary_lines(self) -> list[str]:
        """One line per file that did not go in, then a count."""
        lines = [f"refused {r.reason}" for r in self.refused]
        lines += [f"skipped {r.reason}" for r in self.duplicates]
        lines.append(f"imported {len(self.imported)} document(s), skipped "
                     f"{len(self.duplicates)} already in the project, refused {len(self.refused)}")
        return lines
