"""Growing a hit to its whole word, sentence or paragraph, never across a blank line."""

from __future__ import annotations

import regex

from kzcoder.core.search.query import WORD_CHAR

EXPANSIONS = ("hit", "word", "sentence", "paragraph")

_WORD = regex.compile(WORD_CHAR)
_BLANK_LINE = regex.compile(r"\n[^\S\n]*\n")
# a sentence ends after . ! ? … (and closing quotes or brackets) followed by white space
_SENTENCE_END = regex.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")


def expand(text: str, start: int, end: int, unit: str) -> tuple[int, int]:
    """``[start, end)`` grown to the *unit* (one of EXPANSIONS) around it, white space at its
    edges left out."""
    if unit == "hit":
        return start, end
    if unit == "word":
        while start > 0 and _WORD.match(text, start - 1):
            start -= 1
        while end < len(text) and _WORD.match(text, end):
            end += 1
        return start, end
    low, high = _paragraph(text, start, end)
    if unit == "sentence":
        low, high = _sentence(text, start, end, low, high)
    return _trim(text, low, high, start, end)


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    low, high = 0, len(text)
    for match in _BLANK_LINE.finditer(text):
        if match.end() <= start:
            low = match.end()
        elif match.start() >= end:
            high = match.start()
            break
    return low, high


def _sentence(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    new_low, new_high = low, high
    for match in _SENTENCE_END.finditer(text, low, high):
        if match.end() <= start:
            new_low = match.end()
        elif match.end() >= end:
            new_high = match.end()
            break
    return new_low, new_high


def _trim(text: str, low: int, high: int, start: int, end: int) -> tuple[int, int]:
    while low < start and text[low].isspace():
        low += 1
    while high > end and text[high - 1].isspace():
        high -= 1
    return low, high
