"""The records ``reader`` parses a ``project.qde`` into: plain dataclasses, GUIDs in
kzcoder's form (``guid_key``), nothing validated beyond what reading needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kzcoder.exchange.codebook.qdc import export_guid, normalise_guid

_PLAIN_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                         r"[0-9a-fA-F]{12}")


def guid_key(value: str | None) -> str:
    """A GUID as kzcoder stores and compares it: lower-case, no braces; one that is not a
    GUID (digits only, any text) becomes the GUID kzcoder derives from it, the same every
    time. "" for none."""
    if value is None:
        return ""
    if _PLAIN_GUID.fullmatch(value):
        return value.lower()
    value = value.strip()
    return normalise_guid(export_guid(value)) if value else ""


@dataclass
class Note:
    guid: str
    name: str
    content: str | None  # PlainTextContent
    path: str | None  # plainTextPath
    codings: int = 0  # codings inside the note (not imported)
    created: str = ""
    modified: str = ""
    user: str = ""  # the creating user's GUID


@dataclass
class CodingRef:
    guid: str
    code: str
    user: str
    created: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Selection:
    guid: str
    start: int | None
    end: int | None
    user: str
    created: str
    description: str
    notes: list[str]
    codings: list[CodingRef]
    written: str = ""  # the GUID as written (kept for an annotation: see guid_forms)


@dataclass
class TextSource:
    guid: str
    name: str
    plain_path: str | None
    rich_path: str | None
    content: str | None
    created: str
    user: str
    description: str
    modified: str = ""
    notes: list[str] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (variable GUID, value)
    selections: list[Selection] = field(default_factory=list)
    whole: list[CodingRef] = field(default_factory=list)  # codings of the whole source


@dataclass
class Code:
    guid: str
    name: str
    color: str
    description: str
    notes: list[str]
    codable: bool
    children: list[Code]


@dataclass
class Set:
    """A ``Set``: its members by GUID (codes, sources, notes)."""

    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Case:
    guid: str
    name: str
    values: list[tuple[str, str]]
    sources: list[str]
    other_refs: int  # codes and selections it refers to


@dataclass
class ParsedProject:
    name: str = ""
    origin: str = ""
    created: str = ""
    description: str = ""
    notes: list[str] = field(default_factory=list)  # the project's NoteRefs
    users: list[tuple[str, str]] = field(default_factory=list)  # (GUID, name)
    codes: list[Code] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # GUID -> name
    sources: list[TextSource] = field(default_factory=list)
    all_notes: dict[str, Note] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    sets: list[Set] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: GUID as stored -> the form the file wrote it in, when that is not upper case
    guid_forms: dict[str, str] = field(default_factory=dict)
