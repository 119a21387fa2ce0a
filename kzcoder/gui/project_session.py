"""An open project in the GUI: every change runs through ``apply()`` (execute, undo stack,
notify), like Anki's CollectionOp. Views listen to ``sig_changed`` and refresh what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from kzcoder.core.errors import KzError
from kzcoder.services.dto import Changes

if TYPE_CHECKING:
    from kzcoder.services.project import Project
    from kzcoder.services.undoable import Command


class _QtCommand(QUndoCommand):
    """Adapts a Qt-free Command to the undo stack. The first redo (at push) already ran."""

    def __init__(self, session: ProjectSession, command: Command) -> None:
        super().__init__(command.text)
        self._session = session
        self._command = command
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._session._run(self._command.do)

    def undo(self) -> None:
        self._session._run(self._command.undo)


class ProjectSession(QObject):
    """The project, its undo stack and the current coder, for one main window."""

    sig_changed = Signal(object, object)  # Changes, initiator (or None)
    sig_error = Signal(str)

    def __init__(self, project: Project, coder: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.coder = coder
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")

    def apply(self, command: Command, initiator: object = None) -> bool:
        """Run *command*; on success push it for undo and announce the change."""
        try:
            changes = command.do(self.project)
        except KzError as exc:
            self.sig_error.emit(str(exc))
            return False
        self.undo_stack.push(_QtCommand(self, command))
        self.sig_changed.emit(changes, initiator)
        return True

    def _run(self, step) -> None:  # noqa: ANN001 - bound do/undo
        try:
            changes: Changes = step(self.project)
        except KzError as exc:
            self.sig_error.emit(str(exc))
            return
        self.sig_changed.emit(changes, None)

    def close(self) -> None:
        """Forget the undo history and release the project file."""
        self.undo_stack.clear()
        self.project.close()
