"""The full-text index in SQLite: an FTS5 table over ``documents.text`` (external content),
kept by triggers in the same transaction as every change to a document (migration
0005_search_index)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from kzcoder.core.search.query import And, Node, Not, Term
from kzcoder.db.queries import raw

#: the index's own tables (the FTS5 table and its shadow tables), not part of the models
INDEX_TABLES = ("search_index", "search_index_data", "search_index_idx", "search_index_docsize",
                "search_index_config")


def render(node: Node) -> str:
    """*node* in FTS5's query syntax (each word quoted, so none is read as an operator). The
    index keeps no positions (``detail=none``): a phrase becomes all of its words, which every
    document with the phrase has."""
    if isinstance(node, Term):
        words = [f'"{word.replace(chr(34), chr(34) * 2)}"' for word in node.words]
        if node.prefix:
            words[-1] += "*"
        return words[0] if len(words) == 1 else "(" + " AND ".join(words) + ")"
    if isinstance(node, Not):
        raise ValueError("a prefilter has no NOT")
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(render(part) for part in node.parts) + ")"


class SqliteFts:
    """The FTS5 index of a project file."""

    def candidates(self, session: Session, prefilter: Node,
                   documents: Collection[int] | None = None) -> set[int]:
        """The ids of the documents (among *documents*, when given) that match *prefilter*."""
        rows = raw(session).execute("SELECT rowid FROM search_index WHERE search_index MATCH ?",
                                    (render(prefilter),))
        found = {row[0] for row in rows}
        return found if documents is None else found & set(documents)
