"""REFI-QDA codebooks: write a ``.qdc`` that validates against Codebook-mrt2019.xsd, and read the
codebook of a ``.qdc``, a ``.qde`` project or a ``.qdpx`` archive as real tools write them.

Reading is lenient where real files are (see ../shared/refi-qda/SOURCE.md): GUIDs in either
case or in braces, an empty ``<Sets/>``, codes with no colour or description, colours as
``#RGB``. XML is parsed with defusedxml: no DTDs, no entity expansion.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException

from kzcoder.core.errors import KzError
from kzcoder.exchange.codebook.json_file import CodeEntry

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12})\}?")
_COLOR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})([0-9a-fA-F]{2})?")
#: the namespace kzcoder derives a GUID from when a file's own is not one (e.g. digits only)
_GUID_NAMESPACE = uuid.UUID("5b0e3c1e-9c1d-4d8e-8a34-6f0d4f7c2a11")


def normalise_guid(value: str) -> str:
    """A GUID as kzcoder stores it: lower-case, no braces. Anything else is kept as written
    (compared case-insensitively) so that it still matches on a second import."""
    value = value.strip()
    match = _GUID.fullmatch(value)
    return match.group(1).lower() if match else value.lower()


def export_guid(value: str) -> str:
    """A GUID the schema accepts: the stored one when it is one, else one derived from it
    (the same every time, so round trips keep identity)."""
    match = _GUID.fullmatch(value.strip())
    if match:
        return match.group(1).upper()
    return str(uuid.uuid5(_GUID_NAMESPACE, value.strip().lower())).upper()


def normalise_color(value: str | None) -> str:
    """``#RRGGBB`` upper-case from ``#RGB``, ``#RRGGBB`` or ``#RRGGBBAA``; "" if unusable."""
    match = _COLOR.fullmatch((value or "").strip())
    if not match:
        return ""
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


def qdc_bytes(entries: list[CodeEntry], origin: str) -> bytes:
    """The ``.qdc`` document of *entries* (UTF-8, with an XML declaration)."""
    ElementTree.register_namespace("", CODEBOOK_NS)
    root = ElementTree.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=origin)
    codes = ElementTree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for entry in entries:
        _write_code(codes, entry)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _write_code(parent: ElementTree.Element, entry: CodeEntry) -> None:
    attributes = {"guid": export_guid(entry.guid or str(uuid.uuid4())), "name": entry.name,
                  "isCodable": "true" if entry.codable else "false"}
    if normalise_color(entry.color):
        attributes["color"] = normalise_color(entry.color)
    element = ElementTree.SubElement(parent, f"{{{CODEBOOK_NS}}}Code", attributes)
    if entry.description:
        ElementTree.SubElement(element, f"{{{CODEBOOK_NS}}}Description").text = \
            entry.description
    for child in entry.children:
        _write_code(element, child)


def read_codebook_file(path: Path) -> list[CodeEntry]:
    """The codebook of a ``.qdc``, ``.qde`` or ``.qdpx`` file; KzError in one line naming the
    file when it cannot be read (and nothing else happens)."""
    try:
        data = _xml_of(path)
        root = SafeTree.fromstring(data)
    except (OSError, zipfile.BadZipFile) as exc:
        raise KzError(f"{path.name}: cannot be read ({exc})") from exc
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise KzError(f"{path.name}: not a readable REFI-QDA file ({exc})") from exc
    if _local(root.tag) not in ("CodeBook", "Project"):
        raise KzError(f"{path.name}: not a REFI-QDA codebook or project (root element "
                      f"'{_local(root.tag)}')")
    book = root if _local(root.tag) == "CodeBook" else next(
        (e for e in root if _local(e.tag) == "CodeBook"), None)
    if book is None:  # a project without codes
        return []
    codes = next((e for e in book if _local(e.tag) == "Codes"), None)
    if codes is None:
        return []
    return [_read_code(e, path) for e in codes if _local(e.tag) == "Code"]


def _xml_of(path: Path) -> bytes:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".qde")]
            if not names:
                raise ValueError("the archive holds no .qde project")
            names.sort(key=lambda n: (n.lower() != "project.qde", "/" in n, n))
            return archive.read(names[0])
    return path.read_bytes()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_code(element: ElementTree.Element, path: Path) -> CodeEntry:
    name = (element.get("name") or "").strip()
    if not name:
        raise KzError(f"{path.name}: a code has no name (guid {element.get('guid')})")
    description = ""
    children: list[CodeEntry] = []
    for child in element:
        if _local(child.tag) == "Description":
            description = child.text or ""
        elif _local(child.tag) == "Code":
            children.append(_read_code(child, path))
    return CodeEntry(name=name, color=normalise_color(element.get("color")),
                     description=description, children=tuple(children),
                     guid=normalise_guid(element.get("guid") or ""),
                     codable=(element.get("isCodable") or "true").strip().lower()
                     not in ("false", "0"))
