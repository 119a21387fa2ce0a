"""Keeping the open project safe and current while the window runs (see docs/reliability.md).

``ProjectWatch`` follows the window's ``CurrentSession`` and:

- **checkpoints** the write-ahead log into the ``.kzc`` about two seconds after the last change
  (``PASSIVE``: it waits for no one and leaves other connections' ``data_version`` alone), so
  that the file alone holds everything most of the time;
- takes a **rolling backup** two seconds after a project is opened and then at most every
  ``BACKUP_EVERY_MINUTES`` minutes while it changes (``services.backup``);
- on **quit** (``QApplication.aboutToQuit``) and on **SIGTERM/SIGHUP** (a logout, a shutdown,
  ``kill``): stops a running import at its next file, closes the windows (which closes the
  project, checkpointed) and quits; a timer ticks so that Python gets to run its handlers
  while Qt's event loop waits;
- notices **changes made by other programs** (``PRAGMA data_version``, on window activation
  and every two seconds) and announces ``Changes.everything()``, which every view reloads on.

Checkpoints and backups run in a worker thread: SQLite releases the GIL while it copies and
checks, so the window stays responsive (a backup of a 13 MB project takes ~0.3 s, mostly
``integrity_check``). Only reading ``data_version`` runs on the GUI thread (microseconds).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession, ProjectSession

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services import backup
else:
    backup = lazy_import("kzcoder.services.backup")

#: a checkpoint this long after the last change
IDLE_MS = 2_000
#: other programs' changes are looked for this often (and whenever the window is activated)
POLL_MS = 2_000
#: a backup or checkpoint that could not run now (an import is running) is tried again after
RETRY_MS = 30_000
#: the backup of the state a project was opened in waits this long, so that the window's first
#: paint and the project's first views do not share the CPU (and the GIL) with it
OPENING_BACKUP_MS = 2_000
#: how often Python gets to run while Qt waits, when signal handlers are installed
SIGNAL_TICK_MS = 250
QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class ProjectWatch(QObject):
    """Checkpoints, rolling backups, clean quitting and other programs' changes for the
    project a window shows. Create one per main window (as its child) with the window's
    ``CurrentSession``; call ``install_quit_handlers`` once for the application."""

    sig_backed_up = Signal(object)  # the Path of a rolling backup just written
    sig_message = Signal(str)  # one line for the status bar (a backup failed)
    _sig_task_done = Signal(str, object, object, object)  # kind, path, result, error

    def __init__(self, current: CurrentSession, parent: QObject | None = None, *,
                 idle_ms: int = IDLE_MS, poll_ms: int = POLL_MS,
                 backup_every_ms: int | None = None, backups: bool = True,
                 opening_backup_ms: int = OPENING_BACKUP_MS) -> None:
        super().__init__(parent)
        self._current = current
        self._backups = backups
        self._session: ProjectSession | None = None
        self._probe: Any = None  # services.backup.ChangeProbe
        self._task: threading.Thread | None = None
        self._task_kind = ""
        self._unsaved = False  # changes not yet checkpointed
        self._unbacked = False  # changes since the last backup began
        self._fresh = False  # the session was just shown: its "everything" is no change
        self._backup_failed = False
        self._previous_handlers: dict[int, Any] = {}
        self._stopped = False

        self._idle = self._timer(idle_ms, self._on_idle, single=True)
        self._poll = self._timer(poll_ms, self.check_external)
        # the default interval is read when a project is shown (services load with it)
        self._backup_every_ms = backup_every_ms
        self._backup_due = self._timer(backup_every_ms or 0, self._on_backup_due, single=True)
        self._tick = self._timer(SIGNAL_TICK_MS, lambda: None)
        self._opening = self._timer(opening_backup_ms, self._on_opening_backup, single=True)
        self._sig_task_done.connect(self._task_done)
        current.sig_session_changed.connect(self._follow)
        current.sig_changed.connect(self._on_changed)
        if parent is not None:
            parent.installEventFilter(self)
        self._follow(current.session)

    def _timer(self, ms: int, slot: Callable[[], object], *, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    # --- following the session ---------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A checkpoint or backup is running in the worker thread."""
        return self._task is not None and self._task.is_alive()

    def _follow(self, session: ProjectSession | None) -> None:
        previous = self._session
        self.wait()
        self._close_probe()
        if previous is not None and previous is not session:
            # closed already; its close could not leave WAL mode if a backup had it open
            backup.release(previous.project.path)
        for timer in (self._idle, self._poll, self._backup_due, self._opening):
            timer.stop()
        if session is not None and session.project.is_server:
            session = None  # a server keeps its own data safe; its changes: gui/server/live.py
        self._session = session
        self._unsaved = self._unbacked = self._backup_failed = False
        if session is None:
            return
        self._fresh = True
        if self._backup_every_ms is None:
            self._backup_due.setInterval(backup.BACKUP_EVERY_MINUTES * 60_000)
        project = session.project
        self._probe = backup.ChangeProbe(project)
        self._poll.start()
        if self._backups and not getattr(project, "read_only", False):
            if self._opening.interval() <= 0:
                self._on_opening_backup()
            else:
                self._opening.start()

    def _close_probe(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if self._session is None:
            return
        if self._fresh:
            self._fresh = False
            if changes.project:  # the window showing a session it just opened
                return
        self.mark_changed()

    def mark_changed(self) -> None:
        """The project changed (the session announced it, or another program): checkpoint
        after the idle time, back up within the backup interval."""
        self._unsaved = True
        self._idle.start()  # restarted by every change
        if not self._unbacked:
            self._unbacked = True
            if not self._backup_due.isActive():
                self._backup_due.start()

    # --- other programs ----------------------------------------------------------------------
    def check_external(self) -> bool:
        """If another program changed the project since the last look, every view reloads
        (``Changes.everything()``). Returns whether it had."""
        session = self._session
        if session is None or self._probe is None or not self._probe.changed():
            return False
        session.announce(Changes.everything())
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.WindowActivate:
            QTimer.singleShot(0, self.check_external)
        elif event.type() == QEvent.Type.Close:
            self.wait()  # a backup under way ends before the window closes the project
        return False

    # --- checkpoints and backups -------------------------------------------------------------
    def _on_idle(self) -> None:
        session = self._session
        if session is None or not self._unsaved:
            return
        if session.busy or self.busy:
            self._idle.start(RETRY_MS)
            return
        self._start("checkpoint", session.project.path)

    def _on_opening_backup(self) -> None:
        """The backup of the state the project was opened in (changes made in the first
        seconds go into it too; the next one follows the usual interval)."""
        session = self._session
        if session is None:
            return
        if session.busy or self.busy:
            self._opening.start(RETRY_MS)
            return
        self._start("backup", session.project.path)

    def _on_backup_due(self) -> None:
        session = self._session
        if session is None or not self._unbacked or not self._backups:
            return
        if session.busy or self.busy:
            self._backup_due.start(RETRY_MS)
            return
        self._unbacked = False  # changes from now on are for the next backup
        self._start("backup", session.project.path)

    def backup_now(self) -> bool:
        """Take a rolling backup now, in the worker thread (False if one is running)."""
        if self._session is None or self.busy:
            return False
        self._start("backup", self._session.project.path)
        return True

    def _start(self, kind: str, path: Path) -> None:
        if kind == "backup":
            work: Callable[[], object] = lambda: backup.backup_now(path)  # noqa: E731
        else:
            work = lambda: backup.checkpoint(path, mode="PASSIVE")  # noqa: E731

        def run() -> None:
            result, error = None, None
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
                error = exc
            with contextlib.suppress(RuntimeError):  # the watch is gone (shutting down)
                self._sig_task_done.emit(kind, path, result, error)

        self.wait()
        self._task_kind = kind
        self._task = threading.Thread(target=run, name=f"kzcoder-{kind}", daemon=True)
        self._task.start()

    def _task_done(self, kind: str, path: Path, result: object, error: object) -> None:
        session = self._session
        if session is None or session.project.path != path:
            return  # another project now
        if kind == "checkpoint":
            if result:
                self._unsaved = False
            return
        if error is not None:
            if not self._backup_failed:  # once per session, not every few minutes
                self._backup_failed = True
                message = str(error) if isinstance(error, KzError) else repr(error)
                self.sig_message.emit(f"The automatic backup failed: {message}")
            return
        if result is not None:
            self.sig_backed_up.emit(result)

    def wait(self, timeout_s: float = 30.0) -> None:
        """Block until a running checkpoint or backup has ended (closing, quitting, tests)."""
        task = self._task
        if task is not None and task.is_alive():
            task.join(timeout_s)
        QCoreApplication.sendPostedEvents(self)  # deliver its result now

    # --- quitting ----------------------------------------------------------------------------
    def install_quit_handlers(self, app: QCoreApplication,
                              signals: tuple[int, ...] = QUIT_SIGNALS) -> None:
        """On ``aboutToQuit``, checkpoint and stop; on *signals* (SIGTERM, SIGHUP), quit
        cleanly: a running import stops at its next file, the windows close (closing the
        project), the application quits. Only from the main thread."""
        app.aboutToQuit.connect(self.shutdown)
        for number in signals:
            self._previous_handlers[number] = signal.signal(number, self._on_signal)
        if signals:
            self._tick.start()  # Python runs signal handlers only when it runs

    def _on_signal(self, _number: int, _frame: object) -> None:
        QTimer.singleShot(0, self.quit_cleanly)

    def quit_cleanly(self) -> None:
        """What a SIGTERM does: stop an import, close the windows, quit."""
        app = QCoreApplication.instance()
        if isinstance(app, QApplication):
            for window in app.topLevelWidgets():
                for dialog in window.findChildren(QProgressDialog, "progressDialog"):
                    dialog.canceled.emit()  # as its Stop button: an import stops at its next file
            app.closeAllWindows()
        if app is not None:
            app.quit()

    def stop(self) -> None:
        """Stop watching for good: no more checkpoints, backups or looks at other programs'
        changes (the worker's task is finished first)."""
        if not self._stopped:
            self._stopped = True
            with contextlib.suppress(RuntimeError, TypeError):  # the session holder is gone
                self._current.sig_session_changed.disconnect(self._follow)
                self._current.sig_changed.disconnect(self._on_changed)
        self.wait()
        for timer in (self._idle, self._poll, self._backup_due, self._tick, self._opening):
            timer.stop()
        self._close_probe()

    def shutdown(self) -> None:
        """The application quits: finish the worker, stop watching, checkpoint the project
        still open, put the signal handlers back."""
        session = self._session
        self.stop()
        if session is not None:
            with contextlib.suppress(Exception):  # quitting: nothing to report it to
                backup.checkpoint(session.project.path, busy_ms=1_000)
        for number, handler in self._previous_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(number, handler)
        self._previous_handlers.clear()

