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
    """The DB-API connection under *session*, inside its current transaction."""
    return session.connection().connection.driver_connection


def chunks(ids: list[int]) -> list[list[int]]:
    """*ids* cut into pieces that fit one ``IN (...)`` clause."""
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
