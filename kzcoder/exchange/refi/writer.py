"""``project.qde`` written as a stream, valid against Project-mrt2019.xsd.

The XML is written as text, element by element, in pieces of a megabyte: a project of 100,000
codings is never one tree in memory, and making the text directly is the fast way (100,000
selections: 0.12 s, where lxml's incremental ``etree.xmlfile`` took 1.1 s). Every
value goes through ``_attr`` or ``_text``, which escape what XML needs escaped and write a
carriage return, newline or tab in an attribute as a character reference, so that a parser
gives back exactly what was written.

Where things go (docs/refi-qda.md has the whole table):

- a coder is a ``User``; a code a ``Code`` (its definition the ``Description``, its memo a
  ``Note`` and again in the ``Description`` under a heading: ``refi.memos``), nested as in the
  codebook, ``isCodable="false"`` for a category;
- a document a ``TextSource`` whose text is ``sources/<GUID>.txt`` and whose original file, when
  it is a rich format, is the ``richTextPath``; its memo a ``Note`` and its ``Description``; its
  attributes
  ``VariableValue``\\ s of the ``Variable`` of that name;
- a coding a ``PlainTextSelection`` (its GUID derived from the coding's) holding one
  ``Coding`` with the coding's own GUID, coder and time; its memo a ``Note`` and the
  selection's ``Description``;
- the project memo the project's ``Description``; each journal entry a ``Note`` that nothing
  refers to (a free memo), its text both in ``PlainTextContent`` and in a file
  ``sources/<GUID>.txt`` (``plainTextPath``: QualCoder reads a journal entry only from
  there); code sets and document sets ``Set``\\ s.

A memo is a ``Note`` in ``Notes`` (its GUID derived from its owner's, so the same every time),
referred to by a ``NoteRef`` of its owner. Every note carries ``creationDateTime`` (its owner's
time, else the project's: QualCoder's importer fails on a note without one), the
``modifiedDateTime`` when the memo was changed (``memo_times``; a journal entry's own) and the
``creatingUser`` (the coding's coder, else the project's first coder).

GUIDs are written in the form they were imported in (``guid_forms``), every other one in upper
case without braces. A memo holding a character XML 1.0 cannot carry (a
control character) is written as a text file ``sources/<GUID>.txt`` that the note points to.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from kzcoder.core.refi_records import (
    RefiAnnotation,
    RefiCode,
    RefiCoding,
    RefiJournalEntry,
    RefiProjectInfo,
    RefiSet,
    RefiSource,
    RefiUser,
)
from kzcoder.exchange.codebook.qdc import export_guid, normalise_color, normalise_guid
from kzcoder.exchange.refi.memos import code_description

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
_EPOCH = "1970-01-01T00:00:00Z"  # only for a note in a project with no time at all
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
    after the XML (see the module docstring). *guid_forms* maps a stored GUID to the form it
    was imported in; *user* is the GUID of the user notes without one of their own are by."""

    def __init__(self, out: BinaryIO, project: RefiProjectInfo,
                 guid_forms: dict[str, str] | None = None, user: str = "",
                 memo_times: dict[str, str] | None = None) -> None:
        self._out = out
        self._memo_times = memo_times or {}  # owner GUID -> when its memo last changed
        self._parts: list[str] = []
        self._size = 0
        self._project = project
        self._notes: list[str] = []
        self.note_files: list[tuple[str, str]] = []
        self._forms = guid_forms or {}
        self._guids: dict[str, str] = dict(self._forms)
        self._user = user
        self._created = xsd_datetime(project.created)
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
                  f'isCodable="{"true" if code.codable else "false"}"'
                  + (f' color="{color}"' if color else "") + ">")
        description = code_description(code.description,
                                       code.memo if xml_safe(code.memo) else "")
        if description:
            self._put(f"<Description>{_text(description)}</Description>")
        if code.memo:
            self._put(self._note_ref("code-memo", code.guid, f"Memo on code {code.name}",
                                     code.memo))
        self._put("\n")
        for child in code.children:
            self._code(child)
        self._put("</Code>\n")

    def _note_ref(self, kind: str, owner: str, name: str, text: str, created: str = "",
                  user: str = "") -> str:
        """Keep a note for ``finish`` and return the ``NoteRef`` to it. *created* is its
        owner's time (``xsd:dateTime``), *user* its coder's GUID as written."""
        guid = derived_guid(kind, owner)
        self._note(guid, name, text, created, xsd_datetime(self._memo_times.get(owner, "")),
                   user)
        return f'<NoteRef targetGUID="{guid}"/>'

    def _note(self, guid: str, name: str, text: str, created: str, modified: str,
              user: str, *, as_file: bool = False) -> None:
        """A note; *as_file* (a journal entry): its text also in a file the note points to,
        which is the only place QualCoder's importer reads a journal entry from."""
        user = user or (self._guid(self._user) if self._user else "")
        head = (f'<Note guid="{guid}" name="{_attr(name)}"'
                + (f' creatingUser="{user}"' if user else "")
                + f' creationDateTime="{created or self._created or _EPOCH}"'
                + (f' modifiedDateTime="{modified}"' if modified else ""))
        if xml_safe(text) and as_file:
            member = text_member(guid)
            self._notes.append(f'{head} plainTextPath="internal://{member[8:]}">'
                               f"<PlainTextContent>{_text(text)}</PlainTextContent></Note>\n")
            self.note_files.append((member, text))
        elif xml_safe(text):
            self._notes.append(f"{head}><PlainTextContent>{_text(text)}</PlainTextContent>"
                               "</Note>\n")
        else:
            member = text_member(guid)
            self._notes.append(f'{head} plainTextPath="internal://{member[8:]}"/>\n')
            self.note_files.append((member, text))
        self.counts["notes"] += 1

    def source(self, source: RefiSource, codings: Iterable[RefiCoding],
               rich_member: str | None, variables: dict[str, str],
               annotations: Sequence[RefiAnnotation] = ()) -> None:
        """One ``TextSource`` with its selections, annotations, memo and variable values.
        *rich_member* is the original file's member (``sources/NAME``) when it is shipped as
        the rich text; *variables* maps attribute names to their variables' GUIDs."""
        if not self._sources_open:
            self._put("<Sources>\n")
            self._sources_open = True
        guid = self._guid(source.guid)
        created = xsd_datetime(source.created)
        self._put(f'<TextSource guid="{guid}" name="{_attr(source.name)}" '
                  f'plainTextPath="internal://{export_guid(source.guid)}.txt"'
                  + (f' richTextPath="internal://{rich_member.split("/", 1)[1]}"'
                     if rich_member else "")
                  + (f' creationDateTime="{created}"' if created else "") + ">\n")
        if source.memo and xml_safe(source.memo):
            self._put(f"<Description>{_text(source.memo)}</Description>\n")
        parts: list[str] = []
        put, cached, count, forms = parts.append, self._guid, 0, self._forms
        for coding in codings:
            guid = forms.get(coding.guid) or export_guid(coding.guid)
            user = cached(coding.user_guid)
            stamp = xsd_datetime(coding.created)
            when = f' creationDateTime="{stamp}"' if stamp else ""
            note = description = ""
            if coding.memo:
                note = self._note_ref("coding-memo", coding.guid, f"Memo on coding {guid}",
                                      coding.memo, stamp, user)
                if xml_safe(coding.memo):
                    description = f"<Description>{_text(coding.memo)}</Description>"
            put(f'<PlainTextSelection guid="{derived_guid("selection", coding.guid)}" '
                f'startPosition="{coding.start}" endPosition="{coding.end}" '
                f'creatingUser="{user}"{when}>{description}<Coding guid="{guid}" '
                f'creatingUser="{user}"{when}>'
                f'<CodeRef targetGUID="{cached(coding.code_guid)}"/></Coding>{note}'
                "</PlainTextSelection>\n")
            count += 1
            if len(parts) >= 1000:
                self._put("".join(parts))
                parts.clear()
        self._put("".join(parts))
        for note in annotations:
            self._annotation(note)
        if source.memo:
            self._put(self._note_ref("document-memo", source.guid,
                                     f"Memo on document {source.name}", source.memo,
                                     created) + "\n")
        for name, value in source.attributes:
            self._put(f'<VariableValue><VariableRef targetGUID="{variables[name]}"/>'
                      f"<TextValue>{_text(value)}</TextValue></VariableValue>\n")
        self._put("</TextSource>\n")
        self.counts["documents"] += 1
        self.counts["codings"] += count

    def finish(self, journal: Sequence[RefiJournalEntry] = (),
               sets: Sequence[RefiSet] = ()) -> None:
        """The notes (memos, then the journal's entries: notes nothing refers to), the sets,
        the project memo, the end of the document. An author of an entry must be among the
        users given to ``start`` (the service adds them)."""
        if self._sources_open:
            self._put("</Sources>\n")
        for entry in journal:
            self._note(self._guid(entry.guid), entry.title, entry.text,
                       xsd_datetime(entry.created), xsd_datetime(entry.modified),
                       self._guid(entry.author_guid) if entry.author_guid else "",
                       as_file=True)
        memo = self._project.memo
        project_note = ""
        if memo and not xml_safe(memo):
            project_note = self._note_ref("project-memo", "project", "Memo on the project", memo)
        if self._notes:
            self._put("<Notes>\n")
            for note in self._notes:
                self._put(note)
            self._put("</Notes>\n")
        if sets:
            self._put("<Sets>\n")
            for item in sets:
                self._set(item)
            self._put("</Sets>\n")
        if memo and not project_note:
            self._put(f"<Description>{_text(memo)}</Description>\n")
        self._put(f"{project_note}</Project>\n")
        self._flush()

    def _annotation(self, note: RefiAnnotation) -> None:
        user = self._guid(note.user_guid) if note.user_guid else ""
        when = xsd_datetime(note.created)
        head = (f'<PlainTextSelection guid="{self._guid(note.guid)}" '
                f'startPosition="{note.start}" endPosition="{note.end}"'
                + (f' creatingUser="{user}"' if user else "")
                + (f' creationDateTime="{when}"' if when else "") + ">")
        if xml_safe(note.text):
            body = f"<Description>{_text(note.text)}</Description>"
        else:  # only a note file can carry it
            body = self._note_ref("annotation", note.guid, "Annotation", note.text, when, user)
        self._put(f"{head}{body}</PlainTextSelection>\n")

    def _set(self, item: RefiSet) -> None:
        self._put(f'<Set guid="{self._guid(item.guid)}" name="{_attr(item.name)}">'
                  + (f"<Description>{_text(item.description)}</Description>"
                     if item.description else ""))
        for kind, guids in (("MemberCode", item.codes), ("MemberSource", item.sources),
                            ("MemberNote", item.notes)):
            for guid in guids:
                self._put(f'<{kind} targetGUID="{self._guid(guid)}"/>')
        self._put("</Set>\n")
