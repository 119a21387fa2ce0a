"""OpenDocument text (``.odt``): the zip's content.xml, streamed with lxml (no DTDs, no
entities; ``zipped.stream_blocks``), in document order; meta.xml parsed with defusedxml.

Headings, paragraphs and list items are one block each; a table gives one block per row, its
cells' text separated by a tab (as for Word documents). White space follows ODF: runs of
spaces and newlines in the XML are one space, ``text:s`` is that many spaces, ``text:tab`` a
tab and ``text:line-break`` a line break. Footnotes, comments, frames (text boxes, images)
and deleted text (tracked changes) are left out. meta.xml's title, initial creator (else
creator) and creation date (else date) become ``title``, ``author`` and ``published``.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers.common import iso_date, join_blocks, require_text, set_attribute
from kzcoder.exchange.readers.docx import ZIP_MAGIC, check_zip
from kzcoder.exchange.readers.registry import MIB, ReadDocument, Reader
from kzcoder.exchange.readers.zipped import member_size, stream_blocks

MEDIA_TYPE = "application/vnd.oasis.opendocument.text"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PARAGRAPHS = {f"{_TEXT}p", f"{_TEXT}h"}
_CONTAINERS = {f"{_TEXT}list", f"{_TEXT}list-item", f"{_TEXT}list-header", f"{_TEXT}section",
               f"{_TEXT}numbered-paragraph", f"{_TABLE}table-cell"}
_ROW_GROUPS = {f"{_TABLE}table-header-rows", f"{_TABLE}table-rows", f"{_TABLE}table-row-group"}
_LEFT_OUT = {f"{_TEXT}note", f"{_TEXT}number", f"{_OFFICE}annotation", f"{_TEXT}ruby-text",
             f"{_TEXT}tracked-changes", f"{_TEXT}soft-page-break"}
_FRAMES = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
# text:s, text:tab and text:line-break become these (not allowed in XML) until spaces collapse
_SPACE, _TAB, _BREAK = "\x01", "\x02", "\x03"
_WHITE = re.compile(r"[ \t\r\n]+")


def sniff(head: bytes) -> bool:
    """A zip whose first entry, ``mimetype``, says OpenDocument text."""
    return head.startswith(ZIP_MAGIC) and b"mimetype" + MEDIA_TYPE.encode() in head[:200]


def read(path: Path) -> ReadDocument:
    """The text of the OpenDocument text at *path* with its metadata as attributes.

    content.xml is read as a stream (``zipped.stream_blocks``): memory follows the text, not
    the XML. Raises KzError (one line naming the file) for a password-protected, damaged or
    empty file, or one over the limits.
    """
    from defusedxml import ElementTree
    from lxml.etree import XMLSyntaxError

    check_zip(path, "an OpenDocument text (.odt)", encrypted="is an old binary Office file "
              "(.doc?), not OpenDocument text: save it as .odt")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "META-INF/manifest.xml" in names and \
                    b"encryption-data" in _small(archive, "META-INF/manifest.xml"):
                raise KzError(f"{path.name}: is password-protected: save it without a password "
                              "and import it again")
            text = join_blocks(list(stream_blocks(
                archive, "content.xml", (f"{_OFFICE}document-content", f"{_OFFICE}body",
                                         f"{_OFFICE}text"), _body_child, shown=path.name)))
            meta = ElementTree.fromstring(_small(archive, "meta.xml")) \
                if "meta.xml" in names else None
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError,
            XMLSyntaxError) as exc:
        raise KzError(f"{path.name}: is damaged or not an OpenDocument text (.odt)") from exc
    return ReadDocument(require_text(text, path.name, "has no text"), "ODT", _attributes(meta))


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part read whole (the manifest, meta.xml): refused as damage past 16 MiB."""
    if member_size(archive, name) > 16 * MIB:
        raise KeyError(name)
    return archive.read(name)


def _body_child(element) -> Iterator[str]:  # noqa: ANN001 - an lxml element
    """The blocks of one child of office:text (a paragraph, a table, a list, a section)."""
    if element.tag in _PARAGRAPHS:
        yield _paragraph(element)
    elif element.tag == f"{_TABLE}table":
        yield from _rows(element)
    elif element.tag in _CONTAINERS:
        yield from _blocks(element)


def _attributes(meta) -> dict[str, str]:
    attributes: dict[str, str] = {}
    if meta is None:
        return attributes

    def first(*tags: str) -> str:
        for tag in tags:
            found = meta.find(f"{_OFFICE}meta/{tag}")
            if found is not None and (found.text or "").strip():
                return found.text
        return ""

    set_attribute(attributes, "title", first(f"{_DC}title"))
    set_attribute(attributes, "author", first(f"{_META}initial-creator", f"{_DC}creator"))
    set_attribute(attributes, "published",
                  iso_date(first(f"{_META}creation-date", f"{_DC}date")))
    return attributes


def _blocks(container) -> Iterator[str]:
    """The blocks in *container* (the body, a list, a section, a cell) in document order."""
    for child in container:
        if child.tag in _PARAGRAPHS:
            yield _paragraph(child)
        elif child.tag == f"{_TABLE}table":
            yield from _rows(child)
        elif child.tag in _CONTAINERS:
            yield from _blocks(child)


def _rows(table) -> Iterator[str]:
    """One block per row of *table*: its cells' text separated by tabs."""
    for child in table:
        if child.tag in _ROW_GROUPS:
            yield from _rows(child)
        elif child.tag == f"{_TABLE}table-row":
            cells = [" ".join(" ".join(_blocks(cell)).split()) for cell in child
                     if cell.tag == f"{_TABLE}table-cell"]
            if any(cells):
                yield "\t".join(cells)


def _paragraph(element) -> str:
    """A paragraph's or heading's text, its white space as ODF defines it."""
    parts: list[str] = []
    _inline(element, parts)
    text = _WHITE.sub(" ", "".join(parts)).strip(" ")
    return text.replace(_SPACE, " ").replace(_TAB, "\t").replace(_BREAK, "\n")


def _inline(element, parts: list[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            parts.append(_SPACE * min(int(count) if count.isdigit() else 1, 1000))
        elif tag == f"{_TEXT}tab":
            parts.append(_TAB)
        elif tag == f"{_TEXT}line-break":
            parts.append(_BREAK)
        elif tag not in _LEFT_OUT and not (isinstance(tag, str) and tag.startswith(_FRAMES)):
            _inline(child, parts)
        parts.append(child.tail or "")


READER = Reader("OpenDocument text", frozenset({".odt"}), read, sniff, media_type=MEDIA_TYPE)
