"""Where a project lives: a ``.kzc`` file path, or a ``postgresql://`` URL of a server database.

``parse_location`` is the one place that tells them apart. A server location never shows its
password: ``str()`` and every message use the URL without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from kzcoder.core.errors import KzError
from kzcoder.core.locations import looks_like_server_url


def is_server_location(text: object) -> bool:
    """Whether *text* is a server URL rather than a file path."""
    return isinstance(text, ServerLocation) or looks_like_server_url(text)


@dataclass(frozen=True)
class ServerLocation:
    """A project in a PostgreSQL database. ``name``/``stem`` are the database's name (what a
    file's name is to a file project), so code that names a project by its file works."""

    url: URL = field(repr=False)

    @property
    def database(self) -> str:
        return self.url.database or ""

    @property
    def name(self) -> str:
        return self.database

    @property
    def stem(self) -> str:
        return self.database

    @property
    def user(self) -> str:
        return self.url.username or ""

    def shown(self) -> str:
        """The URL as it may be shown or stored: no password."""
        url = self.url
        bare = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                          database=url.database, query=url.query)
        return bare.render_as_string(hide_password=False)

    def __str__(self) -> str:
        return self.shown()

    def with_password(self, password: str | None) -> ServerLocation:
        """The same location with *password* (from the keyring, a prompt, a file)."""
        return ServerLocation(self.url.set(password=password))


def parse_server(text: str) -> ServerLocation:
    """A ``postgresql://user@host:port/dbname[?sslmode=...]`` URL; KzError names what is
    missing. The driver is always psycopg; query settings (TLS) are kept as given."""
    try:
        url = make_url(text.strip())
        url.port  # noqa: B018 - a port that is not a number fails here, not later
    except (ArgumentError, ValueError):
        raise KzError(f"{_hide(text)}: not a valid postgresql:// URL") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise KzError(f"{_hide(text)}: not a postgresql:// URL")
    if not url.database:
        raise KzError(f"{_hide(text)}: the URL names no database "
                      "(postgresql://user@host:port/DBNAME)")
    return ServerLocation(url.set(drivername="postgresql+psycopg"))


def parse_location(text: str | Path | ServerLocation) -> Path | ServerLocation:
    """A file path (``~`` expanded, absolute) or a ServerLocation."""
    if isinstance(text, ServerLocation):
        return text
    if isinstance(text, str) and is_server_location(text):
        return parse_server(text)
    return Path(text).expanduser().absolute()


def location_argument(text: str) -> Path | ServerLocation:
    """argparse ``type=`` for a PROJECT argument: a path, or a server URL as it was written
    (``Path`` would fold its ``//``)."""
    if is_server_location(text):
        return parse_server(text)
    return Path(text)


def _hide(text: str) -> str:
    """*text* with anything between ``:`` and ``@`` of its authority blanked (a password)."""
    head, sep, rest = text.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return text
    authority, slash, tail = rest.partition("/")
    credentials, _, host = authority.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{head}://{user}@{host}{slash}{tail}"
