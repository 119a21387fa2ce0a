"""Document sets: saved filters (dynamic) and hand-picked lists (static) of documents.

Revision ID: 0006_document_sets
Revises: 0005_search_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_document_sets"
down_revision = "0005_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=7), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.CheckConstraint("kind IN ('dynamic', 'static')", name=op.f("ck_document_sets_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_sets")),
        sa.UniqueConstraint("guid", name=op.f("uq_document_sets_guid")),
        sa.UniqueConstraint("name", name=op.f("uq_document_sets_name")),
    )
    op.create_table(
        "document_set_members",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["set_id"], ["document_sets.id"],
                                name=op.f("fk_document_set_members_set_id_document_sets"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_set_members_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("set_id", "document_id", name=op.f("pk_document_set_members")),
    )
    op.create_index(op.f("ix_document_set_members_document_id"), "document_set_members",
                    ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_set_members_document_id"), table_name="document_set_members")
    op.drop_table("document_set_members")
    op.drop_table("document_sets")
