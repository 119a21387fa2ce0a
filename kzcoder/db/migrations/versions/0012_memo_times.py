"""When a memo of the project, a document, a code or a coding was last changed (REFI-QDA's
``modifiedDateTime`` of its note), kept apart from the rows by the owner's GUID: GUIDs are
kept by every undo, so a restored coding finds its memo's time again, and the hot ``codings``
table is not widened.

On a server it also gives the tables of 0006 and 0007 that an undo restores under their own
ids (annotations, code sets, journal entries; document sets alike) 0008's ``kz_default_id``
trigger: their inserts name the id column, and PostgreSQL, unlike SQLite, stores an explicit
NULL instead of taking the next id.

Revision ID: 0012_memo_times
Revises: 0011_server_search_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_memo_times"
down_revision = "0011_server_search_index"
branch_labels = None
depends_on = None

_WITH_ID = ("annotations", "code_sets", "journal", "document_sets")


def upgrade() -> None:
    op.create_table(
        "memo_times",
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("modified", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("guid", name=op.f("pk_memo_times")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in _WITH_ID:
            op.execute(f"DROP TRIGGER IF EXISTS kz_default_id ON {table}")
            op.execute(f"CREATE TRIGGER kz_default_id BEFORE INSERT ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION kz_default_id()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _WITH_ID:
            op.execute(f"DROP TRIGGER IF EXISTS kz_default_id ON {table}")
    op.drop_table("memo_times")
