"""Selections tidied for coding: white space trimmed, words not cut (core/snapping.py),
checked against a plain model: the words as a regular expression finds them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kzcoder.core.snapping import tidy_span

WORD = re.compile(r"\w+(?:['’\-‐]\w+)*")


def model(text: str, start: int, end: int, whole_words: bool) -> tuple[int, int] | None:
    piece = text[start:end]
    if not piece.strip():
        return None
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if whole_words:
        for word in WORD.finditer(text):
            if word.start() < start < word.end():
                start = word.start()
            if word.start() < end < word.end():
                end = word.end()
    return start, end


texts = st.text(alphabet="ab é1_-'’ \n\t.,", max_size=40)


@given(texts, st.data(), st.booleans())
def test_tidy_span_matches_the_model(text, data, whole_words):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    got = tidy_span(text, start, end, whole_words=whole_words)
    assert got == model(text, start, end, whole_words)
    if got is not None:
        piece = text[got[0]:got[1]]
        assert piece == piece.strip() and piece
        assert tidy_span(text, *got, whole_words=whole_words) == got  # tidy stays tidy


def test_the_issue_examples():
    text = "Police used live firearms only if necessary.\nThe next paragraph"
    start = text.index("ve firearms")
    end = text.index("necessary") + len("necessar")
    assert text[slice(*tidy_span(text, start, end))] == "live firearms only if necessary"
    assert tidy_span(text, start, end, whole_words=False) == (start, end)
    paragraph = (0, text.index("\n") + 1)  # a triple-click takes the line break
    assert text[slice(*tidy_span(text, *paragraph))] == "Police used live firearms only if " \
                                                        "necessary."
    assert tidy_span(text, text.index("\n"), text.index("\n") + 1) is None
    other = "They don't stop"
    assert other[slice(*tidy_span(other, 7, 9))] == "don't"
    other = "state-run media"
    assert other[slice(*tidy_span(other, 2, 7))] == "state-run"
