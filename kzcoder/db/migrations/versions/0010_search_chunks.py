"""The full-text index holds each document as chunks of its text (a megabyte apart, each
reaching 64 KiB into the next), so that a very large text is indexed a chunk at a time: one
FTS5 row of a whole 24 MB text cost five times the text in memory. The unit that adds a
document indexes it (``db/queries/search_chunks``; an insert trigger would make SQLite copy the
whole row); triggers still follow deletions and changed texts. The index is rebuilt here for
the documents a project already has, a chunk at a time.

Revision ID: 0010_search_chunks
Revises: 0009_history
"""

from alembic import op

from kzcoder.db.queries import search_chunks

revision = "0010_search_chunks"
down_revision = "0009_history"
branch_labels = None
depends_on = None

# the same tokenizer as 0005_search_index
_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
# chunk geometry, as db/queries/search_chunks has it (the triggers and the view repeat it)
_SHIFT, _CHUNK, _REACH = 20, 1 << 20, (1 << 20) + (1 << 16)
# a chunk number never reaches this: SQLite holds no value of 2 GiB
_NUMBERS = 2048


def _chunks(row: str) -> str:
    """The chunks of *row*'s text (``old``, ``new``) with their row numbers, for a trigger."""
    return (f"SELECT ({row}.id << {_SHIFT}) + n, CAST(substr(CAST({row}.text AS BLOB), "
            f"n * {_CHUNK} + 1, {_REACH}) AS TEXT) FROM search_chunk_numbers "
            f"WHERE n * {_CHUNK} < length(CAST({row}.text AS BLOB))")


_DELETE_OLD = (f"INSERT INTO search_index (search_index, rowid, text) SELECT 'delete', * FROM "
               f"({_chunks('old')}) WHERE EXISTS (SELECT 1 FROM search_index_documents "
               "WHERE document_id = old.id); "
               "DELETE FROM search_index_documents WHERE document_id = old.id;")

_STATEMENTS = (
    "DROP TRIGGER IF EXISTS search_index_insert",
    "DROP TRIGGER IF EXISTS search_index_delete",
    "DROP TRIGGER IF EXISTS search_index_update",
    "DROP TABLE IF EXISTS search_index",
    "CREATE TABLE search_chunk_numbers (n INTEGER PRIMARY KEY)",
    "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k "
    f"WHERE n + 1 < {_NUMBERS}) INSERT INTO search_chunk_numbers (n) SELECT n FROM k",
    "CREATE TABLE search_index_documents (document_id INTEGER PRIMARY KEY)",
    # what the index should hold, for FTS5's integrity-check (the search never reads it);
    # a chunk starts at most at 4 bytes per code point, hence the cheap bound on n first
    "CREATE VIEW search_chunks (chunk, text) AS SELECT (d.id << 20) + k.n, "
    f"CAST(substr(CAST(d.text AS BLOB), k.n * {_CHUNK} + 1, {_REACH}) AS TEXT) "
    "FROM documents d JOIN search_index_documents i ON i.document_id = d.id "
    f"JOIN search_chunk_numbers k ON k.n <= d.length / {_CHUNK // 4} "
    f"AND k.n * {_CHUNK} < length(CAST(d.text AS BLOB))",
    "CREATE VIRTUAL TABLE search_index USING fts5(text, content='search_chunks', "
    f"content_rowid='chunk', detail=none, tokenize=\"{_TOKENIZER}\")",
    f"CREATE TRIGGER search_index_delete AFTER DELETE ON documents BEGIN {_DELETE_OLD} END",
    "CREATE TRIGGER search_index_update AFTER UPDATE OF text ON documents BEGIN "
    f"{_DELETE_OLD} INSERT INTO search_index (rowid, text) {_chunks('new')}; "
    "INSERT INTO search_index_documents (document_id) VALUES (new.id); END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":  # FTS5 is SQLite's; a server has no index
        return
    assert (_SHIFT, _CHUNK, _REACH) == (search_chunks.SHIFT, search_chunks.CHUNK,
                                        search_chunks.CHUNK + search_chunks.OVERLAP)
    for statement in _STATEMENTS:
        op.execute(statement)
    search_chunks.index_unindexed(op.get_bind().connection.driver_connection)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in ("DROP TRIGGER search_index_delete", "DROP TRIGGER search_index_update",
                      "DROP TABLE search_index", "DROP VIEW search_chunks",
                      "DROP TABLE search_index_documents", "DROP TABLE search_chunk_numbers"):
        op.execute(statement)
    # 0005's index, whole texts in one row each
    for statement in (
        "CREATE VIRTUAL TABLE search_index USING fts5(text, content='documents', "
        f"content_rowid='id', detail=none, tokenize=\"{_TOKENIZER}\")",
        "CREATE TRIGGER search_index_insert AFTER INSERT ON documents BEGIN "
        "INSERT INTO search_index (rowid, text) VALUES (new.id, new.text); END",
        "CREATE TRIGGER search_index_delete AFTER DELETE ON documents BEGIN "
        "INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', old.id, "
        "old.text); END",
        "CREATE TRIGGER search_index_update AFTER UPDATE OF text ON documents BEGIN "
        "INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', old.id, "
        "old.text); INSERT INTO search_index (rowid, text) VALUES (new.id, new.text); END",
        "INSERT INTO search_index (search_index) VALUES ('rebuild')",
    ):
        op.execute(statement)
