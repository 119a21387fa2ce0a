"""An open project in the window: its undo stack, the coder, what views share of it, and the
one way changes run (see the package docstring)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from kzcoder.core.changes import Changed, Changes, without_echo
from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.background import BackgroundJob
from kzcoder.gui.operations.undo import make_step

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import coders, documents, sample
    from kzcoder.services import project as project_file
    from kzcoder.services.codebook import editing as codebook
    from kzcoder.services.server import connecting, events
else:
    codebook = lazy_import("kzcoder.services.codebook.editing")
    coders = lazy_import("kzcoder.services.coders")
    documents = lazy_import("kzcoder.services.documents")
    project_file = lazy_import("kzcoder.services.project")
    sample = lazy_import("kzcoder.services.sample")
    connecting = lazy_import("kzcoder.services.server.connecting")
    events = lazy_import("kzcoder.services.server.events")

if TYPE_CHECKING:
    from kzcoder.core.records import CodeInfo, DocumentInfo, Segment  # annotations only
    from kzcoder.services.project import Project
    from kzcoder.services.undoable import Command


_log = logging.getLogger(__name__)


def open_session(path: Path, coder: str) -> ProjectSession:
    """Open the project file at *path* for *coder*; KzError if it cannot be opened."""
    return ProjectSession(project_file.Project.open(path), coder)


def open_server_session(url: str, coder: str, password: str | None = None) -> ProjectSession:
    """Open the server project at *url* (``connecting.PasswordNeeded`` when the server wants a
    password not given); its changes are recorded under the login role, whatever *coder*."""
    return ProjectSession(connecting.open_url(url, password), coder)


def create_session(path: Path, coder: str, *, sample_data: bool = False) -> ProjectSession:
    """Create a project file at *path* (with the sample articles and codebook if asked)."""
    return ProjectSession(sample.create_project(path, sample=sample_data), coder)


def default_session(coder: str) -> ProjectSession:
    """The default project, created from the sample corpus on first start."""
    return ProjectSession(sample.open_default_project(), coder)


def describe_failure(exc: BaseException) -> str:
    """One line for the user: a KzError's own words, or what kind of failure it was."""
    if isinstance(exc, KzError):
        return str(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"unexpected error: {type(exc).__name__}{': ' + first if first else ''}"


class ProjectSession(QObject):
    """The project, its undo stack and the current coder, for one main window.

    ``codes``, ``documents`` and ``coder_names`` are what views share of the project; they
    are refreshed before ``sig_changed`` reaches any view.
    """

    sig_changed = Signal(object, object)  # Changes, initiator (the view that asked, or None)
    sig_error = Signal(str)

    def __init__(self, project: Project, coder: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        #: on a server the coder is the login role (the database refuses any other name)
        self.coder = (connecting.login_name(project) or coder) if project.is_server else coder
        #: why changes are refused for now ("" when they are not): the server was lost
        self.offline = ""
        #: coding id -> the segment this window's own change left (None: removed), until its
        #: echo from the change feed arrives (server projects only)
        self._own_segments: dict[int, Segment | None] = {}
        #: the newest server event the views reflect, read before they load (live updates
        #: continue from it); 0 for a file
        self.seen_event = events.last_event_id(project) if project.is_server else 0
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.codes: dict[int, CodeInfo] = {}
        self.documents: dict[int, DocumentInfo] = {}
        self.coder_names: list[str] = []
        self._job: BackgroundJob | None = None
        self._refresh(Changes.everything())

    # --- what views share -----------------------------------------------------------------
    def code_list(self) -> list[CodeInfo]:
        """The codes, parents before children, siblings in order."""
        return list(self.codes.values())

    def _refresh(self, changes: Changes) -> None:
        if changes.project or changes.code_tree or changes.codes:
            self.codes = {c.id: c for c in codebook.list_codes(self.project)}
        if changes.project or changes.document_list:
            self.documents = {d.id: d for d in documents.list_documents(self.project)}
        elif changes.documents:
            fresh = {d.id: d for d in documents.list_documents(self.project, changes.documents)}
            self.documents.update(fresh)
        if changes.project or changes.coders:
            self.coder_names = coders.list_coders(self.project)
        elif changes.codings and self.coder not in self.coder_names:
            # this window's first coding made the coder: no query on the coding's path
            self.coder_names = sorted([*self.coder_names, self.coder],
                                      key=lambda name: (name.casefold(), name))

    def announce(self, changes: Changes, initiator: object = None, *,
                 remote: bool = False) -> None:
        """Tell every view what changed (after updating what they share). *remote*: the
        change came from the server's change feed (gui/server/live.py); on a server, what
        this window changed itself is noted, so that its echo from the feed can be skipped
        (``without_echo``)."""
        if not changes:
            return
        if self.project.is_server and not remote and changes.segments:
            self._own_segments.update(changes.segments)
        self._refresh(changes)
        self.sig_changed.emit(changes, initiator)

    def without_echo(self, changes: Changes) -> Changes:
        """*changes* from the change feed without this window's own changes coming back
        (``core.changes.without_echo``)."""
        return without_echo(changes, self._own_segments)

    def set_coder(self, name: str) -> None:
        """Who codes from now on."""
        self.coder = name
        self.announce(Changes(coders=True))

    # --- running changes ------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A background operation is running: other changes wait for it."""
        return self._job is not None

    def _refuse_while_busy(self) -> bool:
        if self._job is not None:
            self.sig_error.emit("Wait until the running operation has finished.")
            return True
        if self.offline:  # never half-applied: nothing is sent while the server is away
            self.sig_error.emit(f"{self.project.path}: connection lost — reconnecting; your "
                                "change was not saved")
            return True
        return False

    def run_command(self, command: Command, initiator: object = None) -> bool:
        """Run an undoable *command*; on success push it for undo and announce the change."""
        if self._refuse_while_busy():
            return False
        try:
            changes = command.do(self.project)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one message
            self._report(exc)
            stale = getattr(exc, "changes", None)  # refused as stale: show the code as it is
            if isinstance(stale, Changes):
                self.announce(stale)
            return False
        self.undo_stack.push(make_step(command, lambda: self._step(command.do, "redone"),
                                       lambda: self._step(command.undo, "undone")))
        self.announce(changes, initiator)
        return True

    def _step(self, step: Callable[[Project], Changes], done: str = "undone") -> None:
        """An undo or redo from the stack. If it fails, the stack no longer matches the
        project: the history is cleared and every view reloads from the file. On a server
        the undo stack holds only this window's own changes, so what stops one is someone
        else's change to the same thing (unless the server was lost): the message says so."""
        try:
            changes = step(self.project)
        except Exception as exc:  # noqa: BLE001
            tail = "; the undo history was cleared, the window shows the project as it is"
            if (self.project.is_server and isinstance(exc, KzError)
                    and "connection lost" not in str(exc)):
                self.sig_error.emit(f"someone else's change is in the way ({exc}): nothing was "
                                    f"{done}{tail}")
            else:
                self._report(exc, tail)
            from PySide6.QtCore import QTimer  # the stack is inside undo(): clear it after

            QTimer.singleShot(0, self.undo_stack.clear)
            self.announce(Changes.everything())
            return
        self.announce(changes)

    def run(self, call: Callable[..., Changed[Any]], *args: Any, initiator: object = None,
            **kwargs: Any) -> Any:
        """Run a quick service call ``call(project, *args, **kwargs)`` that returns Changed;
        announce its changes and return its value (None, with a message, if it failed)."""
        if self._refuse_while_busy():
            return None
        try:
            result = call(self.project, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self._report(exc)
            return None
        self.announce(result.changes, initiator)
        return result.value

    def run_in_background(self, call: Callable[..., Changed[Any]], *args: Any,
                          parent: QWidget | None, label: str,
                          on_done: Callable[[Any], None] | None = None,
                          **kwargs: Any) -> BackgroundJob | None:
        """Run ``call(project, *args, progress=..., **kwargs)`` in a worker thread behind a
        progress dialog; on the GUI thread afterwards announce its changes and pass its value
        to *on_done*. Returns the job (None if another one is running)."""
        if self._refuse_while_busy():
            return None
        job = BackgroundJob(lambda progress: call(self.project, *args, progress=progress,
                                                  **kwargs), parent, label)
        self._job = job

        def finished(result: Changed[Any] | None, error: BaseException | None) -> None:
            self._job = None
            if error is not None:
                self._report(error)
                return
            self.announce(result.changes)
            if on_done is not None:
                on_done(result.value)

        job.sig_finished.connect(finished)
        job.start()
        return job

    def wait_for_background(self, ms: int = 60_000) -> None:
        """Block until a running background operation has ended (shutdown, tests)."""
        if self._job is not None:
            self._job.wait(ms)

    def _report(self, exc: BaseException, tail: str = "") -> None:
        if not isinstance(exc, KzError):
            _log.error("operation failed", exc_info=exc)
        self.sig_error.emit(describe_failure(exc) + tail)

    def close(self) -> None:
        """Forget the undo history and release the project file."""
        self.wait_for_background()
        self.undo_stack.clear()
        self.undo_stack.blockSignals(True)  # its destructor's signals would reach dead views
        notice = self.project.close()
        if notice:  # its latest changes stayed in the -wal beside it (a full disk)
            _log.warning(notice)
            self.sig_error.emit(notice)


class CurrentSession(QObject):
    """Which project the window shows. Views connect once to ``sig_changed`` here and follow
    every session the window opens; a new session arrives as ``Changes.everything()``."""

    sig_changed = Signal(object, object)  # Changes, initiator
    sig_error = Signal(str)
    sig_session_changed = Signal(object)  # ProjectSession

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: ProjectSession | None = None

    def set(self, session: ProjectSession | None) -> None:
        """Show *session* (None: no project); the previous one is closed with its undo
        history."""
        old = self.session
        if old is not None:
            old.sig_changed.disconnect(self.sig_changed)
            old.close()  # before its errors are disconnected: a notice on closing is shown
            old.sig_error.disconnect(self.sig_error)
            old.deleteLater()
        self.session = session
        if session is not None:
            session.setParent(self)
            session.sig_changed.connect(self.sig_changed)
            session.sig_error.connect(self.sig_error)
        self.sig_session_changed.emit(session)
        self.sig_changed.emit(Changes.everything(), None)

    def close(self) -> None:
        """Close the session shown (the window is closing)."""
        if self.session is not None:
            self.session.close()
