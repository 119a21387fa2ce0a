"""A project in a PostgreSQL database: the engine, the schema-version gate, creating the schema
in an empty database, and what the server's failures mean to the user.

The same models and Alembic migrations as a file; what differs is here. Every message names the
database by its URL without a password (``ServerLocation.shown``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError

from kzcoder.core.errors import KzError
from kzcoder.db.backends.location import ServerLocation

CONNECT_TIMEOUT_S = 10
PROJECT_TABLES = {"alembic_version", "project"}


@dataclass
class ServerFile:
    """An open server project: what ``ProjectFile`` is for a file."""

    path: ServerLocation
    engine: Engine
    read_only: str = ""
    snapshot: None = None
    closed: bool = field(default=False, init=False)

    def close(self) -> None:
        """Close every connection to the server."""
        if not self.closed:
            self.closed = True
            self.engine.dispose()


def make_server_engine(location: ServerLocation) -> Engine:
    """An engine on the server database: psycopg, a connection checked before use (a server
    restart must not fail the next unit), the TLS settings of the URL as given. A unit of
    work is one READ COMMITTED transaction, like a file's it commits once or not at all."""
    return create_engine(location.url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                                       "application_name": "kzcoder"})


def tables(engine: Engine) -> set[str]:
    """The tables in the database's search path."""
    return set(inspect(engine).get_table_names())


def read_server_revision(location: ServerLocation, engine: Engine) -> str:
    """The database's schema revision; KzError if it is not a kzcoder project."""
    present = tables(engine)
    if not present >= PROJECT_TABLES:
        what = "an empty database" if not present else "a database, but not a kzcoder project"
        raise KzError(f"{location}: {what} (kzcoder publish FILE URL puts a project there)")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    if row is None:
        raise KzError(f"{location} is damaged: it has no schema version")
    return row[0]


def open_server(location: ServerLocation, known: tuple[str, ...], head: str) -> ServerFile:
    """Open a server project, upgrading an older schema (the server's own backups are the
    administrator's: docs/server.md). KzError if it cannot be reached or is not a project."""
    engine = make_server_engine(location)
    try:
        revision = read_server_revision(location, engine)
        if revision not in known:
            raise KzError(f"{location}: written by a newer version of kzcoder (schema "
                          f"{revision}); update kzcoder to open it")
        if revision != head:
            from kzcoder.db.migrate import upgrade_to_head

            upgrade_to_head(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise server_failure(location, exc, doing="open") or exc from exc
    except BaseException:
        engine.dispose()
        raise
    return ServerFile(location, engine)


def create_server_schema(location: ServerLocation) -> Engine:
    """Run every migration in an empty database; KzError (nothing changed) if it has tables."""
    engine = make_server_engine(location)
    try:
        present = tables(engine)
        if present:
            raise KzError(f"{location}: the database is not empty ({len(present)} tables); "
                          "give an empty one")
        from kzcoder.db.migrate import upgrade_to_head

        upgrade_to_head(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise server_failure(location, exc, doing="create") or exc from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


_PRIVILEGE = "42501"  # insufficient_privilege (grants and row-level security)
_UNIQUE, _FOREIGN, _CHECK = "23505", "23503", "23514"
_SERIALIZATION = ("40001", "40P01")


def server_failure(location: ServerLocation, exc: BaseException, *, role: str = "",
                   doing: str = "change") -> KzError | None:
    """The KzError that says what a server failure means, or None (a constraint the caller
    maps itself, or a bug). Never shows a password."""
    original = getattr(exc, "orig", None) or exc
    state = getattr(original, "sqlstate", None) or ""
    message = str(original).strip().splitlines()[0] if str(original).strip() else ""
    outcome = {"open": "it was not opened", "create": "the project was not created"}.get(
        doing, "your change was not saved")
    if state == _PRIVILEGE:
        who = role or f"login role {location.user or '(default)'}"
        return KzError(f"{location}: {who} may not do this ({message}); {outcome}")
    if state in _SERIALIZATION:
        return KzError(f"{location}: someone else changed the same thing at the same moment; "
                       f"{outcome}, try again")
    if state.startswith("08") or state.startswith("57P") or (
            isinstance(exc, OperationalError | psycopg.OperationalError) and not state):
        return KzError(f"{location}: connection lost or refused ({_no_secret(message, location)})"
                       f"; {outcome}")
    if state.startswith("28"):
        return KzError(f"{location}: the server refused the login "
                       f"({_no_secret(message, location)})")
    if state == "3D000":
        return KzError(f"{location}: no such database on the server")
    return None


def _no_secret(message: str, location: ServerLocation) -> str:
    password = location.url.password
    return message.replace(str(password), "***") if password else message
