"""Queries on the change feed (``events``, migration 0008_events): catching up by id."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kzcoder.core.events import EventInfo
from kzcoder.db.models import Event


def events_after(session: Session, after: int, limit: int) -> list[EventInfo]:
    """The events numbered above *after*, oldest first, at most *limit*."""
    rows = session.execute(
        select(Event.id, Event.at, Event.actor, Event.what, Event.action, Event.row_id,
               Event.document_id).where(Event.id > after).order_by(Event.id).limit(limit))
    return [EventInfo.from_row(*row) for row in rows]


def last_event_id(session: Session) -> int:
    """The newest event's id (0 when there is none)."""
    return session.scalar(select(func.coalesce(func.max(Event.id), 0))) or 0
