"""Live updates for an open window: the change feed's events turned into the ``Changes`` the
views already understand (with the new segments and counts, so that no view asks the server
again), and a loop that follows the feed across lost connections.

The loop runs in a worker thread (``gui/server/live.py``) on a project object of its own, so
the window's thread never waits on the network. After a lost connection it reconnects with
backoff and asks for the events after the last one it handed over: nothing is missed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import MappingProxyType

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.core.events import EventInfo
from kzcoder.services.project import Project

#: seconds between attempts to reconnect: the first retries at once, then backs off
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 4.0)
#: how long the loop waits for a notification before it looks by id anyway (and checks stop)
WAIT_S = 0.25


def changes_of(project: Project, batch: list[EventInfo]) -> Changes:
    """What *batch* of events changed, as the views' ``Changes``: the codings with the
    segments they are now (None: gone) and every code's counts; codes, documents, coders
    and memos by id or kind. Nothing in it asks a view to reload everything."""
    from kzcoder.services import codings, segments
    from kzcoder.services.codebook import editing

    coding_ids: set[int] = set()
    coded: set[int] = set()
    codes: set[int] = set()
    documents: set[int] = set()
    flags = {"code_tree": False, "document_list": False, "coders": False, "memos": False}
    for event in batch:
        if event.what == "coding" and event.id is not None:
            coding_ids.add(event.id)
            if event.document is not None:
                coded.add(event.document)
            if event.action == "changed":
                flags["memos"] = True  # a coding's memo is one of the things that change
        elif event.what == "code":
            if event.action == "changed" and event.id is not None:
                codes.add(event.id)
            else:
                flags["code_tree"] = True
        elif event.what == "document":
            if event.action == "changed" and event.id is not None:
                documents.add(event.id)
                flags["memos"] = True
            else:
                flags["document_list"] = True
        elif event.what == "attribute" and event.document is not None:
            documents.add(event.document)
        elif event.what == "coder":
            flags["coders"] = True
        elif event.what == "project":
            flags["memos"] = True
    if not coding_ids:
        return Changes(codes=frozenset(codes), documents=frozenset(documents), **flags)
    found = segments.segments_by_id(project, coding_ids)
    every_code = [code.id for code in editing.list_codes(project)]
    counts, in_documents = codings.code_usage(project)
    return Changes(
        codings=frozenset(coding_ids), coded_documents=frozenset(coded),
        segments=MappingProxyType({i: found.get(i) for i in coding_ids}),
        code_counts=frozenset(every_code),
        counts=MappingProxyType({c: counts.get(c, 0) for c in every_code}),
        document_counts=MappingProxyType({c: in_documents.get(c, 0) for c in every_code}),
        codes=frozenset(codes), documents=frozenset(documents), **flags)


def follow_changes(location: object, after: int,
                   on_changes: Callable[[Changes, int], None],
                   on_state: Callable[[str], None], stop: threading.Event, *,
                   wait_s: float = WAIT_S) -> int:
    """Hand ``changes_of`` every batch of events after *after* to *on_changes* (with the
    batch's last id), until *stop* is set; returns the last id handed over.

    *location* is the open project's (``project.path``, with its password if it has one).
    When the server is lost, *on_state* gets one line saying why, and the loop reconnects
    with backoff (``BACKOFF_S``); once back it gets "" and the events missed meanwhile
    follow, by id. Never raises for the server's failures."""
    from kzcoder.db.backends.listening import Listener
    from kzcoder.services.server import events

    failures = 0
    while not stop.is_set():
        project = listener = None
        try:
            project = Project.open(location)  # type: ignore[arg-type]
            listener = Listener(project.path)  # type: ignore[arg-type]
            if failures:
                on_state("")
            failures = 0
            while not stop.is_set():
                batch = events.events_after(project, after)
                if batch:
                    on_changes(changes_of(project, batch), batch[-1].event)
                    after = batch[-1].event
                else:
                    listener.wait(wait_s)
        except KzError as exc:
            if failures == 0:
                on_state(str(exc))
            stop.wait(BACKOFF_S[min(failures, len(BACKOFF_S) - 1)])
            failures += 1
        finally:
            if listener is not None:
                listener.close()
            if project is not None:
                project.close()
    return after
