"""Read a plain-text file into the stored text of a document.

Stored text = the decoded file, a leading BOM removed, line endings normalised to ``\\n``.
Nothing else changes: no Unicode normalisation, no trimming.

How the encoding is chosen — the rule is that a text is never garbled silently: whatever is a
guess comes back as a warning (one line naming the file) with the text, and the import report
lists it.

1. **A BOM** (UTF-8, UTF-16, UTF-32) decides. Bytes that do not fit it refuse the file.
2. **NUL bytes**: UTF-16 without a BOM when the NULs fall (almost) only on one side of the
   byte pairs, as in UTF-16 of ASCII, Latin or Cyrillic text (``utf-16-le`` / ``utf-16-be``,
   no warning); any other file with a NUL byte is refused as binary.
3. **Valid UTF-8** is UTF-8 (no warning).
4. **UTF-8 with a few foreign bytes** — the usual cause is a paste from Word or Outlook into a
   UTF-8 file — is read as UTF-8, each byte that is not UTF-8 taken on its own as
   Windows-1252; the five bytes Windows-1252 leaves undefined (81 8D 8F 90 9D) become
   U+FFFD ``�``, visible in the text. The encoding stored is ``utf-8+cp1252`` and a warning
   counts the bytes and shows what they became. The threshold: the file holds at least one
   well-formed multi-byte UTF-8 character, and no more bytes that are not UTF-8 than such
   characters (the UTF-8 evidence outweighs the exceptions). A single-byte file (Windows-1251,
   Latin-1…) almost never forms a multi-byte UTF-8 character and, when it does by chance
   (``С»`` in Windows-1251), has far more bytes that are not UTF-8; it goes on to step 5.
   (A file over 256 KiB is first looked at in 16 windows of 16 KiB spread over it: when they
   hold at least 64 bytes that are not UTF-8 and 20 times more than UTF-8 characters, it goes
   to step 5 without counting the rest.)
5. **Other encodings** are detected with charset-normalizer. When its top choices tie (chaos
   within 0.005, coherence within 0.02: its own notion of a close call), the first of
   ``PREFERRED`` wins, and if none of them is among the top choices, the best of the
   ``PREFERRED`` encodings is taken when it ties with them. The result carries a warning
   naming the encoding chosen when the guess is uncertain: the encoding is not one of
   ``PREFERRED`` (e.g. mac_iceland, big5), a tied choice reads the bytes differently (typical
   of a file with only one or two non-ASCII bytes), the decoded text still looks garbled (chaos
   above 0.1), or the file is between the two: its well-formed multi-byte UTF-8 characters
   are at least 1/20 of its bytes that are not UTF-8 (fewer are chance in a single-byte text:
   ``ТАСС»`` in Windows-1251 is one).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kzcoder.core.errors import KzError

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

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
_NOT_PLAIN = frozenset({"Cc", "Co", "Cn", "Cs"})  # what UTF-16 guessed without a BOM may not hold

#: The encoding stored for UTF-8 read with some bytes taken as Windows-1252.
UTF8_WITH_CP1252 = "utf-8+cp1252"

#: The legacy encodings kzcoder's corpora come in (Western, Central European, Cyrillic and
#: Kazakh codepages), in the order that breaks a tie between the detector's top choices.
#: Names as charset-normalizer gives them. Any other detected encoding is reported.
PREFERRED = ("cp1252", "cp1251", "latin_1", "iso8859_15", "koi8_r", "koi8_u", "kz1048",
             "ptcp154", "cp866", "cp1250", "iso8859_2", "iso8859_5", "cp1254", "cp1257",
             "cp1253")
_RANK = {name: rank for rank, name in enumerate(PREFERRED)}
# Unicode is recognised by its BOM or by steps 2-3, never guessed from a few byte pairs.
_NOT_GUESSED = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be",
                "utf_7"]
_GARBLED_CHAOS = 0.1  # above this, charset-normalizer's own best reading looks garbled
_TIE_CHAOS, _TIE_COHERENCE = 0.005, 0.02  # charset-normalizer's close call (CharsetMatch.__lt__)
_WINDOWS, _WINDOW, _WINDOW_EVIDENCE = 16, 16384, 64  # where to look in a long file, and how
#                                                     many foreign bytes make it single-byte
_CHANCE_UTF8 = 20  # a single-byte text forms < 1 UTF-8 character per 20 bytes that are not UTF-8
_SHOWN_CHARACTERS = 8  # distinct characters a warning shows

# The character Windows-1252 gives each byte 0x80-0xFF, U+FFFD for the five it leaves undefined.
_CP1252 = tuple(bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0x100))
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape kept as they were
_HIGH_BYTES = bytes(range(0x80, 0x100))


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's stored text, the encoding it was read with, and what was uncertain about it
    (each warning one line naming the file)."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM goes. Nothing else changes."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode_bytes(data: bytes, name: str) -> DecodedText:
    """Decode a file's bytes (see the module docstring); raise KzError naming *name* if empty,
    binary or unreadable."""
    return _decode_taken([data], name)


def _decode_taken(box: list[bytes], name: str) -> DecodedText:
    """``decode_bytes`` of the bytes in *box*, which it takes out: once decoded they are
    freed (when nobody else holds them) before the newlines are normalised, so that a file
    is held at most twice (its bytes and its text, then its text and the normalised text)."""
    data = box.pop()
    if not data:
        raise KzError(f"{name}: empty file")
    decoded = _decode(data, name)
    del data
    text = normalise_newlines(decoded.text)
    if not text:
        raise KzError(f"{name}: empty file")
    if _looks_binary(text):
        raise KzError(f"{name}: binary file, not text")
    return DecodedText(text, decoded.encoding, decoded.warnings)


def read_text_file(path: Path) -> DecodedText:
    """Read and decode *path*; raise KzError with one line naming the file on any problem."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise KzError(f"{path.name}: not a .txt or .md file")
    return read_plain_text(path)


def read_plain_text(path: Path) -> DecodedText:
    """Read and decode *path* as plain text whatever its suffix; KzError naming the file."""
    try:
        box = [path.read_bytes()]  # handed over, not kept: see _decode_taken
    except OSError as exc:
        raise KzError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    return _decode_taken(box, path.name)


def _decode(data: bytes, name: str) -> DecodedText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise KzError(f"{name}: starts with a {encoding} mark but is not valid "
                              f"{encoding} (byte {exc.start})") from exc
    if b"\x00" in data:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise KzError(f"{name}: binary file, not text")
        return wide
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if len(data) > _WINDOWS * _WINDOW:
        # A long single-byte file is plainly one in windows spread over it: no need to count
        # all its bytes that are not UTF-8 (escaping each costs about a microsecond).
        foreign = utf8_characters = 0
        for number in range(_WINDOWS):
            start = _sequence_start(data, number * (len(data) // _WINDOWS))
            _, more_foreign, more_utf8 = _utf8_census(
                data[start:_sequence_start(data, start + _WINDOW)])
            foreign, utf8_characters = foreign + more_foreign, utf8_characters + more_utf8
        if foreign >= _WINDOW_EVIDENCE and foreign > _CHANCE_UTF8 * utf8_characters:
            return _detect_legacy(data, name, utf8_characters, foreign)
    escaped, foreign, utf8_characters = _utf8_census(data)
    if 0 < foreign <= utf8_characters:
        return _utf8_with_cp1252(escaped, foreign, name)
    return _detect_legacy(data, name, utf8_characters, foreign)


def _utf8_census(data: bytes) -> tuple[str, int, int]:
    """*data* decoded as UTF-8 with each byte that is not UTF-8 escaped (U+DC80-U+DCFF), the
    number of such bytes, and the number of well-formed multi-byte UTF-8 characters."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    foreign = _ESCAPED.subn("", escaped)[1]
    ascii_bytes = len(data.translate(None, _HIGH_BYTES))
    return escaped, foreign, len(escaped) - ascii_bytes - foreign


def _sequence_start(data: bytes, index: int) -> int:
    """*index* (at most the end of *data*), moved back over at most three continuation bytes
    so that a UTF-8 sequence is not cut at it."""
    index = min(index, len(data))
    for _ in range(3):
        if index <= 0 or index == len(data) or data[index] & 0xC0 != 0x80:
            break
        index -= 1
    return index


def _utf16_without_bom(data: bytes) -> DecodedText | None:
    """UTF-16 without a BOM: the NUL bytes are (almost) all high bytes of the code units —
    ASCII, Latin and Cyrillic text have a zero high byte in many units and a zero low byte in
    nearly none — and the bytes decode strictly to plain text: no control character but tab
    and line breaks, no private-use or unassigned code point (in the first 64 Ki characters)."""
    if len(data) % 2:
        return None
    even_zeros, odd_zeros = data[0::2].count(0), data[1::2].count(0)
    if odd_zeros >= even_zeros:
        encoding, high_zeros, low_zeros = "utf-16-le", odd_zeros, even_zeros
    else:
        encoding, high_zeros, low_zeros = "utf-16-be", even_zeros, odd_zeros
    units = len(data) // 2
    if high_zeros * 10 < units or low_zeros * 8 > high_zeros:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if any(unicodedata.category(ch) in _NOT_PLAIN and ch not in _ALLOWED_CONTROLS
           for ch in text[:65536]):
        return None
    return DecodedText(text, encoding)


def _utf8_with_cp1252(escaped: str, foreign: int, name: str) -> DecodedText:
    first = _ESCAPED.search(escaped)
    assert first is not None
    line = _line_of(escaped, first.start())
    text = _ESCAPED.sub(lambda match: _CP1252[ord(match.group()) - 0xDC80], escaped)
    shown = _shown(_CP1252[ord(match.group()) - 0xDC80] for match in _ESCAPED.finditer(escaped))
    if foreign == 1:
        detail = f"1 byte was not UTF-8 and was taken as Windows-1252 ({shown} on line {line})"
    else:
        detail = (f"{foreign} bytes were not UTF-8 and were taken as Windows-1252 ({shown}, "
                  f"first on line {line})")
    return DecodedText(text, UTF8_WITH_CP1252, (f"{name}: read as UTF-8; {detail}",))


def _detect_legacy(data: bytes, name: str, utf8_characters: int, foreign: int) -> DecodedText:
    from charset_normalizer import from_bytes  # imported late: only legacy encodings need it

    matches = list(from_bytes(data, cp_exclusion=_NOT_GUESSED))
    if not matches:
        raise KzError(f"{name}: unreadable, the text encoding could not be recognised")
    best = matches[0]
    tied = [match for match in matches if _ties(match, best)]
    if not any(_preferred_in(match) for match in tied):
        # The detector stops early and may not have tried the usual encodings at all.
        usual = list(from_bytes(data, cp_isolation=list(PREFERRED), cp_exclusion=_NOT_GUESSED))
        if usual and _ties(usual[0], best):
            tied.append(usual[0])
    candidates = sorted(((encoding, match) for match in tied for encoding in
                         _preferred_in(match) or [match.encoding]),
                        key=lambda pair: _RANK.get(pair[0], len(_RANK)))
    for encoding, match in [*candidates, (best.encoding, best)]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        chosen = match
        break
    else:
        raise KzError(f"{name}: unreadable, the text encoding could not be recognised")

    reasons = []
    if encoding not in _RANK:
        reasons.append(f"{_human(encoding)} is an unusual encoding")
    others = [m.encoding for m in tied if m is not chosen and _decodes_otherwise(data, m, text)]
    if others:
        listed = ", ".join(_human(other) for other in others[:2])
        reasons.append(f"{listed}{' and others' if len(others) > 2 else ''} would read it "
                       "differently")
    if chosen.chaos > _GARBLED_CHAOS:
        reasons.append("the text still looks garbled")
    if utf8_characters * _CHANCE_UTF8 >= foreign:
        reasons.append(f"the file mixes {utf8_characters} UTF-8 character(s) with {foreign} "
                       "byte(s) that are not UTF-8")
    if not reasons:
        return DecodedText(text, encoding)
    shown = _shown(ch for ch in text if ch >= "\x80")
    warning = (f"{name}: not UTF-8; read as {_human(encoding)}, an uncertain guess "
               f"({'; '.join(reasons)})" + (f"; its non-ASCII characters: {shown}" if shown
                                            else ""))
    return DecodedText(text, encoding, (warning,))


def _ties(match: CharsetMatch, best: CharsetMatch) -> bool:
    return (match.chaos - best.chaos < _TIE_CHAOS
            and best.coherence - match.coherence <= _TIE_COHERENCE)


def _preferred_in(match: CharsetMatch) -> list[str]:
    """The preferred encodings among those reading *match*'s bytes into the same text."""
    return [encoding for encoding in match.could_be_from_charset if encoding in _RANK]


def _decodes_otherwise(data: bytes, match: CharsetMatch, text: str) -> bool:
    try:
        return data.decode(match.encoding) != text
    except (UnicodeDecodeError, LookupError):
        return False


def _human(encoding: str) -> str:
    """A codec name as people know it: cp1251 → Windows-1251, koi8_r → KOI8-R."""
    if re.fullmatch(r"cp125\d", encoding):
        return f"Windows-{encoding[2:]}"
    return {"latin_1": "Latin-1", "iso8859_15": "ISO-8859-15", "iso8859_2": "ISO-8859-2",
            "iso8859_5": "ISO-8859-5", "koi8_r": "KOI8-R", "koi8_u": "KOI8-U",
            "kz1048": "KZ-1048", "ptcp154": "PT154", "cp866": "CP866"}.get(encoding, encoding)


def _shown(characters: Iterable[str]) -> str:
    """The first few distinct printable characters, space-separated (for one-line warnings)."""
    distinct: list[str] = []
    for ch in characters:
        if ch not in distinct and ch.isprintable():
            distinct.append(ch)
            if len(distinct) > _SHOWN_CHARACTERS:
                break
    more = len(distinct) > _SHOWN_CHARACTERS
    return " ".join(distinct[:_SHOWN_CHARACTERS]) + (" …" if more else "")


def _line_of(text: str, index: int) -> int:
    before = text[:index]
    return before.count("\n") + before.replace("\r\n", "\n").count("\r") + 1


def _looks_binary(text: str) -> bool:
    """A NUL anywhere, or more than a few other control characters in the first 64 KiB."""
    if "\x00" in text:
        return True
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls > max(2, len(sample) // 1000)
