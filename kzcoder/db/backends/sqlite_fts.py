"""The full-text index in SQLite: an FTS5 table over the documents' texts, each document as
chunks of its text (``db/queries/search_chunks``, migration 0010_search_chunks).

A query is answered per document, not per row: each word is looked up on its own, its rows
become the documents they belong to, and the AND/OR of the prefilter is applied to those sets.
So the words of an AND, or of a phrase, may lie in different chunks of a document. A document
the index does not hold is a candidate for every query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from functools import cache

from sqlalchemy.orm import Session

from kzcoder.core.search import cases
from kzcoder.core.search.query import And, Node, Not, Or, Term
from kzcoder.db.queries import raw, search_chunks

#: the index's tokenizer (migrations 0005_search_index and 0010_search_chunks)
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

#: the index's own tables (the FTS5 table, its shadow tables and its helpers), not models
INDEX_TABLES = ("search_index", "search_index_data", "search_index_idx", "search_index_docsize",
                "search_index_config", "search_index_documents", "search_chunk_numbers")


#: spellings of one word the index is asked for at most, before it is not asked at all
MAX_SPELLINGS = 256


class _Unfoldable(Exception):
    """A word the index cannot be asked for soundly: every document is a candidate."""


def render(word: str, prefix: bool = False) -> str:
    """*word* in FTS5's query syntax, each quoted so that none is read as an operator: the word,
    or its spellings joined by OR when the tokenizer folds one of its characters otherwise than
    the matcher (``spellings``); _Unfoldable when it cannot be asked soundly."""
    star = "*" if prefix else ""
    return " OR ".join(f"{_quoted(form)}{star}" for form in spellings(word))


def spellings(word: str) -> list[str]:
    """*word* and its spellings with the characters the matcher takes for one of its
    characters (case ignored) but the tokenizer folds to another token (``unfolded``): a
    token the matcher finds *word* in folds like one of them."""
    found = [""]
    for char in word:
        others = unfolded(char)
        if others is None:
            raise _Unfoldable(char)
        found = [f"{w}{c}" for w in found for c in (char, *others)]
        if len(found) > MAX_SPELLINGS:
            raise _Unfoldable(word)
    return found


@cache
def unfolded(char: str) -> tuple[str, ...] | None:
    """The characters the matcher takes for *char* (case ignored) that the tokenizer does not
    fold as it folds *char* ('İ' for 'i', Cyrillic Extended-C for 'т': it knows an older
    Unicode), each a word character to it; None when one is not."""
    if not cases.known():
        return ()  # nothing to check against: the index is trusted as before
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(f'CREATE VIRTUAL TABLE t USING fts5(x, detail=none, '
                           f'tokenize="{TOKENIZER}")')
        others = sorted(cases.same_case(char) - {char})
        connection.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)",
                               list(enumerate(others, start=1)))
        alike = {row[0] for row in connection.execute(
            "SELECT rowid FROM t WHERE t MATCH ?", (_quoted(char),))}
        apart = tuple(c for number, c in enumerate(others, start=1) if number not in alike)
        for other in apart:  # inside a word it must stay inside the word
            connection.execute("DELETE FROM t")
            connection.execute("INSERT INTO t (x) VALUES (?)", (f"x{other}x",))
            if connection.execute("SELECT count(*) FROM t WHERE t MATCH ?",
                                  (_quoted(f"x{other}x"),)).fetchone()[0] != 1:
                return None
        return apart
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SqliteFts:
    """The FTS5 index of a project file."""

    def candidates(self, session: Session, prefilter: Node,
                   documents: Collection[int] | None = None) -> set[int]:
        """The ids of the documents (among *documents*, when given) that match *prefilter*:
        every document that has each word it requires (the index keeps no positions, so a
        phrase is all of its words), every document the index does not hold, and every
        document when a word cannot be asked soundly (``spellings``)."""
        db = raw(session)
        looked_up: dict[str, set[int]] = {}

        def having(query: str) -> set[int]:
            if query not in looked_up:
                looked_up[query] = {row[0] for row in db.execute(
                    f"SELECT DISTINCT rowid >> {search_chunks.SHIFT} FROM search_index "
                    "WHERE search_index MATCH ?", (query,))}
            return looked_up[query]

        def evaluate(node: Node) -> set[int]:
            if isinstance(node, Term):
                last = len(node.words) - 1
                found = [having(render(word, node.prefix and number == last))
                         for number, word in enumerate(node.words)]
                return set.intersection(*found)
            if isinstance(node, Not):
                raise ValueError("a prefilter has no NOT")
            parts = [evaluate(part) for part in node.parts]
            if isinstance(node, And):
                return set.intersection(*parts)
            assert isinstance(node, Or)
            return set.union(*parts)

        try:
            found = evaluate(prefilter) | set(search_chunks.unindexed(db))
        except _Unfoldable:
            found = {row[0] for row in db.execute("SELECT id FROM documents")}
        return found if documents is None else found & set(documents)
