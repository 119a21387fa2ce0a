"""Other coders' changes, shown as they happen, in the window showing a server project.

``LiveFeed`` follows the window's ``CurrentSession``: for a server project it runs
``services.server.live.follow_changes`` in a worker thread (LISTEN on a connection of its own,
events read by id, reconnecting with backoff), and on the GUI thread announces each batch as
ordinary ``Changes`` (codings with their segments, counts): panes repaint the touched codings
in place, so the reader's scroll and selection stay. While the server is lost the status bar
says so and the session refuses changes (``ProjectSession.offline``); once back, the events
missed meanwhile arrive by id.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession, ProjectSession

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services.server import live
else:
    live = lazy_import("kzcoder.services.server.live")

LOST = "connection lost — reconnecting"
_log = logging.getLogger(__name__)


class LiveFeed(QObject):
    """Live updates for the server project a window shows (nothing for a file)."""

    sig_state = Signal(str)  # LOST (with why) when the server is lost, "" when it is back
    _sig_changes = Signal(object, object, int)  # session, Changes, last event id (worker)
    _sig_state = Signal(object, str)  # session, why ("" back) (worker)

    def __init__(self, current: CurrentSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current = current
        self._session: ProjectSession | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        #: changes read but not yet shown: the server went away while they were announced
        self._kept: Changes | None = None
        self._sig_changes.connect(self._apply)
        self._sig_state.connect(self._state)
        current.sig_session_changed.connect(self._follow)
        self._follow(current.session)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _follow(self, session: ProjectSession | None) -> None:
        self.stop()
        self._session = session
        self._kept = None
        if session is None or not session.project.is_server:
            return
        self._stop = threading.Event()
        stop, location, after = self._stop, session.project.path, session.seen_event

        def run() -> None:
            def changes(found: Changes, last: int) -> None:
                with contextlib.suppress(RuntimeError):  # the feed is gone (closing)
                    self._sig_changes.emit(session, found, last)

            def state(why: str) -> None:
                with contextlib.suppress(RuntimeError):
                    self._sig_state.emit(session, why)

            try:
                live.follow_changes(location, after, changes, state, stop)
            except Exception as exc:  # noqa: BLE001 - a bug: said once, not a dead thread
                _log.error("live updates stopped", exc_info=exc)
                state(f"live updates stopped: {type(exc).__name__}")

        self._thread = threading.Thread(target=run, name="kzcoder-live", daemon=True)
        self._thread.start()

    def _apply(self, session: ProjectSession, changes: Changes, last: int) -> None:
        if session is not self._session or self._current.session is not session:
            return  # a batch for a project no longer shown
        session.seen_event = max(session.seen_event, last)
        self._announce(session, session.without_echo(changes))

    def _announce(self, session: ProjectSession, changes: Changes) -> None:
        """Announce *changes* (with any kept back); if the server went away between the feed
        reading them and the views' shared state being refreshed from it, keep them for when
        it is back, so that no view misses them."""
        if self._kept is not None:
            changes, self._kept = self._kept | changes, None
        try:
            session.announce(changes, remote=True)
        except KzError:  # said by the feed's own "connection lost" at its next look
            self._kept = changes

    def _state(self, session: ProjectSession, why: str) -> None:
        if session is not self._session:
            return
        session.offline = f"{LOST} ({why})" if why else ""
        self.sig_state.emit(f"{LOST}: {why}" if why else "")
        if not why and self._kept is not None:
            self._announce(session, Changes())

    def stop(self) -> None:
        """Stop following (the project closes, the window quits). The worker ends at its next
        look (a quarter of a second); one still waiting to connect to an unreachable server
        is not waited for: it ends by itself, and what it reports then is ignored."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
            self._thread = None
