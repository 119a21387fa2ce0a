"""Search: a full-text index of the documents' texts (SQLite FTS5, kept by triggers in the same
transaction as every change to a document) and saved groups of name variants.

Revision ID: 0005_search_index
Revises: 0004_code_memos
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_search_index"
down_revision = "0004_code_memos"
branch_labels = None
depends_on = None

# Case folding for every script Unicode folds; no diacritic removal (й is not и, ё is not е);
# combining marks stay inside a word as they do in the search's own word pattern.
# detail=none: the index keeps which documents have a word, not where. It only chooses the
# documents to read (the hits are found in the texts), and with positions FTS5 held every
# position of a large text in memory while it was inserted (5x the text's size for 24 MB).
_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

_STATEMENTS = (
    "CREATE VIRTUAL TABLE search_index USING fts5(text, content='documents', "
    f"content_rowid='id', detail=none, tokenize=\"{_TOKENIZER}\")",
    "CREATE TRIGGER search_index_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO search_index (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER search_index_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER search_index_update AFTER UPDATE OF text ON documents BEGIN "
    "INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO search_index (rowid, text) VALUES (new.id, new.text); END",
    # the documents a project already has (nothing when it is new)
    "INSERT INTO search_index (search_index) VALUES ('rebuild')",
)


def upgrade() -> None:
    op.create_table(
        "name_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("spelling", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_variants")),
        sa.UniqueConstraint("spelling", name=op.f("uq_name_variants_spelling")),
    )
    op.create_index(op.f("ix_name_variants_group_id"), "name_variants", ["group_id"])
    if op.get_bind().dialect.name != "sqlite":  # FTS5 is SQLite's; a server has no index yet
        return
    for statement in _STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_index(op.f("ix_name_variants_group_id"), table_name="name_variants")
        op.drop_table("name_variants")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER search_index_{trigger}")
    op.execute("DROP TABLE search_index")
    op.drop_index(op.f("ix_name_variants_group_id"), table_name="name_variants")
    op.drop_table("name_variants")
