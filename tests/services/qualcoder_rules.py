"""A strict reader of a ``.qdpx`` that follows the rules QualCoder's importer applies (as
issue 24 documents them from driving it on kzcoder's exports), written here because
QualCoder is not installable in the test environment. The rules were checked against
QualCoder's own ``refi.py`` (``RefiImport.parse_notes``, commit c3204641), run headless on a
kzcoder export outside this repository:

- every ``Note`` must carry ``creationDateTime``: QualCoder does ``date.replace("T", " ")`` on
  it and crashes on a note without one (here: AttributeError on ``None.replace``, as there);
- memos are read from the ``Description`` of ``TextSource``, ``Code`` and
  ``PlainTextSelection`` (not from ``NoteRef``\\ s);
- ``isCodable="false"`` codes are categories, which hold codes but no codings;
- a note is a journal entry only if it has a ``plainTextPath`` (and a name): its text is read
  from that file, never from ``PlainTextContent`` (a note with content only is dropped); a
  memo's note file that a ``NoteRef`` points to becomes a journal entry too (QualCoder only
  checks its annotation links); the date loses its "T" and "Z", the owner is the creating
  user's name, else "default";
- a ``PlainTextSelection`` with a ``Description`` and no ``Coding`` is an annotation;
- references are resolved by the GUID exactly as written (a strict reader: a reference in
  another case than its target's GUID does not resolve, and fails here).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

NS = "{urn:QDA-XML:project:1.0}"


@dataclass
class PeerProject:
    users: dict[str, str] = field(default_factory=dict)  # GUID -> name
    codes: dict[str, dict] = field(default_factory=dict)  # GUID -> name, memo, category, parent
    sources: dict[str, dict] = field(default_factory=dict)  # GUID -> name, memo, date
    codings: list[dict] = field(default_factory=list)  # source, code, start, end, memo, owner
    journals: list[dict] = field(default_factory=list)  # name, text, date, owner
    annotations: list[dict] = field(default_factory=list)  # source, start, end, text, owner


def read(path: Path) -> PeerProject:
    """The project as the rules above read it; AttributeError or KeyError where QualCoder's
    importer would fail."""
    root = ElementTree.fromstring(zipfile.ZipFile(path).read("project.qde"))
    found = PeerProject()
    for user in root.iter(f"{NS}User"):
        found.users[user.get("guid")] = user.get("name")
    _codes(root.find(f"{NS}CodeBook/{NS}Codes"), None, found)
    archive = zipfile.ZipFile(path)
    for source in root.iter(f"{NS}TextSource"):
        guid = source.get("guid")
        date = source.get("creationDateTime")
        found.sources[guid] = {"name": source.get("name"), "memo": _description(source),
                               "date": date.replace("T", " ") if date else None}
        archive.read("sources/" + source.get("plainTextPath").split("://", 1)[1])
        for selection in source.findall(f"{NS}PlainTextSelection"):
            if selection.find(f"{NS}Coding") is None and _description(selection):
                found.annotations.append({
                    "source": guid, "start": int(selection.get("startPosition")),
                    "end": int(selection.get("endPosition")), "text": _description(selection),
                    "owner": found.users[selection.get("creatingUser")]})
            for coding in selection.findall(f"{NS}Coding"):
                code = coding.find(f"{NS}CodeRef").get("targetGUID")
                entry = found.codes[code]  # KeyError: a reference that does not resolve
                assert not entry["category"], f"a coding with the category {entry['name']}"
                found.codings.append({
                    "source": guid, "code": code, "start": int(selection.get("startPosition")),
                    "end": int(selection.get("endPosition")), "memo": _description(selection),
                    "owner": found.users[coding.get("creatingUser")]})
    for note in root.findall(f"{NS}Notes/{NS}Note"):
        date = note.get("creationDateTime").replace("T", " ")  # QualCoder's None.replace
        path = note.get("plainTextPath")
        if path is None or note.get("name") == "":
            continue  # PlainTextContent alone is never read as a journal entry
        text = archive.read("sources/" + path.split("://", 1)[1]).decode("utf-8")
        found.journals.append({
            "name": note.get("name"), "date": date.replace("Z", ""),
            "text": text.replace("\r\n", "\n").replace("\r", "\n"),  # open() in text mode
            "owner": found.users.get(note.get("creatingUser"), "default")})
    return found


def _description(element: ElementTree.Element) -> str:
    description = element.find(f"{NS}Description")
    return (description.text or "") if description is not None else ""


def _codes(parent: ElementTree.Element | None, parent_guid: str | None,
           found: PeerProject) -> None:
    if parent is None:
        return
    for code in parent.findall(f"{NS}Code"):
        guid = code.get("guid")
        found.codes[guid] = {"name": code.get("name"), "memo": _description(code),
                             "category": code.get("isCodable") == "false",
                             "parent": parent_guid}
        _codes(code, guid, found)
