"""Exchange fidelity: codes that are categories (``codable``), the journal (free memos), code
sets, notes anchored to a span (annotations), and the form each GUID was imported in.

Revision ID: 0007_exchange_fidelity
Revises: 0006_document_sets
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_exchange_fidelity"
down_revision = "0006_document_sets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not a batch rebuild: see 0004 (the expression index on sibling names)
    op.add_column("codes", sa.Column("codable", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("modified", sa.String(32), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_journal"),
        sa.UniqueConstraint("guid", name="uq_journal_guid"),
        sa.UniqueConstraint("title", name="uq_journal_title"),
    )
    op.create_table(
        "code_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_code_sets"),
        sa.UniqueConstraint("guid", name="uq_code_sets_guid"),
        sa.UniqueConstraint("name", name="uq_code_sets_name"),
    )
    op.create_table(
        "code_set_members",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["set_id"], ["code_sets.id"], ondelete="CASCADE",
                                name="fk_code_set_members_set_id_code_sets"),
        sa.ForeignKeyConstraint(["code_id"], ["codes.id"], ondelete="CASCADE",
                                name="fk_code_set_members_code_id_codes"),
        sa.PrimaryKeyConstraint("set_id", "code_id", name="pk_code_set_members"),
    )
    op.create_index("ix_code_set_members_code_id", "code_set_members", ["code_id"])
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"',
                           name="ck_annotations_span_order"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_annotations_document_id_documents"),
        sa.PrimaryKeyConstraint("id", name="pk_annotations"),
        sa.UniqueConstraint("guid", name="uq_annotations_guid"),
    )
    op.create_index("ix_annotations_document_id", "annotations", ["document_id"])
    op.create_table(
        "guid_forms",
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("guid", name="pk_guid_forms"),
    )


def downgrade() -> None:
    op.drop_table("guid_forms")
    op.drop_index("ix_annotations_document_id", "annotations")
    op.drop_table("annotations")
    op.drop_index("ix_code_set_members_code_id", "code_set_members")
    op.drop_table("code_set_members")
    op.drop_table("code_sets")
    op.drop_table("journal")
    op.drop_column("codes", "codable")  # SQLite >= 3.35
