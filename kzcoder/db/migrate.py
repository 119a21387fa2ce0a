"""Alembic, driven from code: the migrations live in ``kzcoder/db/migrations``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision the migrations know."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade_to_head(engine: Engine) -> None:
    """Run every pending migration on *engine* in one transaction."""
    with engine.begin() as connection:
        upgrade_in(connection)


def upgrade_in(connection: Connection) -> None:
    """Run every pending migration inside *connection*'s transaction (on PostgreSQL, whose
    DDL is transactional, a publish creates the schema and copies the rows as one)."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
