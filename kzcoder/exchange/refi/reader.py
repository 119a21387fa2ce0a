"""``project.qde`` read into plain records (``model``), leniently and safely.

Safely: the XML is read by expat as a stream of elements (a project of 100,000 codings is
never a tree in memory), and a document with a DOCTYPE, an entity declaration or an external
entity is refused at once: REFI-QDA files have none, and a DTD is how entity bombs and
external entities come in. Anything that is not well-formed XML is refused.

Leniently: the schema is not enforced (Taguette writes invalid files); elements are matched by
local name in any namespace; GUIDs are compared without case or braces (``guid_key``); a
missing optional attribute is simply absent.

What kzcoder cannot hold is counted into ``ParsedProject.skipped`` (one line each): picture,
PDF, audio and video sources, graphs, links. ``Set``\\ s are read with their members. The form
each defining GUID was written in (case, braces) is kept in ``ParsedProject.guid_forms`` when
it is not upper case, so that an export gives it back as it came.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from xml.parsers import expat

from kzcoder.core.errors import KzError
from kzcoder.exchange.codebook.qdc import normalise_color
from kzcoder.exchange.refi.model import (
    Case,
    Code,
    CodingRef,
    Note,
    ParsedProject,
    Selection,
    Set,
    TextSource,
    guid_key,
)

#: elements whose text is collected
_TEXT = frozenset({"Description", "PlainTextContent", "TextValue", "BooleanValue",
                   "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"})
_OTHER_SOURCES = frozenset({"PictureSource", "PDFSource", "AudioSource", "VideoSource"})
_SKIPPED_PARTS = frozenset({"Links", "Graphs"})
#: a GUID as the schema allows it: plain, or in braces
_GUID_FORM = re.compile(r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                        r"[0-9a-fA-F]{12}\}?")


class _Refused(Exception):
    """A DTD or entity in the XML."""


def parse_qde(data: bytes | Iterable[bytes], name: str) -> ParsedProject:
    """The project in the XML *data*, whole or a piece at a time (as ``SafeArchive.pieces``
    unpacks a member, so that the file is never held whole beside what is read from it);
    KzError naming *name* if it is not one, or has a DTD. A KzError raised by the pieces
    (a member that lies about its size) passes through."""
    reader = _Reader()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    try:
        if isinstance(data, bytes | bytearray | memoryview):
            parser.Parse(data, True)
        else:
            for piece in data:
                parser.Parse(piece, False)
            parser.Parse(b"", True)
    except _Refused:
        raise KzError(f"{name}: refused, the project XML has a DOCTYPE or entities (DTDs and "
                      "entities are not accepted)") from None
    except expat.ExpatError as exc:
        raise KzError(f"{name}: the project is not well-formed XML ({exc})") from exc
    except (ValueError, RecursionError) as exc:
        raise KzError(f"{name}: the project cannot be read as XML ({exc})") from exc
    if not reader.root_seen:
        raise KzError(f"{name}: the project XML is empty")
    if reader.root != "Project":
        raise KzError(f"{name}: not a REFI-QDA project (its root element is '{reader.root}')")
    return reader.project


def _refuse(*_args: object) -> None:
    raise _Refused


class _Reader:
    """Expat's handlers: a stack of local names and the record each open element fills."""

    def __init__(self) -> None:
        self.project = ParsedProject()
        self.root = ""
        self.root_seen = False
        self.stack: list[str] = []
        self.codes: list[Code] = []  # open Code elements
        self.source: TextSource | None = None  # open TextSource or Note
        self.in_note = False
        self.selection: Selection | None = None
        self.coding: CodingRef | None = None
        self.case: Case | None = None
        self.reference = ""  # the VariableRef of an open VariableValue
        self.value: str | None = None
        self.text: list[str] | None = None  # characters of an element in _TEXT
        self.skip: list = []  # [kind, name, codings, depth, children] of a subtree not read
        self.others: dict[str, list[str]] = {}
        self.set: Set | None = None

    def key(self, value: str | None) -> str:
        """``guid_key`` of a defining GUID, its form kept when it is not upper case."""
        found = guid_key(value)
        keep_form(self.project.guid_forms, found, value)
        return found

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition("}")[2]
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local)
        if self.skip:
            self.skip[2] += local == "Coding"
            self.skip[4] += len(self.stack) == self.skip[3] + 1
            return
        if not self.root_seen:
            self.root, self.root_seen = local, True
            if local == "Project":
                self.project.name = (attrs.get("name") or "").strip()
                self.project.origin = (attrs.get("origin") or "").strip()
                self.project.created = (attrs.get("creationDateTime") or "").strip()
            return
        if local in _TEXT:
            self.text = []
        handler = _STARTS.get(local)
        if handler is not None:
            handler(self, parent, attrs)

    def end(self, tag: str) -> None:
        local = self.stack.pop()
        if self.skip:
            if len(self.stack) < self.skip[3]:
                self._skipped_end()
            return
        text = None
        if self.text is not None and local in _TEXT:
            text, self.text = "".join(self.text), None
        handler = _ENDS.get(local)
        if handler is not None:
            handler(self, self.stack[-1] if self.stack else "", text)

    # --- starts ---------------------------------------------------------------------------

    def _user(self, parent: str, attrs: dict[str, str]) -> None:
        guid = self.key(attrs.get("guid"))
        if parent == "Users" and guid:
            self.project.users.append((guid, (attrs.get("name") or attrs.get("id") or "")
                                       .strip()))

    def _code(self, parent: str, attrs: dict[str, str]) -> None:
        code = Code(guid=self.key(attrs.get("guid")) or str(uuid.uuid4()),
                    name=(attrs.get("name") or "").strip(),
                    color=normalise_color(attrs.get("color")), description="", notes=[],
                    codable=(attrs.get("isCodable") or "true").strip().lower()
                    not in ("false", "0"), children=[])
        if parent == "Code" and self.codes:
            self.codes[-1].children.append(code)
        elif parent == "Codes":
            self.project.codes.append(code)
        else:
            return
        self.codes.append(code)

    def _variable(self, parent: str, attrs: dict[str, str]) -> None:
        if parent == "Variables":
            self.project.variables[guid_key(attrs.get("guid"))] = (
                attrs.get("name") or "").strip()

    def _case(self, parent: str, attrs: dict[str, str]) -> None:
        if parent == "Cases":
            self.case = Case(guid_key(attrs.get("guid")), (attrs.get("name") or "").strip(),
                             [], [], 0)

    def _reference(self, parent: str, attrs: dict[str, str]) -> None:
        local, target = self.stack[-1], guid_key(attrs.get("targetGUID"))
        if local == "VariableRef":
            self.reference = target
        elif local == "SourceRef" and parent == "Case" and self.case is not None:
            self.case.sources.append(target)
        elif local in ("CodeRef", "SelectionRef") and parent == "Case" and self.case:
            self.case.other_refs += 1
        elif local == "CodeRef" and parent == "Coding" and self.coding is not None:
            self.coding.code = target
        elif local == "NoteRef":
            self._note_ref(parent, target)

    def _set_start(self, parent: str, attrs: dict[str, str]) -> None:
        if parent == "Sets":
            self.set = Set(self.key(attrs.get("guid")) or str(uuid.uuid4()),
                           (attrs.get("name") or "").strip())

    def _member(self, parent: str, attrs: dict[str, str]) -> None:
        if parent != "Set" or self.set is None:
            return
        target = guid_key(attrs.get("targetGUID"))
        if target:
            {"MemberCode": self.set.codes, "MemberSource": self.set.sources,
             "MemberNote": self.set.notes}[self.stack[-1]].append(target)

    def _note_ref(self, parent: str, target: str) -> None:
        if parent == "Coding" and self.coding is not None:
            self.coding.notes.append(target)
        elif parent == "PlainTextSelection" and self.selection is not None:
            self.selection.notes.append(target)
        elif parent in ("TextSource", "Note") and self.source is not None:
            self.source.notes.append(target)
        elif parent == "Code" and self.codes:
            self.codes[-1].notes.append(target)
        elif parent == "Project":
            self.project.notes.append(target)

    def _source(self, parent: str, attrs: dict[str, str]) -> None:
        local = self.stack[-1]
        if parent == "Sources" and local in _OTHER_SOURCES:
            self.skip = [local, attrs.get("name") or attrs.get("guid") or "?", 0,
                         len(self.stack), 0]
            return
        if (parent, local) not in (("Sources", "TextSource"), ("Notes", "Note")):
            return
        self.in_note = local == "Note"
        self.source = TextSource(
            guid=self.key(attrs.get("guid")) or str(uuid.uuid4()),
            name=(attrs.get("name") or "").strip(), plain_path=attrs.get("plainTextPath"),
            rich_path=attrs.get("richTextPath"), content=None,
            created=(attrs.get("creationDateTime") or "").strip(),
            user=guid_key(attrs.get("creatingUser")), description="",
            modified=(attrs.get("modifiedDateTime") or "").strip())

    def _selection(self, parent: str, attrs: dict[str, str]) -> None:
        if parent in ("TextSource", "Note") and self.source is not None:
            self.selection = Selection(
                guid_key(attrs.get("guid")), _position(attrs.get("startPosition")),
                _position(attrs.get("endPosition")),
                guid_key(attrs.get("creatingUser") or attrs.get("modifyingUser")),
                (attrs.get("creationDateTime") or "").strip(), "", [], [],
                (attrs.get("guid") or "").strip())

    def _coding(self, parent: str, attrs: dict[str, str]) -> None:
        if parent == "PlainTextSelection" and self.selection is not None:
            owner, into = self.selection, self.selection.codings
        elif parent in ("TextSource", "Note") and self.source is not None:
            owner, into = self.source, self.source.whole
        else:
            return
        self.coding = CodingRef(self.key(attrs.get("guid")), "",
                                guid_key(attrs.get("creatingUser")) or owner.user,
                                (attrs.get("creationDateTime") or "").strip() or owner.created)
        into.append(self.coding)

    def _skipped_part(self, parent: str, attrs: dict[str, str]) -> None:
        if parent == "Project":
            self.skip = [self.stack[-1], "", 0, len(self.stack), 0]

    def _skipped_end(self) -> None:
        kind, name, codings, _depth, children = self.skip
        self.skip = []
        if kind in _SKIPPED_PARTS:
            if children:
                self.project.skipped.append(f"{children} item(s) of the project's {kind}, "
                                            "which kzcoder has no place for")
            return
        self.others.setdefault(kind, []).append(
            f"'{name}'" + (f" ({codings} coding(s))" if codings else ""))

    # --- ends -----------------------------------------------------------------------------

    def _description_end(self, parent: str, text: str | None) -> None:
        text = text or ""
        if parent == "PlainTextSelection" and self.selection is not None:
            self.selection.description = text
        elif parent in ("TextSource", "Note") and self.source is not None:
            self.source.description = text
        elif parent == "Code" and self.codes:
            self.codes[-1].description = text
        elif parent == "Project":
            self.project.description = text
        elif parent == "Set" and self.set is not None:
            self.set.description = text

    def _content_end(self, parent: str, text: str | None) -> None:
        if parent in ("TextSource", "Note") and self.source is not None:
            self.source.content = text or ""

    def _value_end(self, parent: str, text: str | None) -> None:
        if parent == "VariableValue":
            self.value = text or ""

    def _variable_value_end(self, parent: str, _text: str | None) -> None:
        pair = (self.reference, self.value) if self.reference and self.value is not None \
            else None
        self.reference, self.value = "", None
        if pair is None:
            return
        if parent == "Case" and self.case is not None:
            self.case.values.append(pair)
        elif parent == "TextSource" and self.source is not None:
            self.source.values.append(pair)

    def _code_end(self, parent: str, _text: str | None) -> None:
        if parent in ("Code", "Codes") and self.codes:
            self.codes.pop()

    def _case_end(self, parent: str, _text: str | None) -> None:
        if parent == "Cases" and self.case is not None:
            self.project.cases.append(self.case)
            self.case = None

    def _source_end(self, parent: str, _text: str | None) -> None:
        source = self.source
        if source is None or parent not in ("Sources", "Notes"):
            return
        if self.in_note:
            self.project.all_notes[source.guid] = Note(
                source.guid, source.name, source.content, source.plain_path,
                sum(len(s.codings) for s in source.selections) + len(source.whole),
                source.created, source.modified, source.user)
        else:
            self.project.sources.append(source)
        self.source, self.in_note = None, False

    def _selection_end(self, parent: str, _text: str | None) -> None:
        if self.selection is not None and self.source is not None:
            self.source.selections.append(self.selection)
        self.selection = None

    def _coding_end(self, parent: str, _text: str | None) -> None:
        self.coding = None

    def _set_end(self, parent: str, _text: str | None) -> None:
        if self.set is not None and parent == "Sets":
            self.project.sets.append(self.set)
        self.set = None

    def _sources_end(self, parent: str, _text: str | None) -> None:
        for kind, names in self.others.items():
            self.project.skipped.append(
                f"{len(names)} {kind}(s), which kzcoder cannot hold (only text sources): "
                + ", ".join(names[:20]) + (" …" if len(names) > 20 else ""))
        self.others = {}


def keep_form(forms: dict[str, str], key: str, value: str | None) -> None:
    """Put in *forms* the form *value* writes the GUID *key* in, when that is not upper case
    without braces (what kzcoder writes)."""
    if key and value is not None:
        written = value.strip()
        if written != key.upper() and _GUID_FORM.fullmatch(written):
            forms[key] = written


def _position(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


_STARTS = {"User": _Reader._user, "Code": _Reader._code, "Variable": _Reader._variable,
           "Case": _Reader._case, "VariableRef": _Reader._reference,
           "SourceRef": _Reader._reference, "SelectionRef": _Reader._reference,
           "CodeRef": _Reader._reference, "NoteRef": _Reader._reference,
           "TextSource": _Reader._source, "Note": _Reader._source,
           "PlainTextSelection": _Reader._selection, "Coding": _Reader._coding,
           **{kind: _Reader._source for kind in _OTHER_SOURCES},
           "Set": _Reader._set_start, "MemberCode": _Reader._member,
           "MemberSource": _Reader._member, "MemberNote": _Reader._member,
           **{kind: _Reader._skipped_part for kind in _SKIPPED_PARTS}}
_ENDS = {"Description": _Reader._description_end,
         "PlainTextContent": _Reader._content_end,
         **{kind: _Reader._value_end for kind in _TEXT - {"Description", "PlainTextContent"}},
         "VariableValue": _Reader._variable_value_end, "Code": _Reader._code_end,
         "Case": _Reader._case_end, "TextSource": _Reader._source_end,
         "Note": _Reader._source_end, "PlainTextSelection": _Reader._selection_end,
         "Coding": _Reader._coding_end, "Sources": _Reader._sources_end,
         "Set": _Reader._set_end}
