"""The change feed of a shared project: every change is an event (appended by the server,
migration 0008_events); a client catches up by id and waits for a notification in between,
so that a change made while it was away is still seen once it is back."""

from __future__ import annotations

from collections.abc import Callable

from kzcoder.core.errors import KzError
from kzcoder.core.events import EventInfo
from kzcoder.db.backends.location import ServerLocation
from kzcoder.db.queries import events as event_q
from kzcoder.services.project import Project

PAGE = 1_000


def _check(project: Project) -> ServerLocation:
    if not isinstance(project.path, ServerLocation):
        raise KzError(f"{project.path}: a project file has no change feed; watch works on a "
                      "postgresql:// project")
    return project.path


def events_after(project: Project, after: int, limit: int = PAGE) -> list[EventInfo]:
    """The events after *after*, oldest first (at most *limit*)."""
    with project.unit() as session:
        return event_q.events_after(session, after, limit)


def last_event_id(project: Project) -> int:
    """The newest event's id: where a client that wants only what comes next starts."""
    with project.unit() as session:
        return event_q.last_event_id(session)


def follow(project: Project, after: int, on_events: Callable[[list[EventInfo]], None], *,
           stop: Callable[[], bool] = lambda: False, poll_s: float = 1.0) -> int:
    """Hand every event after *after* to *on_events*, in order, as they come, until *stop*
    says so; returns the last id handed. Waits on LISTEN between catch-ups, and reads by id
    anyway every *poll_s* (a notification is only a hint). KzError when the server is lost."""
    from kzcoder.db.backends.listening import Listener

    listener = Listener(_check(project))
    try:
        while True:
            while batch := events_after(project, after):
                on_events(batch)
                after = batch[-1].event
            if stop():
                return after
            listener.wait(poll_s)
    finally:
        listener.close()
