"""Waiting for PostgreSQL's notification that events were appended (LISTEN/NOTIFY).

A notification only says "look": the events themselves are read by id (``queries/events``), so
one lost while a connection was down costs nothing once the reader catches up.
"""

from __future__ import annotations

import psycopg

from kzcoder.core.errors import KzError
from kzcoder.db.backends.location import ServerLocation
from kzcoder.db.backends.postgres import CONNECT_TIMEOUT_S, server_failure

CHANNEL = "kzcoder_events"  # the channel migration 0008_events notifies


class Listener:
    """A connection of its own (autocommit) listening on the events channel."""

    def __init__(self, location: ServerLocation) -> None:
        self.location = location
        url = location.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            self._connection = psycopg.connect(url, autocommit=True,
                                               connect_timeout=CONNECT_TIMEOUT_S,
                                               application_name="kzcoder watch")
            self._connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise _lost(location, exc) from exc

    def wait(self, timeout_s: float) -> bool:
        """Whether a notification came within *timeout_s*; KzError if the connection is lost."""
        try:
            for _ in self._connection.notifies(timeout=timeout_s, stop_after=1):
                return True
        except psycopg.Error as exc:
            raise _lost(self.location, exc) from exc
        return False

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._connection.close()


def _lost(location: ServerLocation, exc: psycopg.Error) -> KzError:
    known = server_failure(location, exc, doing="open")
    if known is not None:
        return known
    return KzError(f"{location}: connection lost or refused ({str(exc).strip().splitlines()[0]})")
