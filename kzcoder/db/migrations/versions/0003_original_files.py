"""Original files: the bytes each document was imported from, in a table of their own.

Revision ID: 0003_original_files
Revises: 0002_covering_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_original_files"
down_revision = "0002_covering_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "original_files",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_original_files_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_original_files")),
    )


def downgrade() -> None:
    op.drop_table("original_files")
