"""``publish`` (a local project into an empty server database) and ``clone`` (a server project
into a new local file): whole copies, each one transaction on the server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError

from kzcoder.core.errors import KzError
from kzcoder.db.backends import copying, postgres
from kzcoder.db.backends.location import ServerLocation, parse_location
from kzcoder.db.history import tracking as history
from kzcoder.db.migrate import upgrade_in
from kzcoder.db.models import Document, ProjectRow
from kzcoder.db.queries import raw, search_chunks
from kzcoder.services.project import HISTORY_LABEL, Project
from kzcoder.services.server.opening import open_file_of


def _server(url: str | ServerLocation) -> ServerLocation:
    location = parse_location(url)
    if not isinstance(location, ServerLocation):
        raise KzError(f"{url}: not a postgresql:// URL")
    return location


def publish(source: str | Path, url: str | ServerLocation) -> dict[str, int]:
    """Copy the project file *source* into the empty database at *url*: the schema and every
    row (same ids and GUIDs) in one server transaction, so a failure leaves it empty. Returns
    the rows copied per table. KzError if the database is not empty or cannot be reached."""
    location = _server(url)
    if isinstance(source, ServerLocation) or (isinstance(source, str)
                                              and isinstance(parse_location(source),
                                                             ServerLocation)):
        raise KzError(f"{source}: publish copies a project file; give a .kzc file")
    engine = postgres.make_server_engine(location)
    try:
        present = postgres.tables(engine)
        if present:
            raise KzError(f"{location}: the database is not empty ({len(present)} tables); "
                          "publish needs an empty one")
        with Project.open(source) as local, local.engine.connect() as reader, \
                engine.begin() as target:
            upgrade_in(target)
            target.execute(text("SET LOCAL kzcoder.bulk = 'on'"))
            with reader.begin():  # one SQLite transaction: one state of the file
                counts = copying.copy_project(reader, target)
            copying.reset_sequences(target)
    except DBAPIError as exc:
        raise postgres.server_failure(location, exc, doing="create") or exc from exc
    finally:
        engine.dispose()
    return counts


def clone(url: str | ServerLocation, dest: str | Path) -> dict[str, int]:
    """A new project file *dest* with everything in the server project at *url*, read in one
    REPEATABLE READ transaction (one consistent state while others keep coding). Nothing is
    left at *dest* if it fails (``Project.create``)."""
    location = _server(url)
    counts: dict[str, int] = {}
    server = open_file_of(location)
    try:
        with server.engine.connect().execution_options(
                isolation_level="REPEATABLE READ") as reader, reader.begin():
            reader.execute(text("SET TRANSACTION READ ONLY"))

            def fill(project: Project) -> None:
                with project.unit() as session:
                    session.execute(delete(ProjectRow))
                    counts.update(copying.copy_project(reader, session.connection()))
                    search_chunks.index_unindexed(raw(session))
                    # the file's history starts with every row it received, in one entry
                    session.info[HISTORY_LABEL] = f"cloned from {location}"
                    history.note(raw(session), "documents",
                                 session.scalars(select(Document.id)).all())

            Project.create(dest, fill=fill).close()
    except DBAPIError as exc:
        raise postgres.server_failure(location, exc, doing="open") or exc from exc
    finally:
        server.close()
    return counts
