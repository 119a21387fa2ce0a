"""The records a REFI-QDA project export (``.qdpx``) is written from.

A service reads them from the project and ``exchange.refi`` writes them; nothing here is an ORM
row. GUIDs are as the project stores them (lower-case, no braces); the writer puts them in the
form the schema wants. Times are the project's ISO 8601 strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class RefiProjectInfo:
    """The project itself: its name, memo, creation time and the program that wrote it."""

    name: str
    memo: str = ""
    created: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class RefiUser:
    """A coder as a REFI-QDA ``User``."""

    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class RefiCode:
    """A code with its sub-codes (a tree): definition (``description``), memo, colour and
    keyboard shortcut (which REFI-QDA has no place for; kzcoder keeps it beside the XML)."""

    guid: str
    name: str
    color: str
    description: str = ""
    memo: str = ""
    shortcut: str | None = None
    children: tuple[RefiCode, ...] = ()
    codable: bool = True  # False: a category (REFI-QDA ``isCodable="false"``)


@dataclass(frozen=True, slots=True)
class RefiOriginal:
    """The file a document was imported from: its name, media type, size and SHA-256, and
    whether its bytes are exactly the stored text in UTF-8 (then not shipped twice)."""

    file_name: str
    media_type: str
    size: int
    sha256: str
    same_as_text: bool


@dataclass(frozen=True, slots=True)
class RefiSource:
    """A document without its text or codings (those are streamed)."""

    id: int
    guid: str
    name: str
    created: str = ""
    memo: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    encoding: str = ""
    original: RefiOriginal | None = None


class RefiCoding(NamedTuple):
    """One coding as a selection: ``[start, end)`` in code points of the stored text."""

    guid: str
    start: int
    end: int
    code_guid: str
    user_guid: str
    created: str = ""
    memo: str = ""


@dataclass(frozen=True, slots=True)
class RefiJournalEntry:
    """A free memo of the project (a project-level ``Note`` that nothing refers to): its
    title, text, author's name (and the GUID of the ``User`` that is the author) and times."""

    guid: str
    title: str
    text: str
    author: str = ""
    created: str = ""
    modified: str = ""
    author_guid: str = ""


@dataclass(frozen=True, slots=True)
class RefiSet:
    """A REFI-QDA ``Set``: a named group of codes (a code set), of documents (a document
    set), or notes, by GUID as stored (lower-case)."""

    guid: str
    name: str
    description: str = ""
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class RefiAnnotation(NamedTuple):
    """A note anchored to ``[start, end)`` (code points of the stored text) without a code:
    a ``PlainTextSelection`` with a ``Description`` and no ``Coding``."""

    guid: str
    start: int
    end: int
    text: str
    user_guid: str = ""
    created: str = ""
