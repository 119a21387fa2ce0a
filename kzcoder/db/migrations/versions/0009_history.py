"""The tamper-evident history: hash-chained entries, one per unit of work, and the state hash
of every row each one changed; a project made before it starts its history with one entry
holding every row as it is at the upgrade.

Revision ID: 0009_history
Revises: 0008_events
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_history"
down_revision = "0008_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("coder", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("previous", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
        sa.UniqueConstraint("hash", name=op.f("uq_history_hash")),
    )
    op.create_table(
        "history_rows",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("state", sa.String(64), nullable=True),  # NULL: the row was removed
        sa.ForeignKeyConstraint(["entry_id"], ["history.id"],
                                name=op.f("fk_history_rows_entry_id_history")),
        sa.PrimaryKeyConstraint("entry_id", "tbl", "key", name=op.f("pk_history_rows")),
    )
    # the hashing is kzcoder's own (core.history), shared with every later entry
    from kzcoder.db.history.tracking import begin

    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # a server's change feed is its events (0008)
        return
    begin(bind.connection.driver_connection, coder="kzcoder", action="history begins")


def downgrade() -> None:
    op.drop_table("history_rows")
    op.drop_table("history")
