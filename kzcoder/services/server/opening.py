"""A project on a PostgreSQL server, as ``Project`` sees it: opening, creating in an empty
database, and the server's failures as one line (docs/server.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kzcoder.core.errors import KzError
from kzcoder.db import engine as db_engine
from kzcoder.db.backends import postgres
from kzcoder.db.backends.location import ServerLocation
from kzcoder.db.models import ProjectRow


def open_file_of(location: ServerLocation) -> postgres.ServerFile:
    """The open server database at *location* (upgraded to this kzcoder's schema), with the
    password remembered in the keyring if the URL has none (``credentials``)."""
    from kzcoder.services.server.credentials import with_saved_password

    return postgres.open_server(with_saved_password(location), db_engine.KNOWN_REVISIONS,
                                db_engine.HEAD_REVISION)


def create_on_server(cls: type, location: ServerLocation,
                     fill: Callable[[Any], object] | None) -> Any:
    """A new ``cls`` (``Project``, not imported here: it imports this module) in the empty
    database at *location*, filled by *fill*; if anything fails, the tables made are dropped
    again, so the database is left empty as it was."""
    engine = postgres.create_server_schema(location)
    project = cls(location, postgres.ServerFile(location, engine))
    try:
        project._doing = "create"
        with project.unit() as session:
            session.add(ProjectRow(id=1, name=location.database))
        if fill is not None:
            fill(project)
        project._doing = "change"
    except BaseException:
        project.close()
        drop_project_tables(location)
        raise
    return project


def drop_project_tables(location: ServerLocation) -> None:
    """Drop what a failed create left (only kzcoder's tables, in one transaction)."""
    from sqlalchemy import text

    from kzcoder.db.models import Base

    engine = postgres.make_server_engine(location)
    try:
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            connection.execute(text("DROP FUNCTION IF EXISTS kz_event() CASCADE"))
            connection.execute(text("DROP FUNCTION IF EXISTS kz_default_id() CASCADE"))
    finally:
        engine.dispose()


def failure_of(location: ServerLocation, exc: BaseException, doing: str,
               engine: Any = None) -> KzError | None:
    """What a server failure in a unit of work means (None: not the server's); a refusal by
    grants or row-level security names the login's role in the project."""
    role = ""
    if engine is not None and getattr(getattr(exc, "orig", None), "sqlstate", "") == "42501":
        role = _role_of(location, engine)
    return postgres.server_failure(location, exc, role=role, doing=doing)


def _role_of(location: ServerLocation, engine: Any) -> str:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from kzcoder.db.backends import roles

    try:
        with engine.connect() as connection:
            me = str(connection.execute(text("SELECT current_user")).scalar())
            role = roles.member_role(connection, location.database, me) or "no"
            return f"{me} ({role} role)"
    except DBAPIError:
        return ""
