"""Finding a query in a text: the documents it matches and, in each, its hits as code-point
spans ``[start, end)`` of the text itself.

Boolean operators choose documents; every occurrence of a term that is not negated is a hit.
A term is found with a regular expression over the raw text (case-insensitive, whole words,
the words of a phrase separated by anything that is not a word), so offsets are those of the
stored text in every script, characters outside the BMP included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from kzcoder.core.search.errors import SearchInputError
from kzcoder.core.search.forms import stem, stem_prefix
from kzcoder.core.search.query import (
    WORD_CHAR,
    And,
    Node,
    Not,
    Or,
    Term,
    parse,
    positive_terms,
    words_of,
)

#: seconds one document may take to match a regular expression before the search stops
REGEX_TIMEOUT = 2.0

Span = tuple[int, int]
_SEPARATOR = f"(?:(?!{WORD_CHAR}).)+"
_FLAGS = regex.IGNORECASE | regex.DOTALL


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """How a query is read: ``forms`` (match word forms), ``variants`` (groups of spellings
    taken as one term; empty when turned off), ``regex`` (the query is a regular expression)."""

    forms: bool = False
    variants: tuple[tuple[str, ...], ...] = ()
    regex: bool = False


def _fold(words: Iterable[str]) -> str:
    return " ".join(word.casefold() for word in words)


def alternatives(term: Term, variants: Sequence[Sequence[str]]) -> list[Term]:
    """*term* and, when it is a spelling in a group of name variants, every other spelling."""
    if not term.prefix:
        folded = _fold(term.words)
        for group in variants:
            spellings = [words_of(spelling) for spelling in group]
            if any(_fold(words) == folded for words in spellings if words):
                return [Term(words) for words in spellings if words]
    return [term]


class _TermMatcher:
    """Every occurrence of one term (with its variants, and forms if asked) in a text."""

    def __init__(self, term: Term, options: SearchOptions) -> None:
        self.terms = alternatives(term, options.variants)
        self.forms = options.forms
        self.patterns = [self._compile(t) for t in self.terms]

    def _compile(self, term: Term) -> regex.Pattern[str]:
        parts = []
        for index, word in enumerate(term.words):
            last = index == len(term.words) - 1
            if self.forms:
                parts.append(f"(?P<w{index}>{regex.escape(stem_prefix(word))}{WORD_CHAR}*)")
            else:
                tail = f"{WORD_CHAR}*" if term.prefix and last else ""
                parts.append(regex.escape(word) + tail)
        body = _SEPARATOR.join(parts)
        return regex.compile(f"(?<!{WORD_CHAR}){body}(?!{WORD_CHAR})", _FLAGS)

    def spans(self, text: str) -> list[Span]:
        found: set[Span] = set()
        for term, pattern in zip(self.terms, self.patterns, strict=True):
            for match in pattern.finditer(text):
                if self.forms and not self._same_forms(term, match):
                    continue
                found.add(match.span())
        return sorted(found)

    @staticmethod
    def _same_forms(term: Term, match: regex.Match[str]) -> bool:
        for index, word in enumerate(term.words):
            token = match.group(f"w{index}")
            if term.prefix and index == len(term.words) - 1:
                if not stem(token).startswith(stem(word)):
                    return False
            elif stem(token) != stem(word):
                return False
        return True


class CompiledQuery:
    """A parsed query ready to be matched against many texts."""

    def __init__(self, query: str, options: SearchOptions) -> None:
        self.options = options
        self.tree: Node | None = None
        self._regex: regex.Pattern[str] | None = None
        if options.regex:
            self._regex = compile_regex(query)
            return
        self.tree = parse(query)
        self._matchers = {id(t): _TermMatcher(t, options) for t in _all_terms(self.tree)}
        self._positive = positive_terms(self.tree)

    def hits(self, text: str, *, where: str = "") -> list[Span]:
        """The hits in *text*, in order; none when the text does not match."""
        if self._regex is not None:
            return regex_hits(self._regex, text, where=where)
        assert self.tree is not None
        found: dict[int, list[Span]] = {}

        def spans(term: Term) -> list[Span]:
            if id(term) not in found:
                found[id(term)] = self._matchers[id(term)].spans(text)
            return found[id(term)]

        if not _holds(self.tree, spans):
            return []
        return sorted({span for term in self._positive for span in spans(term)})

    def prefilter(self) -> Node | None:
        """A query over words only that every matching document matches too (what a full-text
        index can answer), or None when every document must be read (regex, pure negation)."""
        if self.tree is None:
            return None
        return _prefilter(self.tree, self.options)


def _all_terms(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _all_terms(node.part)
    return [term for part in node.parts for term in _all_terms(part)]


def _holds(node: Node, spans) -> bool:  # noqa: ANN001 - a local closure
    if isinstance(node, Term):
        return bool(spans(node))
    if isinstance(node, Not):
        return not _holds(node.part, spans)
    if isinstance(node, And):
        return all(_holds(part, spans) for part in node.parts)
    return any(_holds(part, spans) for part in node.parts)


def _prefilter(node: Node, options: SearchOptions) -> Node | None:
    if isinstance(node, Not):
        return None
    if isinstance(node, Term):
        terms = alternatives(node, options.variants)
        if options.forms:
            terms = [Term(tuple(stem_prefix(w) for w in t.words), True) for t in terms]
            if any(not all(t.words) for t in terms):
                return None
        return terms[0] if len(terms) == 1 else Or(tuple(terms))
    parts = [_prefilter(part, options) for part in node.parts]
    if isinstance(node, Or):
        if any(part is None for part in parts):
            return None
        return Or(tuple(p for p in parts if p is not None))
    kept = tuple(p for p in parts if p is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else And(kept)


def compile_regex(pattern: str) -> regex.Pattern[str]:
    """*pattern* as a Python-style regular expression; KzError (one line) when it is not one."""
    if not pattern:
        raise SearchInputError("empty regular expression")
    try:
        return regex.compile(pattern, regex.VERSION0)
    except (regex.error, ValueError, OverflowError) as exc:
        raise SearchInputError(f"bad regular expression {pattern!r}: {exc}") from None


def regex_hits(pattern: regex.Pattern[str], text: str, *, where: str = "") -> list[Span]:
    """Non-empty matches of *pattern* in *text*; KzError when it runs longer than
    REGEX_TIMEOUT seconds (a pattern that backtracks without end)."""
    try:
        return [m.span() for m in pattern.finditer(text, timeout=REGEX_TIMEOUT)
                if m.end() > m.start()]
    except TimeoutError:
        place = f" in {where}" if where else ""
        raise SearchInputError(
            f"regular expression {pattern.pattern!r} ran over {REGEX_TIMEOUT:g} s{place}; "
            "the search was stopped, make the pattern more specific") from None
