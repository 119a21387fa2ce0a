"""Read a plain-text file into the stored text of a document.

Stored text = the decoded file, a leading BOM removed, line endings normalised to ``\\n``.
Nothing else changes: no Unicode normalisation, no trimming.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from kzcoder.core.errors import KzError

# The plain-text reader's own suffixes. Every accepted type: kzcoder.exchange.readers.
TEXT_SUFFIXES = frozenset({".txt", ".md"})

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's stored text and the encoding it was read with."""

    text: str
    encoding: str


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM goes. Nothing else changes."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode_bytes(data: bytes, name: str) -> DecodedText:
    """Decode a file's bytes; raise KzError naming *name* if empty, binary or unreadable."""
    if not data:
        raise KzError(f"{name}: empty file")
    text, encoding = _decode(data, name)
    text = normalise_newlines(text)
    if not text:
        raise KzError(f"{name}: empty file")
    if _looks_binary(text):
        raise KzError(f"{name}: binary file, not text")
    return DecodedText(text, encoding)


def read_text_file(path: Path) -> DecodedText:
    """Read and decode *path*; raise KzError with one line naming the file on any problem."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise KzError(f"{path.name}: not a .txt or .md file")
    return read_plain_text(path)


def read_plain_text(path: Path) -> DecodedText:
    """Read and decode *path* as plain text whatever its suffix; KzError naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KzError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    return decode_bytes(data, path.name)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.removesuffix("-sig")
            except UnicodeDecodeError as exc:
                raise KzError(f"{name}: starts with a {encoding} mark but is not valid "
                              f"{encoding} (byte {exc.start})") from exc
    if b"\x00" in data:
        raise KzError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported late: only legacy encodings need it

    best = from_bytes(data).best()
    if best is None:
        raise KzError(f"{name}: unreadable, the text encoding could not be recognised")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls > max(2, len(sample) // 1000)
