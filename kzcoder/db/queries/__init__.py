"""Queries beside the schema, one module per table group; services compose them.

Most take an ORM ``Session`` and use SQLAlchemy. A few hot paths (a document's codings and text
on opening, retrieval, one coding by key) go through ``raw()``, the DB-API connection of the
same unit of work: for tens of thousands of rows SQLAlchemy's result processing cost four times
what SQLite itself did. Each such function says so.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.orm import Session

#: ids per ``IN (...)`` clause, well under SQLite's variable limit
CHUNK = 900


def raw(session: Session) -> sqlite3.Connection:
    """The DB-API connection under *session*, inside its current transaction (on PostgreSQL,
    an adapter that takes the same SQL: ``db/backends/pg_raw.py``)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from kzcoder.db.backends.pg_raw import Connection

        return Connection(connection.connection.driver_connection)  # type: ignore[return-value]
    return connection.connection.driver_connection


def is_postgres(session: Session) -> bool:
    """Whether *session* runs on a PostgreSQL server (for the few SQLite-only statements)."""
    return session.get_bind().dialect.name == "postgresql"


def chunks(ids: list[int]) -> list[list[int]]:
    """*ids* cut into pieces that fit one ``IN (...)`` clause."""
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
