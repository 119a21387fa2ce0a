"""An open project file and the unit of work every service call runs in.

Every failure of SQLite that is about the file, its disk or another program (locked, read-only,
full, damaged) leaves ``Project.unit()`` as a KzError that names the file and says what to do;
the unit was rolled back, so the project is as it was.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kzcoder.core.errors import KzError
from kzcoder.core.lru import SizedLRU
from kzcoder.db import cipher
from kzcoder.db import engine as db_engine
from kzcoder.db.backends import location as locations
from kzcoder.db.backends.location import ServerLocation
from kzcoder.db.engine import ProjectFile, create_schema, open_schema
from kzcoder.db.history import tracking as history
from kzcoder.db.models import ProjectRow
from kzcoder.db.queries import raw as queries_raw
from kzcoder.db.snapshot import wal_notice

PROJECT_SUFFIX = ".kzc"
TEXT_CACHE_BUDGET = 64_000_000  # code points


class Project:
    """One open ``.kzc`` file. Each service call opens one short session and commits it.

    ``read_only`` is True when the file, its folder or its disk may not be written: it was
    opened ``mode=ro``, reading works, every change is refused with ``read_only_reason``.
    """

    def __init__(self, path: Path | ServerLocation, file: ProjectFile) -> None:
        #: the file, or the server database (``docs/server.md``); ``str()`` never shows a password
        self.path = path
        self.is_server = isinstance(path, ServerLocation)
        self._file = file
        self._engine = file.engine
        self._sessions = sessionmaker(file.engine, expire_on_commit=False)
        self._readers = sessionmaker(file.engine.execution_options(**{db_engine.READ_UNIT: True}),
                                     expire_on_commit=False)
        self.read_only_reason = file.read_only
        self.read_only = bool(file.read_only)
        self._doing = "change"  # how a failure is worded: "change", "open" or "create"
        #: stored texts read recently, by their SHA-256 (a text never changes, so never stale)
        self.texts: SizedLRU[str] = SizedLRU(TEXT_CACHE_BUDGET)
        #: who the history names for the changes made through this object (see ``unit``)
        self.actor = default_actor()
        if not (self.read_only or self.is_server):  # SQLite's temporary triggers note changes
            event.listen(self._engine, "checkout", _track_changes)

    @classmethod
    def create(cls, path: str | Path, *,
               fill: Callable[[Project], object] | None = None,
               passphrase: str | None = None) -> Project:
        """Create a new project file (filled by *fill*, if given) and open it; KzError if it
        exists or cannot be made.

        The project is built in a hidden file beside *path* (``.NAME.kzc.partial-PID``),
        closed as one self-contained file, and only then given its name: a crash or a kill
        leaves no *path*, or a complete one. A partial file left by a killed process is deleted
        here. *fill* runs with ``project.path`` already *path*, on the partial file. With
        *passphrase* the file is encrypted from its first page (``db.cipher``).

        *path* may be a ``postgresql://`` URL of an empty database
        (``services/server/opening.py``).
        """
        if locations.is_server_location(path):
            from kzcoder.services.server.opening import create_on_server

            return create_on_server(cls, locations.parse_location(path), fill)
        path = Path(path).expanduser().absolute()
        if path.suffix.lower() != PROJECT_SUFFIX:
            raise KzError(f"{path.name}: a project file name must end in {PROJECT_SUFFIX}")
        if path.exists() or path.is_symlink():
            raise KzError(f"{path}: already exists; choose another name or open it")
        if not path.parent.is_dir():
            raise KzError(f"{path.parent}: no such folder")
        if not db_engine.may_write(path.parent):
            raise KzError(f"{path}: cannot be created, its folder is read-only")
        db_engine.clean_partials(path)
        partial = db_engine.partial_path(path)
        raw_key = cipher.new_key(passphrase) if passphrase is not None else None
        if raw_key is not None:
            cipher.register(partial, raw_key)
        project = None
        try:
            try:
                project = cls(path, ProjectFile(partial, create_schema(partial)))
                project._doing = "create"
                with project.unit() as session:
                    session.add(ProjectRow(id=1, name=path.stem))
                if fill is not None:
                    fill(project)
                project.close()
                if not db_engine.is_single_file(partial):
                    raise KzError(f"{path}: could not be completed (its journal could not be "
                                  "written into it); nothing was created")
                db_engine.place_new(partial, path)
                if raw_key is not None:
                    cipher.register(path, raw_key)
            except (*cipher.ERRORS, DBAPIError) as exc:
                raise db_engine.failure(path, exc, doing="create") or exc from exc
            except OSError as exc:
                raise KzError(f"{path}: cannot be created ({exc.strerror or exc})") from exc
        except BaseException:
            if project is not None:
                project.close()
            db_engine.remove_with_sidecars(partial)
            raise
        finally:
            cipher.forget(partial)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open an existing project file (upgrading an older schema after a backup); read-only
        when it may not be written. KzError if it cannot be opened (missing, not a project,
        damaged, locked, from a newer kzcoder). *path* may be a ``postgresql://`` URL."""
        if locations.is_server_location(path):
            from kzcoder.services.server.opening import open_file_of

            location = locations.parse_location(path)
            project = cls(location, open_file_of(location))
        else:
            path = Path(path).expanduser().absolute()
            project = cls(path, open_schema(path))
        try:
            project._doing = "open"
            with project.unit(read=True) as session:  # a locked or damaged file is refused now
                session.scalar(select(ProjectRow.id).limit(1))
        except BaseException:
            project.close()
            raise
        finally:
            project._doing = "change"
        return project

    @property
    def engine(self):  # noqa: ANN201 - sqlalchemy Engine
        """The SQLAlchemy engine (tests count its transactions)."""
        return self._engine

    @contextmanager
    def unit(self, *, read: bool = False) -> Iterator[Session]:
        """One unit of work: one SQLite transaction from its first statement (its reads see
        one state of the file), committed on success, rolled back on any error. SQLite's
        failures about the file, its disk or other programs become KzError.

        It begins as a write (``BEGIN IMMEDIATE``), so another program's write is waited for
        (the busy timeout) before anything is read. With *read* it is a deferred read
        transaction that takes no write lock: for units that never write and may be long
        (exports, lists, searches), so that they hold no other program's change back. A
        *read* unit that writes may fail at once when another program is writing.
        """
        started = time.monotonic()
        try:
            with (self._readers if read else self._sessions)() as session, session.begin():
                yield session
                # the one place changes enter the history (a server keeps its own change
                # feed, the events its triggers append: docs/server.md)
                if not (read or self.read_only or self.is_server):
                    history.append(queries_raw(session), coder=self.actor,
                                   label=session.info.pop(HISTORY_LABEL, ""))
        except (*cipher.ERRORS, DBAPIError) as exc:
            if self.is_server:
                from kzcoder.services.server.opening import failure_of

                error = failure_of(self.path, exc, self._doing, self._engine)
            else:
                error = db_engine.failure(self.path, exc, read_only=self.read_only_reason,
                                          doing=self._doing,
                                          waited_s=time.monotonic() - started)
            if error is None:
                raise
            if "the disk is full" in str(error) and not self.read_only:
                # what earlier units committed may be only in the log: say where it is
                notice = wal_notice(self.path)
                if notice:
                    raise KzError(f"{error}; {notice.removeprefix(f'{self.path}: ')}") from exc
            raise error from exc

    def close(self) -> str:
        """Release the file (checkpointing the WAL into it; see ``db.engine``). Returns ""
        or, when its latest changes could not be written into the file (a full disk), the line
        that says they are in the ``-wal`` beside it, which must stay with it."""
        return self._file.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


#: ``session.info[HISTORY_LABEL] = "..."`` names a unit's entry in the history (a merge, an
#: import); otherwise the entry says what it added, changed and removed
HISTORY_LABEL = "kzcoder.history.action"


def default_actor() -> str:
    """Who the history names by default: the login name (as ``coders.default_coder_name``,
    which imports this module), or 'coder' where the system has none."""
    try:
        return getpass.getuser() or "coder"
    except Exception:  # no login name in some containers
        return "coder"


def _track_changes(dbapi_connection, record, _proxy) -> None:  # noqa: ANN001 - pool types
    if not record.info.get("kz_tracking"):
        history.install(dbapi_connection)
        record.info["kz_tracking"] = True
