"""The characters a case-insensitive search takes as one character: what the matcher
(``core.search.matching``, the ``regex`` module's IGNORECASE, simple case folding) matches for
each character of a word. A server's index is asked with these classes spelled out, so that
its answer does not depend on the server's locale."""

from __future__ import annotations

from functools import cache

import regex

try:
    # the matcher's own table: Python's str.lower/upper know an older Unicode and map 'İ' to
    # two characters, so they cannot say what ``regex`` takes as the same character
    from regex._regex import get_all_cases
except ImportError:  # pragma: no cover - a regex without it: no classes, the server scans
    get_all_cases = None


def known() -> bool:
    """Whether the classes can be told (else an index must not be asked: read every text)."""
    return get_all_cases is not None


@cache
def same_case(char: str) -> frozenset[str]:
    """Every character the matcher takes for *char* when case is ignored (*char* included)."""
    assert get_all_cases is not None
    return frozenset(chr(point) for point in get_all_cases(regex.IGNORECASE, ord(char))) | {char}


def posix_pattern(word: str) -> str:
    """A PostgreSQL regular expression (ARE) that matches wherever the matcher finds *word*
    with case ignored: each character as the bracket of its ``same_case`` characters, written
    as ``\\u``/``\\U`` escapes so that no character is read as an operator."""
    parts = []
    for char in word:
        cases = sorted(same_case(char))
        escaped = "".join(_escape(c) for c in cases)
        parts.append(escaped if len(cases) == 1 else f"[{escaped}]")
    return "".join(parts)


def _escape(char: str) -> str:
    point = ord(char)
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"
