"""Code memos: an analytic memo on each code (REFI-QDA's Note), apart from its definition.

Revision ID: 0004_code_memos
Revises: 0003_original_files
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_code_memos"
down_revision = "0003_original_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (SQLite has it): a batch rebuild of the table would lose the
    # expression index on sibling names, which cannot be reflected
    op.add_column("codes", sa.Column("memo", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("codes", "memo")  # SQLite >= 3.35
