"""What a selection becomes when it is coded: no white space at its ends and, if asked, no
word cut in two.

A triple-click selects a paragraph with its line break, a quick drag stops a letter short of a
word's end ("if necessar"); a coded segment should hold neither (a spreadsheet cell with a
blank line, a half word in a quotation). Offsets are code points, end exclusive.
"""

from __future__ import annotations

#: characters that join two letters into one word ("don't", "state-run")
JOINERS = frozenset("'’-‐")


def _letter(char: str) -> bool:
    return char.isalnum() or char == "_"


def _in_word(text: str, index: int) -> bool:
    """The character at *index* is part of a word (a joiner only between two letters)."""
    char = text[index]
    if _letter(char):
        return True
    return (char in JOINERS and 0 < index < len(text) - 1
            and _letter(text[index - 1]) and _letter(text[index + 1]))


def cuts_word(text: str, boundary: int) -> bool:
    """The boundary *boundary* (between ``text[boundary-1]`` and ``text[boundary]``) lies
    inside a word."""
    return 0 < boundary < len(text) and _in_word(text, boundary - 1) and _in_word(text, boundary)


def tidy_span(text: str, start: int, end: int, *, whole_words: bool = True
              ) -> tuple[int, int] | None:
    """``[start, end)`` of *text* without white space at either end and, with *whole_words*,
    widened to the whole words it cuts. None when the selection holds only white space.

    Trimming comes first, so a selection that ends in a line break after a cut word still
    reaches the word's end, never past the break.
    """
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if whole_words:
        while cuts_word(text, start):
            start -= 1
        while cuts_word(text, end):
            end += 1
    return start, end
