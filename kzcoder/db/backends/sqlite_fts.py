"""The full-text index in SQLite: an FTS5 table over ``documents.text`` (external content),
kept by triggers in the same transaction as every change to a document (migration
0005_search_index)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from functools import cache

from sqlalchemy.orm import Session

from kzcoder.core.search import cases
from kzcoder.core.search.query import And, Node, Not, Term
from kzcoder.db.queries import raw

#: the index's tokenizer (migration 0005_search_index)
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

#: the index's own tables (the FTS5 table and its shadow tables), not part of the models
INDEX_TABLES = ("search_index", "search_index_data", "search_index_idx", "search_index_docsize",
                "search_index_config")


#: spellings of one word the index is asked for at most, before it is not asked at all
MAX_SPELLINGS = 256


class _Unfoldable(Exception):
    """A word the index cannot be asked for soundly: every document is a candidate."""


def render(node: Node) -> str:
    """*node* in FTS5's query syntax (each word quoted, so none is read as an operator). The
    index keeps no positions (``detail=none``): a phrase becomes all of its words, which every
    document with the phrase has. A word with a character the tokenizer folds otherwise than
    the matcher is asked in each such spelling (``spellings``); _Unfoldable when it cannot be."""
    if isinstance(node, Term):
        words = []
        for index, word in enumerate(node.words):
            star = "*" if node.prefix and index == len(node.words) - 1 else ""
            forms = [f'"{w.replace(chr(34), chr(34) * 2)}"{star}' for w in spellings(word)]
            words.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
        return words[0] if len(words) == 1 else "(" + " AND ".join(words) + ")"
    if isinstance(node, Not):
        raise ValueError("a prefilter has no NOT")
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(render(part) for part in node.parts) + ")"


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
        """The ids of the documents (among *documents*, when given) that match *prefilter*;
        every document when a word cannot be asked soundly (``spellings``)."""
        try:
            query = render(prefilter)
        except _Unfoldable:
            every = {row[0] for row in raw(session).execute("SELECT id FROM documents")}
            return every if documents is None else every & set(documents)
        rows = raw(session).execute("SELECT rowid FROM search_index WHERE search_index MATCH ?",
                                    (query,))
        found = {row[0] for row in rows}
        return found if documents is None else found & set(documents)
