"""Word forms: the Snowball stem of a word (English for Latin script, Russian for Cyrillic), so
that terrorist, terrorists and террорист, террористах, ТЕРРОРИСТЫ each meet on one stem."""

from __future__ import annotations

from functools import cache, lru_cache

import regex

_CYRILLIC = regex.compile(r"\p{Cyrillic}")


@cache
def _stemmer(language: str):  # noqa: ANN202 - snowballstemmer's class has no public type
    import snowballstemmer  # here: only --forms needs it, and a search starts faster without

    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of *word*, lower-cased; words of one stem are forms of one another."""
    lowered = word.lower()
    language = "russian" if _CYRILLIC.search(lowered) else "english"
    return _stemmer(language).stemWord(lowered)


def stem_prefix(word: str) -> str:
    """What every form of *word* is taken to begin with: the part its lower-cased self and its
    stem share (Snowball changes the end of a word, happy -> happi, never its beginning)."""
    lowered, root = word.lower(), stem(word)
    size = 0
    while size < min(len(lowered), len(root)) and lowered[size] == root[size]:
        size += 1
    return lowered[:size]
