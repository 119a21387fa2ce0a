"""The hot-path queries' DB-API connection on PostgreSQL, shaped like sqlite3's.

``db/queries`` write their few raw statements once, in SQLite's dialect of DB-API (``?``
placeholders, ``connection.execute``, ``cursor.lastrowid``). On PostgreSQL this adapter turns
``?`` into psycopg's ``%s`` (outside quoted text), and gives an INSERT into a table with an
``id`` its new id through ``RETURNING id``. The statements themselves are portable SQL; the
SQLite-only pieces (incremental blob I/O) branch on ``is_postgres`` where they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError

# tables whose rows have an integer id (``lastrowid`` means something for them)
WITH_ID = frozenset({"project", "documents", "codes", "coders", "codings", "events", "annotations",
                     "code_sets", "journal", "document_sets"})
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\bIS\s+\?|\?|%", re.IGNORECASE)
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+\"?(\w+)\"?", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, bool]:
    """*sql* with psycopg placeholders (``IS ?``, SQLite's null-safe equality, becomes
    ``IS NOT DISTINCT FROM``), and whether it returns a new row's id."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] in "'\"":  # quoted: a ? is text, but psycopg reads every % as its own
            return token.replace("%", "%%")
        if token[-1] == "?" and len(token) > 1:  # SQLite's null-safe equality
            return "IS NOT DISTINCT FROM %s"
        return "%s" if token == "?" else "%%"

    converted = _TOKENS.sub(swap, sql)
    insert = _INSERT.match(sql)
    returns_id = bool(insert and insert.group(1).lower() in WITH_ID
                      and "RETURNING" not in sql.upper())
    if returns_id:
        converted += " RETURNING id"
    return converted, returns_id


class Cursor:
    """A psycopg cursor with sqlite3's ``lastrowid`` after an INSERT."""

    def __init__(self, cursor: Any, lastrowid: int | None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, size: int = 1) -> list[tuple]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._cursor) if self._cursor.description else iter(())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        """The columns of the rows, as sqlite3's ``description`` (name first)."""
        return self._cursor.description

    def close(self) -> None:
        self._cursor.close()


class Connection:
    """What ``queries.raw`` returns on PostgreSQL: ``execute``/``executemany`` taking SQLite's
    placeholders, inside the unit of work's transaction."""

    is_server = True  # what SQLite-only bookkeeping (the history's notes) looks for

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        converted, returns_id = translate(sql)
        cursor = self._connection.cursor()
        try:
            cursor.execute(converted, list(params or ()))
        except psycopg.Error as exc:  # as SQLAlchemy would wrap it: the unit of work maps it
            raise DBAPIError.instance(converted, None, exc, psycopg.Error) from exc
        if returns_id:
            return Cursor(cursor, cursor.fetchone()[0])
        return Cursor(cursor, None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        converted, returns_id = translate(sql)
        if returns_id:
            converted = converted.removesuffix(" RETURNING id")
        cursor = self._connection.cursor()
        try:
            cursor.executemany(converted, [list(row) for row in rows])
        except psycopg.Error as exc:
            raise DBAPIError.instance(converted, None, exc, psycopg.Error) from exc
        return Cursor(cursor, None)

    def cursor(self) -> _CursorFactory:
        return _CursorFactory(self)


class _CursorFactory:
    """``connection.cursor().execute(...)`` as sqlite3 code writes it."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._last: Cursor | None = None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _CursorFactory:
        self._last = self._connection.execute(sql, params)
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> _CursorFactory:
        self._last = self._connection.executemany(sql, rows)
        return self

    @property
    def lastrowid(self) -> int | None:
        return self._last.lastrowid if self._last else None

    def fetchone(self) -> tuple | None:
        return self._last.fetchone() if self._last else None

    def fetchall(self) -> list[tuple]:
        return self._last.fetchall() if self._last else []

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._last) if self._last else iter(())

    def close(self) -> None:
        if self._last:
            self._last.close()
