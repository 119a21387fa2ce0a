"""The one boundary between Qt's UTF-16 positions and the code points spans are stored in.

Qt counts UTF-16 code units: a character above U+FFFF (most emoji, CJK extension B) takes two,
a surrogate pair. Stored spans count Unicode code points, as Python's ``str`` and REFI-QDA do.
Everything the gui hands to or takes from a ``QTextCursor`` goes through these functions.

Rule for a UTF-16 position that falls between the two halves of a surrogate pair: it rounds
down to the start of that character, so a span never contains half a character.
Positions outside ``0 ..= length`` raise ValueError.

This module does not import Qt: it is plain arithmetic over ``str``.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SCAN_CHUNK = 65_536  # code points searched for astral characters at a time


def utf16_length(text: str) -> int:
    """How many UTF-16 code units *text* takes."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for _ in _ASTRAL.finditer(text))


def utf16_to_codepoint(text: str, pos16: int) -> int:
    """The code-point index of UTF-16 position *pos16* in *text* (O(n); see PositionMap).

    A position inside a surrogate pair rounds down to the start of its character.
    """
    encoded = text.encode("utf-16-le", "surrogatepass")
    if not 0 <= pos16 <= len(encoded) // 2:
        raise ValueError(f"UTF-16 position {pos16} is outside 0..{len(encoded) // 2}")
    head = encoded[: 2 * pos16]
    after = encoded[2 * pos16 : 2 * pos16 + 2]
    if (head and after and 0xD800 <= int.from_bytes(head[-2:], "little") <= 0xDBFF
            and 0xDC00 <= int.from_bytes(after, "little") <= 0xDFFF):
        head = head[:-2]  # between the halves of a pair: round down to the character start
    return len(head.decode("utf-16-le", "surrogatepass"))


def codepoint_to_utf16(text: str, cp: int) -> int:
    """The UTF-16 position of code-point index *cp* in *text* (O(n); see PositionMap)."""
    if not 0 <= cp <= len(text):
        raise ValueError(f"code-point position {cp} is outside 0..{len(text)}")
    return len(text[:cp].encode("utf-16-le", "surrogatepass")) // 2


class PositionMap:
    """Converts positions in one text both ways in O(log n).

    Built once per document: it records the code-point index of every character above U+FFFF.
    A text without such characters (nearly all) needs no table, and conversion is the identity.
    """

    __slots__ = ("_astral_16", "_astral_cp", "_scanned", "_text", "length", "length16")

    def __init__(self, text: str) -> None:
        self._text = text
        self.length = len(text)
        self._astral_cp: list[int] = []
        # UTF-16 start of each astral character: each earlier one added a unit
        self._astral_16: list[int] = []
        if text.isascii():
            self.length16 = self.length
        else:  # one pass in C for the length; the positions are found when first needed
            self.length16 = len(text.encode("utf-16-le", "surrogatepass")) // 2
        # code points [0, _scanned) have been searched for astral characters
        self._scanned = self.length if self.length16 == self.length else 0

    def _scan_to(self, cp: int) -> None:
        """Know every astral character before code point *cp* (searching a chunk at a time:
        opening a megabyte document converts positions near where it opens, not everywhere)."""
        if cp <= self._scanned:
            return
        end = min(self.length, max(cp, self._scanned + _SCAN_CHUNK))
        for match in _ASTRAL.finditer(self._text, self._scanned, end):
            self._astral_16.append(match.start() + len(self._astral_cp))
            self._astral_cp.append(match.start())
        self._scanned = end

    @property
    def is_identity(self) -> bool:
        """True when the text has no character above U+FFFF."""
        return self.length16 == self.length

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point index *cp*."""
        if not 0 <= cp <= self.length:
            raise ValueError(f"code-point position {cp} is outside 0..{self.length}")
        if self.length16 == self.length:
            return cp
        self._scan_to(cp)
        return cp + bisect_left(self._astral_cp, cp)

    def to_codepoint(self, pos16: int) -> int:
        """Code-point index of UTF-16 position *pos16*; inside a pair it rounds down."""
        if not 0 <= pos16 <= self.length16:
            raise ValueError(f"UTF-16 position {pos16} is outside 0..{self.length16}")
        if self.length16 == self.length:
            return pos16
        # An astral character starting before UTF-16 position pos16 starts before code point
        # pos16 too, so scanning that far finds them all.
        self._scan_to(min(pos16, self.length))
        # every astral character starting before pos16 counts one extra unit; one that starts
        # at pos16 - 1 (pos16 is inside it) counts too, which lands on its start
        return pos16 - bisect_left(self._astral_16, pos16)
