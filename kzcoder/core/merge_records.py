"""The records of another project read for a merge (``services.merge``): plain, frozen, by
GUID. Ids are those of the other project's file and never written into this one; every
reference between records (a code's parent, a coding's document, code and coder) is a GUID."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class OtherCoder:
    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class OtherCode:
    """A code; ``parent`` is its parent's GUID ("" at the root). Listed parents first,
    siblings in their order."""

    guid: str
    parent: str
    name: str
    color: str
    description: str = ""
    memo: str = ""
    shortcut: str | None = None
    codable: bool = True  # False: a category


@dataclass(frozen=True, slots=True)
class OtherDocument:
    """A document with its stored text, attributes and whether an original file is kept."""

    guid: str
    name: str
    text: str
    sha256: str
    encoding: str = "utf-8"
    memo: str = ""
    created: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    has_original: bool = field(default=False)


class OtherCoding(NamedTuple):
    guid: str
    document: str  # GUID
    code: str  # GUID
    coder: str  # GUID
    start: int
    end: int
    memo: str = ""
    created: str = ""


class OtherJournalEntry(NamedTuple):
    """A free memo of the project; matched by (title, created)."""

    guid: str
    title: str
    text: str
    author: str
    created: str
    modified: str = ""


class OtherAnnotation(NamedTuple):
    """A note anchored to ``[start, end)`` of a document (its GUID), without a code."""

    guid: str
    document: str  # GUID
    start: int
    end: int
    text: str
    author: str = ""
    created: str = ""


class OtherCodeSet(NamedTuple):
    """A named group of codes; ``codes`` are the members' GUIDs."""

    guid: str
    name: str
    description: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OtherProject:
    """Everything of another project a merge reads, apart from original files' bytes."""

    source: str  # the file's name, for the report
    memo: str
    coders: tuple[OtherCoder, ...]
    codes: tuple[OtherCode, ...]
    documents: tuple[OtherDocument, ...]
    codings: tuple[OtherCoding, ...]
    notes: tuple[str, ...] = ()  # what reading it said (a .qdpx import's report)
    journal: tuple[OtherJournalEntry, ...] = ()
    annotations: tuple[OtherAnnotation, ...] = ()
    code_sets: tuple[OtherCodeSet, ...] = ()
