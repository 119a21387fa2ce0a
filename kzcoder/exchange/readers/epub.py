"""EPUB books (``.epub``): the text of every chapter, in reading (spine) order.

The package document (OPF, found through ``META-INF/container.xml``) lists the chapters in its
spine; each is XHTML read as ``html.body_text`` reads it (all of the body: a chapter has no
boilerplate to judge), chapters joined with a blank line. ``dc:title``, ``dc:creator``,
``dc:date`` and ``dc:publisher`` become the attributes ``title``, ``author``, ``published`` and
``outlet``. A book whose chapters are encrypted (DRM: ``META-INF/encryption.xml`` naming them)
is refused; encrypted fonts (font obfuscation) are no obstacle.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers.common import iso_date, join_blocks, require_text, set_attribute
from kzcoder.exchange.readers.html import body_text, decode_markup
from kzcoder.exchange.readers.registry import MIB, ReadDocument, Reader

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_XMLENC = "{http://www.w3.org/2001/04/xmlenc#}"
_CHAPTER_TYPES = frozenset({"application/xhtml+xml", "text/html", "text/x-oeb1-document"})
#: The most the chapters of one book may unpack to (a zip bomb is refused before unpacking).
MAX_UNPACKED = 256 * MIB
#: The most one chapter may unpack to: a chapter is parsed whole (a tree costs about 16 times
#: its markup), so this bounds the memory of one chapter's parse to about 0.5 GB. A real
#: chapter is well under 1 MiB; a whole long novel in one file, a few MiB.
MAX_CHAPTER = 32 * MIB


def sniff(head: bytes) -> bool:
    """A zip file whose first entry is the EPUB ``mimetype`` file."""
    return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in head[:256]


def read(path: Path) -> ReadDocument:
    """Read the chapters of the EPUB *path*; KzError naming the file if it cannot be read."""
    name = path.name
    try:
        book = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise KzError(f"{name}: not an EPUB (not a complete zip file)") from exc
    with book:
        package_path = _package_path(book, name)
        package = _xml(book, package_path, name)
        chapters = _chapters(package, posixpath.dirname(package_path))
        _refuse_encrypted(book, chapters, name)
        texts, warnings = _chapter_texts(book, chapters, name)
    text = require_text(join_blocks(texts), name, "no text found in this EPUB")
    return ReadDocument(text, "EPUB", _attributes(package), tuple(warnings))


def _package_path(book: zipfile.ZipFile, name: str) -> str:
    """Where the OPF package document is, from ``META-INF/container.xml``."""
    if "META-INF/container.xml" not in book.namelist():
        raise KzError(f"{name}: not an EPUB (it has no META-INF/container.xml)")
    container = _xml(book, "META-INF/container.xml", name)
    for rootfile in container.iter(f"{_CONTAINER}rootfile"):
        if rootfile.get("full-path"):
            return unquote(rootfile.get("full-path", "")).lstrip("/")
    raise KzError(f"{name}: not an EPUB (its container.xml names no package document)")


def _xml(book: zipfile.ZipFile, member: str, name: str) -> Any:
    """The parsed XML file *member* of *book* (no DTD entities: defusedxml)."""
    from defusedxml import ElementTree

    try:
        data = book.read(member)
    except KeyError as exc:
        raise KzError(f"{name}: not a complete EPUB ({member} is missing)") from exc
    return ElementTree.fromstring(data)


def _chapters(package: Any, base: str) -> list[str]:
    """The zip paths of the spine's XHTML documents, in spine order."""
    manifest = {item.get("id"): item for item in package.iter(f"{_OPF}item")}
    paths = []
    for itemref in package.iter(f"{_OPF}itemref"):
        item = manifest.get(itemref.get("idref"))
        if item is None or item.get("media-type", "").strip() not in _CHAPTER_TYPES:
            continue
        href = unquote(item.get("href", "").split("#")[0])
        if href:
            paths.append(posixpath.normpath(posixpath.join(base, href)))
    return paths


def _refuse_encrypted(book: zipfile.ZipFile, chapters: list[str], name: str) -> None:
    """KzError when ``META-INF/encryption.xml`` lists one of the *chapters* as encrypted."""
    if "META-INF/encryption.xml" not in book.namelist():
        return
    encryption = _xml(book, "META-INF/encryption.xml", name)
    encrypted = {posixpath.normpath(unquote(reference.get("URI", "")).lstrip("/"))
                 for reference in encryption.iter(f"{_XMLENC}CipherReference")}
    if encrypted & set(chapters):
        raise KzError(f"{name}: this EPUB is protected by DRM (its chapters are encrypted) "
                      "and cannot be read")


def _chapter_texts(book: zipfile.ZipFile, chapters: list[str],
                   name: str) -> tuple[list[str], list[str]]:
    """Each chapter's text, and warnings naming the book and the chapter (a chapter missing
    from the zip, empty or binary is skipped)."""
    present = {info.filename: info for info in book.infolist()}
    unpacked = sum(present[chapter].file_size for chapter in chapters if chapter in present)
    if unpacked > MAX_UNPACKED:
        raise KzError(f"{name}: its chapters unpack to {unpacked / MIB:.0f} MiB, over the "
                      f"{MAX_UNPACKED // MIB} MiB limit for EPUB files")
    for chapter in chapters:
        if chapter in present and present[chapter].file_size > MAX_CHAPTER:
            raise KzError(f"{name}: the chapter {chapter} unpacks to "
                          f"{present[chapter].file_size / MIB:.0f} MiB, over the "
                          f"{MAX_CHAPTER // MIB} MiB limit for one EPUB chapter")
    texts: list[str] = []
    warnings: list[str] = []
    for chapter in chapters:
        if chapter not in present:
            warnings.append(f"{name}: the chapter {chapter} is listed but missing; skipped")
            continue
        try:
            markup, _, decoded = decode_markup(book.read(chapter), name)
        except KzError as exc:  # an empty or binary file
            reason = str(exc).removeprefix(f"{name}: ")
            warnings.append(f"{name}: the chapter {chapter} is not text ({reason}); skipped")
            continue
        warnings.extend(warning.replace(f"{name}: ", f"{name}: {chapter}: ", 1)
                        for warning in decoded)
        try:
            texts.append(body_text(markup))
        except KzError as exc:  # nested too deep to read whole: refused, never cut
            raise KzError(f"{name}: the chapter {chapter} is {exc}") from exc
    return texts, warnings


def _attributes(package: Any) -> dict[str, str]:
    """title, author, published and outlet from the package's Dublin Core metadata."""
    def texts(tag: str) -> list[Any]:
        return [element for element in package.iter(f"{_DC}{tag}")
                if "".join(element.itertext()).strip()]

    def text(element: Any) -> str:
        return "".join(element.itertext()).strip()

    creators = texts("creator")
    roles = {f"#{meta.get('refines', '').lstrip('#')}": (meta.text or "").strip()
             for meta in package.iter(f"{_OPF}meta") if meta.get("property") == "role"}
    authors = [creator for creator in creators
               if (creator.get(f"{_OPF}role") or roles.get(f"#{creator.get('id')}") or "aut")
               == "aut"] or creators
    dates = texts("date")
    published = [date for date in dates if date.get(f"{_OPF}event") == "publication"]
    undated = [date for date in dates if not date.get(f"{_OPF}event")]
    attributes: dict[str, str] = {}
    set_attribute(attributes, "title", next(map(text, texts("title")), ""))
    set_attribute(attributes, "author", "; ".join(map(text, authors)))
    set_attribute(attributes, "published",
                  iso_date(next(map(text, published + undated + dates), "")))
    set_attribute(attributes, "outlet", next(map(text, texts("publisher")), ""))
    return attributes


READER = Reader("EPUB", {".epub"}, read, sniff, media_type="application/epub+zip")
