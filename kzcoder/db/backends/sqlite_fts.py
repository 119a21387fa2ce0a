"""The full-text index in SQLite: an FTS5 table over the documents' texts, each document as
chunks of its text (``db/queries/search_chunks``, migration 0010_search_chunks).

A query is answered per document, not per row: each word is looked up on its own, its rows
become the documents they belong to, and the AND/OR of the prefilter is applied to those sets.
So the words of an AND, or of a phrase, may lie in different chunks of a document. A document
the index does not hold is a candidate for every query.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from kzcoder.core.search.query import And, Node, Not, Or, Term
from kzcoder.db.queries import raw, search_chunks

#: the index's own tables (the FTS5 table, its shadow tables and its helpers), not models
INDEX_TABLES = ("search_index", "search_index_data", "search_index_idx", "search_index_docsize",
                "search_index_config", "search_index_documents", "search_chunk_numbers")


def render(word: str, prefix: bool = False) -> str:
    """*word* in FTS5's query syntax (quoted, so that it is never read as an operator)."""
    return f'"{word.replace(chr(34), chr(34) * 2)}"' + ("*" if prefix else "")


class SqliteFts:
    """The FTS5 index of a project file."""

    def candidates(self, session: Session, prefilter: Node,
                   documents: Collection[int] | None = None) -> set[int]:
        """The ids of the documents (among *documents*, when given) that match *prefilter*:
        every document that has each word it requires (the index keeps no positions, so a
        phrase is all of its words), and every document the index does not hold."""
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

        found = evaluate(prefilter) | set(search_chunks.unindexed(db))
        return found if documents is None else found & set(documents)
