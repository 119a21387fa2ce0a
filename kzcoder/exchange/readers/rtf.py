"""Rich Text Format (``.rtf``): the text, read with striprtf, paragraphs separated by a blank
line and ``\\line`` breaks kept as line breaks.

Bytes (``\\'xx``) are decoded in the code page of their font's charset, else of the file's
``\\ansicpg`` (cp1252 when it names none), as Word does; ``\\uN`` characters are taken as they
are. A table gives one block per row, its cells separated by a tab (as for Word documents);
list numbers (``\\listtext``) and optional hyphens (``\\-``) are left out. ``\\info``'s title,
author and creation time become ``title``, ``author`` and ``published``.

striprtf runs regular expressions over the whole file, and two of them can take quadratic time
on damaged input (a font table without semicolons; many ``\\fldinst{``); the file is rewritten
first so that neither can, without changing what it says.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers.common import iso_date, join_blocks, require_text, set_attribute
from kzcoder.exchange.readers.registry import ReadDocument, Reader

_CODE_PAGE = re.compile(rb"\\ansicpg(\d{1,5})")
_FLDINST = re.compile(r"\\fldinst(?=\{)")  # striprtf's hyperlink pattern needs "\fldinst{"
_LISTTEXT = re.compile(r"\{\\listtext[^{}]*\}")
_CELL = re.compile(r"\\(?:nest)?cell(?![a-zA-Z])")
_ROW = re.compile(r"\\(?:nest)?row(?![a-zA-Z])")
_PAR = re.compile(r"\\par(?![a-zA-Z])")
_FONT = re.compile(r"\\f(\d{1,6})(?=[\\ ])[^{};]{0,300}?\\fcharset(\d{1,3})")
_INFO = re.compile(r"\{\\(title|author)[ ]?((?:[^{}\\]|\\[^{}]){0,2000})\}")
_CREATED = re.compile(r"\{\\creatim\\yr(\d{1,4})\\mo(\d{1,2})\\dy(\d{1,2})")


def sniff(head: bytes) -> bool:
    """An RTF header (``{\\rtf``)."""
    return head.startswith(b"{\\rtf")


def read(path: Path) -> ReadDocument:
    """The text of the RTF file at *path* with its \\info title, author and date.

    Raises KzError (one line naming the file) for a file that is not RTF or holds no text.
    """
    from striprtf.striprtf import rtf_to_text

    data = path.read_bytes()
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise KzError(f"{path.name}: is not an RTF file (it does not start with {{\\rtf)")
    encoding = _code_page(data)
    source = _prepare(data.decode(encoding, errors="replace"))
    text = rtf_to_text(source, encoding=encoding, errors="replace").replace("\xad", "")
    # \uN escapes of a character beyond 16 bits come as two surrogates: pair them up
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = require_text(join_blocks([text]), path.name, "has no text")
    warnings = ()
    if undecoded := text.count("\ufffd"):
        warnings = (f"{path.name}: {undecoded} characters could not be decoded "
                    f"(code page {encoding}) and are shown as \ufffd",)
    return ReadDocument(text, "RTF", _attributes(source, encoding), warnings)


def _code_page(data: bytes) -> str:
    """The file's ANSI code page as a Python codec name (cp1252 if it names none we know)."""
    found = _CODE_PAGE.search(data, 0, 4096)
    if found:
        name = f"cp{int(found.group(1))}"
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return "mac_roman" if b"\\mac" in data[:64] else "cp1252"


def _prepare(source: str) -> str:
    """*source* rewritten for striprtf: a paragraph ends with a blank line, a row too, cells
    are tabs, list numbers go, and the font table is reduced to numbers and charsets."""
    from striprtf.striprtf import font_table_group

    source = _FLDINST.sub(r"\\fldinst ", source)  # a space ends a control word: same RTF
    source = _LISTTEXT.sub("", source)
    source = _CELL.sub(r"\\tab", source)
    source = _ROW.sub(r"\\par", source)
    source = _PAR.sub(r"\\par\\par", source)
    group = font_table_group(source)
    if group:
        fonts = "".join(f"{{\\f{number}\\fcharset{charset} F;}}"
                        for number, charset in _FONT.findall(group))
        source = source.replace(group, "{\\fonttbl" + fonts + "}", 1)
    return source


def _attributes(source: str, encoding: str) -> dict[str, str]:
    """Title and author (the last of each: LibreOffice writes an ANSI one, then a Unicode
    one) and the creation date from the ``\\info`` group."""
    from striprtf.striprtf import rtf_to_text

    found: dict[str, str] = {}
    for field in _INFO.finditer(source):
        found[field.group(1)] = field.group(2)
    attributes: dict[str, str] = {}
    for name, attribute in (("title", "title"), ("author", "author")):
        if name in found:
            value = rtf_to_text("{\\rtf1 " + found[name] + "}", encoding=encoding,
                                errors="replace")
            set_attribute(attributes, attribute, value)
    if created := _CREATED.search(source):
        year, month, day = (int(part) for part in created.groups())
        set_attribute(attributes, "published", iso_date(f"{year:04d}-{month:02d}-{day:02d}"))
    return attributes


READER = Reader("Rich Text Format", frozenset({".rtf"}), read, sniff,
                media_type="application/rtf")
