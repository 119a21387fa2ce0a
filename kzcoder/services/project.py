"""An open project file and the unit of work every service call runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kzcoder.core.errors import KzError
from kzcoder.core.lru import SizedLRU
from kzcoder.db.engine import create_schema, open_schema
from kzcoder.db.models import ProjectRow

PROJECT_SUFFIX = ".kzc"
TEXT_CACHE_BUDGET = 64_000_000  # code points


class Project:
    """One open ``.kzc`` file. Each service call opens one short session and commits it."""

    def __init__(self, path: Path, engine) -> None:  # noqa: ANN001 - sqlalchemy Engine
        self.path = path
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        #: stored texts read recently, by their SHA-256 (a text never changes, so never stale)
        self.texts: SizedLRU[str] = SizedLRU(TEXT_CACHE_BUDGET)

    @classmethod
    def create(cls, path: str | Path) -> Project:
        """Create a new empty project file; KzError if it exists or cannot be made."""
        path = Path(path).expanduser().absolute()
        if path.suffix.lower() != PROJECT_SUFFIX:
            raise KzError(f"{path.name}: a project file name must end in {PROJECT_SUFFIX}")
        project = cls(path, create_schema(path))
        with project.unit() as session:
            session.add(ProjectRow(id=1, name=path.stem))
        return project

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open an existing project file (upgrading an older schema after a backup)."""
        path = Path(path).expanduser().absolute()
        return cls(path, open_schema(path))

    @property
    def engine(self):  # noqa: ANN201 - sqlalchemy Engine
        """The SQLAlchemy engine (tests count its transactions)."""
        return self._engine

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the file (checkpointing the WAL into it)."""
        self._engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
