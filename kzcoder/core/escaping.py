"""Text made safe for a terminal and for tab-separated records.

A name or a segment can hold any character: a newline would split a record in two, a tab
shift its columns, an ESC sequence reach the terminal and act on it. ``escape_field`` writes
every C0 and C1 control character, DEL, the Unicode line and paragraph separators, the
bidirectional controls and the invisible characters (zero width space, word joiner, BOM) as
backslash escapes (``\\n``, ``\\t``, ``\\r``, ``\\x1b``, ``\\u2028``) and doubles the backslash,
so that a record is one line and can be read back unambiguously (as PostgreSQL's COPY text
format does). ``escape_controls`` does the same without touching backslashes, for messages
meant for people (a Windows path keeps its single backslashes).
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# Bidirectional controls reorder what follows them on screen (U+202E shows "txt.exe" as
# "exe.txt") and invisible ones hide characters inside a name; both are escaped like the
# other controls. Zero-width (non-)joiners U+200C/U+200D stay: Persian, Indic scripts and
# emoji need them and they move nothing.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_INVISIBLE = (0x180E, 0x200B, 0x2060, 0xFEFF)
_CONTROLS = {code: _escape(chr(code))
             for code in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *_BIDI,
                          *_INVISIBLE)}
_FIELD = {**_CONTROLS, ord("\\"): "\\\\"}


def escape_field(text: str) -> str:
    """*text* as one field of a tab-separated record: controls escaped, backslash doubled."""
    return text.translate(_FIELD)


def escape_controls(text: str) -> str:
    """*text* with its control characters escaped, for one line of a message."""
    return text.translate(_CONTROLS)
