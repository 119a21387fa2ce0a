"""A server project's search index: a trigram GIN index over documents.text (pg_trgm, a
trusted extension since PostgreSQL 13 that the database owner may create). A project file
keeps its FTS5 index (0005); nothing changes there. A server where the extension cannot be
created keeps working without the index (search then scans every text on the server, and
says so in one line: ``services.search.searching.index_notice``).

Revision ID: 0011_server_search_index
Revises: 0010_search_chunks
"""

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0011_server_search_index"
down_revision = "0010_search_chunks"
branch_labels = None
depends_on = None

INDEX = "ix_documents_text_trgm"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a savepoint: a refusal leaves the rest of the upgrade
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            bind.exec_driver_sql(f"CREATE INDEX {INDEX} ON documents "
                                 "USING gin (text gin_trgm_ops)")
    except DBAPIError as exc:
        why = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        logging.getLogger("kzcoder").warning(
            "no search index on this server (pg_trgm: %s); search scans every text", why)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
