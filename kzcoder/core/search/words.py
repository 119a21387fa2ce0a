"""Word frequencies: how often each word occurs, and in how many documents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from kzcoder.core.search.query import WORD_CHAR

_WORD = regex.compile(f"{WORD_CHAR}+")
_HAS_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True, slots=True)
class WordCount:
    """A word (lower-cased), its occurrences and the number of documents it occurs in."""

    word: str
    count: int
    documents: int


class WordCounter:
    """Counts words over pieces of text, each piece belonging to a document."""

    def __init__(self, stopwords: Iterable[str] = ()) -> None:
        self.stopwords = frozenset(word.lower() for word in stopwords)
        self.counts: Counter[str] = Counter()
        self._documents: dict[str, set[int]] = {}

    def add(self, document_id: int, text: str) -> None:
        """Count the words of *text* (part or whole of document *document_id*)."""
        here = Counter(word.lower() for word in _WORD.findall(text))
        for word, count in here.items():
            if word in self.stopwords or not _HAS_LETTER.search(word):
                continue
            self.counts[word] += count
            self._documents.setdefault(word, set()).add(document_id)

    def top(self, limit: int | None = None) -> list[WordCount]:
        """The words by count (then alphabetically), the first *limit* of them."""
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [WordCount(word, count, len(self._documents[word])) for word, count in ranked]
