"""The query language: words (all must occur), ``OR``, ``NOT``/``-word``, parentheses,
``"exact phrase"`` and ``prefix*``, parsed into a small tree.

``AND`` binds tighter than ``OR``; juxtaposition is ``AND``. Operators are upper case only, so
that the word "or" can still be searched (as in SQLite FTS5 and most search engines).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from kzcoder.core.search.errors import SearchInputError

#: a character that belongs to a word (what SQLite FTS5's unicode61 tokenizer keeps in a token)
WORD_CHAR = r"[\p{L}\p{N}\p{M}\p{Co}]"
_WORD = regex.compile(WORD_CHAR + "+")
_LEXEME = regex.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<phrase>"[^"]*"?)'
                        r'|(?P<minus>-)(?=[^\s)])|(?P<bare>[^\s()"]+))')


@dataclass(frozen=True, slots=True)
class Term:
    """Words to find one after another (one word, or an exact phrase); ``prefix`` makes the
    last word match any word it begins."""

    words: tuple[str, ...]
    prefix: bool = False

    def __str__(self) -> str:
        text = " ".join(self.words)
        return (f'"{text}"' if len(self.words) > 1 else text) + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Node


Node = Term | And | Or | Not


def words_of(text: str) -> tuple[str, ...]:
    """The words of *text*, as the index cuts them."""
    return tuple(_WORD.findall(text))


def parse(query: str) -> Node:
    """The tree of *query*; KzError (one line) for an empty or malformed query."""
    if not query.strip():
        raise SearchInputError("empty query: give at least one word")
    tokens = _lex(query)
    parser = _Parser(tokens, query)
    node = parser.expression()
    if parser.pos < len(tokens):
        raise SearchInputError(f"query {query!r}: unexpected {tokens[parser.pos][1]!r}")
    return node


def _lex(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(query):
        match = _LEXEME.match(query, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        kind = match.lastgroup
        assert kind is not None
        value = match.group(kind)
        if kind == "bare" and value in ("AND", "OR", "NOT"):
            kind = value
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], query: str) -> None:
        self.tokens, self.query, self.pos = tokens, query, 0

    def _peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def _fail(self, why: str) -> SearchInputError:
        return SearchInputError(f"query {self.query!r}: {why}")

    def expression(self) -> Node:
        parts = [self._conjunction()]
        while self._peek() == "OR":
            self.pos += 1
            parts.append(self._conjunction())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def _conjunction(self) -> Node:
        parts = [self._unary()]
        while self._peek() not in (None, "OR", "close"):
            if self._peek() == "AND":
                self.pos += 1
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _unary(self) -> Node:
        kind = self._peek()
        if kind in ("NOT", "minus"):
            self.pos += 1
            return Not(self._unary())
        return self._atom()

    def _atom(self) -> Node:
        kind = self._peek()
        if kind is None:
            raise self._fail("it ends where a word was expected")
        value = self.tokens[self.pos][1]
        self.pos += 1
        if kind == "open":
            node = self.expression()
            if self._peek() != "close":
                raise self._fail("a '(' is not closed")
            self.pos += 1
            return node
        if kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise self._fail('a \'"\' is not closed')
            return self._term(value[1:-1], value)
        if kind in ("bare",):
            return self._term(value, value)
        raise self._fail(f"unexpected {value!r}")

    def _term(self, text: str, shown: str) -> Term:
        prefix = text.endswith("*")
        words = words_of(text[:-1] if prefix else text)
        if not words:
            raise self._fail(f"{shown!r} has no word in it")
        return Term(words, prefix)


def positive_terms(node: Node, negated: bool = False) -> list[Term]:
    """The terms whose occurrences are hits: those not under an odd number of NOTs."""
    if isinstance(node, Term):
        return [] if negated else [node]
    if isinstance(node, Not):
        return positive_terms(node.part, not negated)
    return [term for part in node.parts for term in positive_terms(part, negated)]
