"""A source's text as kzcoder stores it, and its selections put on the characters the other
program meant.

The stored text is the file's text decoded, a leading BOM removed and line endings made
``\\n`` (CRLF and lone CR), exactly as kzcoder's plain-text reader stores any text file; nothing
else changes. REFI-QDA counts positions in Unicode code points of the file, end exclusive, but
not every program does (SOURCE.md): NVivo has been measured to count UTF-16 code units, on
Windows over the CRLF text. So four ways of counting are considered:

========================  ================================================================
``code points of file``   the standard: code points of the file's text (CRLF counts two)
``UTF-16 of file``        UTF-16 code units of the file's text
``code points of LF``     code points of the text with ``\\n`` line endings
``UTF-16 of LF``          UTF-16 code units of the text with ``\\n`` line endings
========================  ================================================================

They differ only when the text has CRLF or characters beyond the BMP (emoji, 𝕏), and only for
selections after one. The standard is kept unless the selections do not fit it: some run past
the end of the text or fall between a CR and its LF under it and fewer do under another way; or
all fit both, but under the other way clearly fewer selection ends fall inside a word (fewer
than half, and at least three fewer). Files kzcoder wrote are always read by the standard.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kzcoder.core.errors import KzError
from kzcoder.exchange.text_reader import decode_bytes, normalise_newlines

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source's text: as in the file (BOM removed, line endings as they were) and as
    stored; the encoding it was read in and what was uncertain about it."""

    raw: str
    stored: str
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()


def decode_source(data: bytes, name: str) -> SourceText:
    """The text of a source's text file (KzError naming *name* if it is not text)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                raw = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise KzError(f"{name}: starts with a {encoding} mark but is not "
                              f"{encoding}") from exc
            raw = raw.removeprefix("\ufeff")
            return SourceText(raw, normalise_newlines(raw), encoding.removesuffix("-sig"))
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        decoded = decode_bytes(data, name)  # kzcoder's own guess, with its warnings
        try:
            raw = data.decode(decoded.encoding)
        except (LookupError, UnicodeDecodeError):
            raw = decoded.text
        if normalise_newlines(raw) != decoded.text:
            raw = decoded.text
        return SourceText(raw, decoded.text, decoded.encoding, decoded.warnings)
    return SourceText(raw, normalise_newlines(raw))


def from_content(content: str) -> SourceText:
    """The text of a ``PlainTextContent`` (the XML parser has already made its CRLF ``\\n``,
    unless they were written as character references)."""
    return SourceText(content, normalise_newlines(content))


@dataclass(frozen=True, slots=True)
class Units:
    """A way of counting positions: in UTF-16 code units or code points, over the file's
    line endings or ``\\n`` ones."""

    label: str
    utf16: bool
    on_file: bool


STANDARD = Units("code points of the file's text", False, True)
UTF16_FILE = Units("UTF-16 code units of the file's text (CRLF as two)", True, True)
POINTS_LF = Units("code points of the text with LF line endings", False, False)
UTF16_LF = Units("UTF-16 code units of the text with LF line endings", True, False)


class Positions:
    """Maps positions counted in some ``Units`` to code points of the stored text."""

    def __init__(self, text: SourceText) -> None:
        self.text = text
        raw = text.raw
        self._crs = [m.start() for m in _CRLF.finditer(raw)]
        self._after_cr = {i + 1 for i in self._crs}
        self._raw_astral = _utf16_starts(raw)
        self._stored_astral = _utf16_starts(text.stored) if self._crs else self._raw_astral

    @property
    def has_crlf(self) -> bool:
        """Whether the file's text has CRLF line endings."""
        return bool(self._crs)

    def describe(self, units: Units) -> str:
        """*units*' label, without what it says about CRLF when the text has none."""
        return units.label if self._crs else units.label.split(" (")[0]

    def units(self) -> list[Units]:
        """The ways of counting that give different positions in this text (the standard
        first)."""
        found = [STANDARD]
        if self._raw_astral:
            found.append(UTF16_FILE)
        if self._crs:
            found.append(POINTS_LF)
            if self._raw_astral:
                found.append(UTF16_LF)
        return found

    def mapper(self, units: Units) -> Callable[[int], int | None]:
        """Position in *units* -> code point of the stored text (None: no such place)."""
        stored_length, raw_length = len(self.text.stored), len(self.text.raw)
        crs = self._crs

        def on_file(position: int) -> int | None:
            if units.utf16:
                position = _from_utf16(self._raw_astral, position)
                if position is None:
                    return None
            if not 0 <= position <= raw_length:
                return None
            return position - bisect_left(crs, position) if crs else position

        def on_lf(position: int) -> int | None:
            if units.utf16:
                position = _from_utf16(self._stored_astral, position)
                if position is None:
                    return None
            return position if 0 <= position <= stored_length else None

        return on_file if units.on_file else on_lf

    def _between_cr_lf(self, units: Units, position: int) -> bool:
        if not (units.on_file and self._after_cr):
            return False
        if units.utf16:
            position = _from_utf16(self._raw_astral, position) or 0
        return position in self._after_cr

    def choose(self, spans: Sequence[tuple[int, int]], origin: str) -> Units:
        """The way of counting *spans* that fits them (see the module docstring)."""
        candidates = self.units()
        if len(candidates) == 1 or origin.lower().startswith("kzcoder"):
            return STANDARD
        if "nvivo" in origin.lower():  # measured to count UTF-16: tried first after the standard
            candidates.sort(key=lambda u: (u is not STANDARD, not u.utf16, not u.on_file))
        scores = {units: self._score(units, spans) for units in candidates}
        best = STANDARD
        for units in candidates[1:]:
            hard, soft = scores[units]
            best_hard, best_soft = scores[best]
            if hard < best_hard or (hard == best_hard and 2 * soft < best_soft
                                    and best_soft - soft >= 3):
                best = units
        return best

    def _score(self, units: Units, spans: Sequence[tuple[int, int]]) -> tuple[int, int]:
        """(selections that do not fit or split a CRLF, ends inside a word)."""
        to_stored = self.mapper(units)
        stored = self.text.stored
        hard = soft = 0
        for start, end in spans:
            a, b = to_stored(start), to_stored(end)
            if a is None or b is None or a >= b:
                hard += 1
                continue
            if self._between_cr_lf(units, start) or self._between_cr_lf(units, end):
                hard += 1
            soft += _inside_word(stored, a) + _inside_word(stored, b)
        return hard, soft


def nvivo_copy(stored: str) -> tuple[str, Callable[[int], int]]:
    """The text NVivo for Windows counts in (the stored text with CRLF line endings) and the
    map from a code point of the stored text to a position as NVivo counts it: UTF-16 code
    units of that copy. Its inverse is ``Positions(...).mapper(UTF16_FILE)``."""
    newlines = [match.start() for match in re.finditer("\n", stored)]
    astral = [match.start() for match in _ASTRAL.finditer(stored)]

    def to_nvivo(position: int) -> int:
        return position + bisect_left(newlines, position) + bisect_left(astral, position)

    return stored.replace("\n", "\r\n"), to_nvivo


def _utf16_starts(text: str) -> list[int]:
    """Where each character beyond the BMP starts, in UTF-16 code units."""
    return [match.start() + count for count, match in enumerate(_ASTRAL.finditer(text))]


def _from_utf16(starts: list[int], unit: int) -> int | None:
    """The code point at UTF-16 offset *unit* (None: inside a surrogate pair)."""
    before = bisect_left(starts, unit)
    if before and starts[before - 1] + 1 == unit:
        return None
    return unit - before


def _inside_word(text: str, position: int) -> bool:
    if not 0 < position < len(text):
        return False
    after = text[position]
    return (text[position - 1].isalnum() and after.isalnum()) or bool(
        unicodedata.combining(after))
