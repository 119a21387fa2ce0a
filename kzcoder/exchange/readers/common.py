"""What the readers of rich formats share: how extracted text becomes stored text, and how
the metadata found in a file becomes attributes.

The stored text is fixed at import (codings index into it forever), so every reader makes it
the same way: line endings ``\\n``, typographic ligature glyphs as their letters, no control
characters but tab and newline, no spaces at line ends, paragraphs separated by one blank line,
no blank lines at either end. Letters, accents and quotes are never changed otherwise.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from kzcoder.core.errors import KzError

#: Ligature glyphs (Unicode's Alphabetic Presentation Forms) as the letters they stand for.
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
_LIGATURE_TABLE = str.maketrans(LIGATURES)
# C0/C1 controls but tab and newline; U+FEFF (a stray BOM); U+FFFE/U+FFFF (not characters)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """*text* as stored: see the module docstring (idempotent: ``tidy(tidy(x)) == tidy(x)``)."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text.translate(_LIGATURE_TABLE))
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def join_blocks(blocks: Iterable[str]) -> str:
    """Paragraphs (or pages, or chapters) joined with one blank line; empty ones dropped."""
    return "\n\n".join(part for part in (tidy_text(block) for block in blocks) if part.strip())


def require_text(text: str, name: str, reason: str) -> str:
    """*text*, or KzError ``"{name}: {reason}"`` when it holds nothing but white space."""
    if not text.strip():
        raise KzError(f"{name}: {reason}")
    return text


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def iso_date(value: object) -> str:
    """The calendar date in *value* as ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY`` when that is
    all it says), or "" when it holds none: accepts a ``datetime``/``date``, ISO 8601 text
    (``2022-01-07T10:00:00Z``) and PDF dates (``D:20220107100000+06'00'``)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    text = str(value or "").strip()
    found = _ISO_DATE.match(text)
    parts = found.groups() if found else None
    if parts is None and (found := _PDF_DATE.match(text)):
        parts = tuple(part for part in found.groups() if part)
    if not parts:
        return ""
    try:
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                      int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return ""
    return "-".join(parts)


def set_attribute(attributes: dict[str, str], name: str, value: object) -> None:
    """Set *name* to *value* with its white space collapsed, unless that leaves nothing (an
    empty value is no attribute)."""
    cleaned = " ".join(str(value or "").split())
    if cleaned:
        attributes[name] = cleaned
