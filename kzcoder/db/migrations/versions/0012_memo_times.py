"""When a memo of the project, a document, a code or a coding was last changed (REFI-QDA's
``modifiedDateTime`` of its note), kept apart from the rows by the owner's GUID: GUIDs are
kept by every undo, so a restored coding finds its memo's time again, and the hot ``codings``
table is not widened.

Revision ID: 0012_memo_times
Revises: 0011_server_search_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_memo_times"
down_revision = "0011_server_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "memo_times",
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("modified", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("guid", name=op.f("pk_memo_times")),
    )


def downgrade() -> None:
    op.drop_table("memo_times")
