"""The rows of the full-text index (SQLite's FTS5 table ``search_index``, migration
0010_search_chunks): each document is indexed as chunks of its text's UTF-8 bytes.

Why chunks: FTS5 takes a row whole, and one row holding a 24 MB text cost five times the text
in memory while it was imported. Chunk *k* of a document is bytes ``[k * CHUNK, k * CHUNK +
CHUNK + OVERLAP)`` of its text, at row ``id << SHIFT | k``; so a word of up to ``OVERLAP`` bytes
(less the few bytes of a character cut at a chunk's edge) is whole in at least one chunk. A
cut may split a character; the index sees a stray byte there, which can only add words, so the
index stays a superset of what it should hold. The search asks about each word separately and
joins the answers per document (``backends/sqlite_fts``), so words of an AND or a phrase may
lie in different chunks.

Why here and not in a trigger: any AFTER INSERT trigger on ``documents`` makes SQLite copy the
new row for it, twice the text's size; so the unit that adds a document indexes it (a blob
read, a chunk at a time). A document nobody indexed is simply not in
``search_index_documents``, and the search reads it as if every word matched. Deletions and
text changes are followed by triggers (they are not on the import's path).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

#: a chunk's row is its document's id shifted by this, plus its number
SHIFT = 20
#: bytes between the starts of two chunks
CHUNK = 1 << 20
#: bytes each chunk reaches into the next
OVERLAP = 1 << 16


def index_documents(db: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Add the documents *ids* (stored, not yet indexed) to the index, reading each text a
    chunk at a time from the database (SQLite only; inside the caller's transaction)."""
    for document_id in ids:
        # read straight through (an encrypted project's blob cannot seek): each chunk is a
        # piece and the start of the next
        with db.blobopen("documents", "text", document_id, readonly=True) as blob:
            piece, number = blob.read(CHUNK), 0
            while piece:
                following = blob.read(CHUNK)
                db.execute("INSERT INTO search_index (rowid, text) VALUES (?, CAST(? AS TEXT))",
                           ((document_id << SHIFT) + number, piece + following[:OVERLAP]))
                piece, number = following, number + 1
        db.execute("INSERT INTO search_index_documents (document_id) VALUES (?)",
                   (document_id,))


def unindexed(db: sqlite3.Connection) -> list[int]:
    """The documents the index does not hold (added by a way that did not index them)."""
    return [row[0] for row in db.execute(
        "SELECT id FROM documents WHERE id NOT IN "
        "(SELECT document_id FROM search_index_documents) ORDER BY id")]


def index_unindexed(db: sqlite3.Connection) -> int:
    """Index every document the index does not hold; how many."""
    ids = unindexed(db)
    index_documents(db, ids)
    return len(ids)
