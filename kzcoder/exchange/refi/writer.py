"""``project.qde`` written as a stream, valid against Project-mrt2019.xsd.

The XML is written as text, element by element, in pieces of a megabyte: a project of 100,000
codings is never one tree in memory, and making the text directly is the fast way (100,000
selections: 0.12 s, where lxml's incremental ``etree.xmlfile`` took 1.1 s). Every
value goes through ``_attr`` or ``_text``, which escape what XML needs escaped and write a
carriage return, newline or tab in an attribute as a character reference, so that a parser
gives back exactly what was written.

Where things go (docs/refi-qda.md has the whole table):

- a coder is a ``User``; a code a ``Code`` (its definition the ``Description``, its memo a
  ``Note``), nested as in the codebook;
- a document a ``TextSource`` whose text is ``sources/<GUID>.txt`` and whose original file, when
  it is a rich format, is the ``richTextPath``; its memo a ``Note``; its attributes
  ``VariableValue``\\ s of the ``Variable`` of that name;
- a coding a ``PlainTextSelection`` (its GUID derived from the coding's) holding one
  ``Coding`` with the coding's own GUID, coder and time; its memo a ``Note``;
- the project memo the project's ``Description``.

A memo is a ``Note`` in ``Notes`` (its GUID derived from its owner's, so the same every time),
referred to by a ``NoteRef`` of its owner. A memo holding a character XML 1.0 cannot carry (a
control character) is written as a text file ``sources/<GUID>.txt`` that the note points to.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from kzcoder.core.refi_records import RefiCode, RefiCoding, RefiProjectInfo, RefiSource, RefiUser
from kzcoder.exchange.codebook.qdc import export_guid, normalise_color, normalise_guid

PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMA_LOCATION = (f"{PROJECT_NS} "
                   "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd")
#: the namespace of the GUIDs kzcoder derives (selections, notes, variables)
DERIVED_NAMESPACE = uuid.UUID("0f3c51e2-7a4b-4f0e-9d41-2b8e6c5a9d17")
_DERIVED_BYTES = DERIVED_NAMESPACE.bytes
_FLUSH = 1 << 20
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                       "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def derived_guid(kind: str, owner: str) -> str:
    """The GUID of something kzcoder makes for *owner* (a selection for a coding, a note for
    a memo, a variable for an attribute name): the same every time. It is
    ``uuid5(DERIVED_NAMESPACE, "KIND:OWNER")``, computed here without ``uuid`` objects (an
    export makes one per coding)."""
    key = owner.lower()
    if len(key) != 36:
        key = normalise_guid(owner)
    digest = hashlib.sha1(_DERIVED_BYTES + f"{kind}:{key}".encode()).digest()
    hexed = (digest[:6] + bytes(((digest[6] & 0x0F) | 0x50, digest[7], (digest[8] & 0x3F) | 0x80))
             + digest[9:16]).hex().upper()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


_times: dict[str, str] = {}


def xsd_datetime(value: str) -> str:
    """*value* as an ``xsd:dateTime`` (``2024-01-07T10:00:00Z``), or "" if it is none."""
    found = _times.get(value)
    if found is None:
        if len(_times) > 4096:
            _times.clear()
        text = (value or "").strip().replace(" ", "T", 1)
        found = _times[value] = text if _DATETIME.fullmatch(text) else ""
    return found


def xml_safe(value: str) -> bool:
    """Whether XML 1.0 can carry *value* as it is (no control characters but tab and line
    breaks, no lone surrogates)."""
    return _ILLEGAL.search(value) is None


def _attr(value: str) -> str:
    return _ILLEGAL.sub("\ufffd", value).translate(_ATTR)


def _text(value: str) -> str:
    return _ILLEGAL.sub("\ufffd", value).translate(_TEXT)


def text_member(guid: str) -> str:
    """The archive member holding the text of the source (or note) *guid*."""
    return f"sources/{export_guid(guid)}.txt"


class QdeWriter:
    """``project.qde`` into the binary stream *out*: ``start``, ``source`` for each document,
    then ``finish``. ``note_files`` lists the (member, text) of memos to be written as files
    after the XML (see the module docstring)."""

    def __init__(self, out: BinaryIO, project: RefiProjectInfo) -> None:
        self._out = out
        self._parts: list[str] = []
        self._size = 0
        self._project = project
        self._notes: list[str] = []
        self.note_files: list[tuple[str, str]] = []
        self._guids: dict[str, str] = {}
        self.counts = {"documents": 0, "codings": 0, "notes": 0}
        self._sources_open = False

    def _put(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= _FLUSH:
            self._flush()

    def _flush(self) -> None:
        self._out.write("".join(self._parts).encode("utf-8"))
        self._parts.clear()
        self._size = 0

    def _guid(self, value: str) -> str:
        found = self._guids.get(value)
        if found is None:
            found = self._guids[value] = export_guid(value)
        return found

    def start(self, users: Sequence[RefiUser], codes: Sequence[RefiCode],
              variables: Sequence[str]) -> None:
        """The root, the users, the codebook and the variables."""
        project = self._project
        created = xsd_datetime(project.created)
        self._put(f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{PROJECT_NS}" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  f'xsi:schemaLocation="{SCHEMA_LOCATION}" name="{_attr(project.name)}"'
                  + (f' origin="{_attr(project.origin)}"' if project.origin else "")
                  + (f' creationDateTime="{created}"' if created else "") + ">\n")
        if users:
            self._put("<Users>\n")
            for user in users:
                self._put(f'<User guid="{self._guid(user.guid)}" name="{_attr(user.name)}"/>\n')
            self._put("</Users>\n")
        if codes:
            self._put("<CodeBook>\n<Codes>\n")
            for code in codes:
                self._code(code)
            self._put("</Codes>\n</CodeBook>\n")
        if variables:
            self._put("<Variables>\n")
            for name in variables:
                self._put(f'<Variable guid="{derived_guid("variable", name)}" '
                          f'name="{_attr(name)}" typeOfVariable="Text"/>\n')
            self._put("</Variables>\n")

    def _code(self, code: RefiCode) -> None:
        color = normalise_color(code.color)
        self._put(f'<Code guid="{self._guid(code.guid)}" name="{_attr(code.name)}" '
                  f'isCodable="true"' + (f' color="{color}"' if color else "") + ">")
        if code.description:
            self._put(f"<Description>{_text(code.description)}</Description>")
        if code.memo:
            self._put(self._note_ref("code-memo", code.guid, f"Memo on code {code.name}",
                                     code.memo))
        self._put("\n")
        for child in code.children:
            self._code(child)
        self._put("</Code>\n")

    def _note_ref(self, kind: str, owner: str, name: str, text: str) -> str:
        """Keep a note for ``finish`` and return the ``NoteRef`` to it."""
        guid = derived_guid(kind, owner)
        if xml_safe(text):
            self._notes.append(f'<Note guid="{guid}" name="{_attr(name)}">'
                               f"<PlainTextContent>{_text(text)}</PlainTextContent></Note>\n")
        else:
            self._notes.append(f'<Note guid="{guid}" name="{_attr(name)}" '
                               f'plainTextPath="internal://{guid}.txt"/>\n')
            self.note_files.append((text_member(guid), text))
        self.counts["notes"] += 1
        return f'<NoteRef targetGUID="{guid}"/>'

    def source(self, source: RefiSource, codings: Iterable[RefiCoding],
               rich_member: str | None, variables: dict[str, str]) -> None:
        """One ``TextSource`` with its selections, memo and variable values. *rich_member* is
        the original file's member (``sources/NAME``) when it is shipped as the rich text;
        *variables* maps attribute names to their variables' GUIDs."""
        if not self._sources_open:
            self._put("<Sources>\n")
            self._sources_open = True
        guid = self._guid(source.guid)
        created = xsd_datetime(source.created)
        self._put(f'<TextSource guid="{guid}" name="{_attr(source.name)}" '
                  f'plainTextPath="internal://{guid}.txt"'
                  + (f' richTextPath="internal://{rich_member.split("/", 1)[1]}"'
                     if rich_member else "")
                  + (f' creationDateTime="{created}"' if created else "") + ">\n")
        parts: list[str] = []
        put, cached, count = parts.append, self._guid, 0
        for coding in codings:
            guid = export_guid(coding.guid)
            user = cached(coding.user_guid)
            when = xsd_datetime(coding.created)
            when = f' creationDateTime="{when}"' if when else ""
            note = (self._note_ref("coding-memo", coding.guid, f"Memo on coding {guid}",
                                   coding.memo) if coding.memo else "")
            put(f'<PlainTextSelection guid="{derived_guid("selection", coding.guid)}" '
                f'startPosition="{coding.start}" endPosition="{coding.end}" '
                f'creatingUser="{user}"{when}><Coding guid="{guid}" creatingUser="{user}"{when}>'
                f'<CodeRef targetGUID="{cached(coding.code_guid)}"/></Coding>{note}'
                "</PlainTextSelection>\n")
            count += 1
            if len(parts) >= 1000:
                self._put("".join(parts))
                parts.clear()
        self._put("".join(parts))
        if source.memo:
            self._put(self._note_ref("document-memo", source.guid,
                                     f"Memo on document {source.name}", source.memo) + "\n")
        for name, value in source.attributes:
            self._put(f'<VariableValue><VariableRef targetGUID="{variables[name]}"/>'
                      f"<TextValue>{_text(value)}</TextValue></VariableValue>\n")
        self._put("</TextSource>\n")
        self.counts["documents"] += 1
        self.counts["codings"] += count

    def finish(self) -> None:
        """The notes, the project memo, the end of the document."""
        if self._sources_open:
            self._put("</Sources>\n")
        memo = self._project.memo
        project_note = ""
        if memo and not xml_safe(memo):
            project_note = self._note_ref("project-memo", "project", "Memo on the project", memo)
        if self._notes:
            self._put("<Notes>\n")
            for note in self._notes:
                self._put(note)
            self._put("</Notes>\n")
        if memo and not project_note:
            self._put(f"<Description>{_text(memo)}</Description>\n")
        self._put(f"{project_note}</Project>\n")
        self._flush()
