"""Events: the change feed of a shared project (live updates, ``kzcoder watch``).

On PostgreSQL, triggers append one event per changed row (documents, attributes, codes, coders,
codings, the project row) and notify listeners once per transaction; an advisory lock makes
event ids follow commit order, so a client that catches up by id after a reconnect misses
nothing. The same triggers give an explicit NULL id its next value (SQLite's rowid rule, which
the hot-path queries rely on). On SQLite the table exists but stays empty: a file has no other
clients to tell.

Revision ID: 0008_events
Revises: 0007_exchange_fidelity
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_events"
down_revision = "0007_exchange_fidelity"
branch_labels = None
depends_on = None

WITH_ID = ("project", "documents", "codes", "coders", "codings")
WATCHED = ("project", "documents", "document_attributes", "codes", "coders", "codings")
CHANNEL = "kzcoder_events"
# any constant: the transaction-level advisory lock that orders event ids by commit
EVENT_LOCK = 727_025

DEFAULT_ID = """
CREATE FUNCTION kz_default_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seq text := pg_get_serial_sequence(quote_ident(TG_TABLE_SCHEMA) || '.'
                                       || quote_ident(TG_TABLE_NAME), 'id');
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := nextval(seq);
    ELSIF coalesce(current_setting('kzcoder.bulk', true), '') <> 'on' THEN
        -- an explicit id (a restored coding, a merge): the sequence must never hand it out again
        EXECUTE format('SELECT setval(%L, greatest(last_value, %s)) FROM %s',
                       seq, NEW.id, seq::regclass);
    END IF;
    RETURN NEW;
END $$;
"""

EVENT = f"""
CREATE FUNCTION kz_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
    r record;
    row_id bigint;
    doc_id bigint;
BEGIN
    IF coalesce(current_setting('kzcoder.bulk', true), '') = 'on' THEN
        RETURN NULL;  -- a publish: the rows describe no change to anyone watching
    END IF;
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_TABLE_NAME = 'document_attributes' THEN
        row_id := NULL; doc_id := r.document_id;
    ELSIF TG_TABLE_NAME = 'codings' THEN
        row_id := r.id; doc_id := r.document_id;
    ELSIF TG_TABLE_NAME = 'documents' THEN
        row_id := r.id; doc_id := r.id;
    ELSE
        row_id := r.id; doc_id := NULL;
    END IF;
    PERFORM pg_advisory_xact_lock({EVENT_LOCK});
    INSERT INTO public.events (at, actor, what, action, row_id, document_id)
    VALUES (to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            session_user, TG_TABLE_NAME, lower(TG_OP), row_id, doc_id);
    RETURN NULL;
END $$;
"""

NOTIFY = f"""
CREATE FUNCTION kz_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');  -- identical payloads fold into one per transaction
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=True),
        sa.Column("document_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(DEFAULT_ID)
    op.execute(EVENT)
    op.execute(NOTIFY)
    for table in WITH_ID:
        op.execute(f"CREATE TRIGGER kz_default_id BEFORE INSERT ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION kz_default_id()")
    for table in WATCHED:
        op.execute(f"CREATE TRIGGER kz_event AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION kz_event()")
        op.execute(f"CREATE TRIGGER kz_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION kz_notify()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("kz_notify", "kz_event", "kz_default_id"):
            op.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
    op.drop_table("events")
