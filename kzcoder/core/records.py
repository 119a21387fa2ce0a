"""Frozen records of what a project holds: documents, codes, coders, codings, segments.

Services hand these out, exchange formats read and write them, and the GUI shows them; no live
ORM object or Qt type is ever one of them. A coding is described once (``CodingRecord``);
``CodedSpan`` and ``Segment`` are documented views of it for the two hot paths:

- ``CodedSpan``: what a document view needs, served by a covering index (no GUID, no creation
  time — reading those would visit every table row of a 10,000-coding document);
- ``Segment``: a coding with the names and the text it covers, for retrieval.

Codings are NamedTuples rather than dataclasses: a document hands out thousands at once and
tuples are several times cheaper to make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document without its text (which can be megabytes and is fetched on its own)."""

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
class OriginalInfo:
    """What is known of the file a document was imported from (its bytes are fetched on
    their own): its name, IANA media type, size in bytes and SHA-256."""

    document_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """A code of the codebook; ``parent_id`` None for a top-level code."""

    id: int
    guid: str
    name: str
    color: str
    parent_id: int | None = None
    description: str = ""
    shortcut: str | None = None
    position: int = 0
    memo: str = ""  # an analytic memo, apart from the definition (``description``)
    codable: bool = True  # False: a category that groups codes; nothing is coded with it


@dataclass(frozen=True, slots=True)
class CoderInfo:
    """Someone who codes; every coding names one."""

    id: int
    guid: str
    name: str


class CodedSpan(NamedTuple):
    """The view of a coding that a document view shows (see the module docstring)."""

    id: int
    document_id: int
    code_id: int
    coder: str
    start: int
    end: int
    memo: str = ""


class CodingInfo(NamedTuple):
    """One coding, whole: a code applied to ``[start, end)`` code points of a document."""

    id: int
    guid: str
    document_id: int
    code_id: int
    coder: str
    start: int
    end: int
    memo: str = ""
    created: str = ""

    def span(self) -> CodedSpan:
        """What a document view shows of this coding."""
        return CodedSpan(self.id, self.document_id, self.code_id, self.coder, self.start,
                         self.end, self.memo)


class Segment(NamedTuple):
    """The retrieval view of a coding: its span plus the document's and code's names and the
    text it covers (no GUID or creation time, which retrieval never shows)."""

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


#: what a memo can belong to (REFI-QDA has a note on each)
MEMO_KINDS = ("project", "document", "code", "coding")


class MemoTarget(NamedTuple):
    """What a memo belongs to: ``kind`` is one of ``MEMO_KINDS``; ``id`` is None for the
    project."""

    kind: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Memo:
    """A memo and what it belongs to; ``label`` names that for a heading ("code 'Force'");
    ``modified``: when it was last changed here (ISO 8601 UTC; "" never)."""

    target: MemoTarget
    label: str
    text: str
    modified: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A file that did not go in, and why (one line naming it)."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: the documents it added, the files it skipped or refused, and the
    warnings about files that went in (e.g. an encoding that was a guess)."""

    imported: tuple[DocumentInfo, ...] = ()
    duplicates: tuple[Refusal, ...] = ()
    refused: tuple[Refusal, ...] = ()
    warnings: tuple[Refusal, ...] = ()  # a file that went in, and what to check in it

    def summary_lines(self) -> list[str]:
        """One line per file that did not go in, one per warning, then a count (which says how
        many imported documents have warnings, when any do)."""
        lines = [f"refused {r.reason}" for r in self.refused]
        lines += [f"skipped {r.reason}" for r in self.duplicates]
        lines += [f"warning {w.reason}" for w in self.warnings]
        warned = len({w.path for w in self.warnings})
        lines.append(f"imported {len(self.imported)} document(s)"
                     f"{f' ({warned} with warnings)' if warned else ''}, skipped "
                     f"{len(self.duplicates)} already in the project, refused {len(self.refused)}")
        return lines
