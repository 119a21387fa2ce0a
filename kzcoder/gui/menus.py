"""The menu bar: File, Edit, Code, View. Actions come from the objects that own them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow

from kzcoder.gui.coding_actions import CodingActions
from kzcoder.gui.file_actions import FileActions
from kzcoder.gui.operations.session import CurrentSession, ProjectSession
from kzcoder.gui.workspace import Workspace


class UndoActions(QObject):
    """Edit ▸ Undo/Redo, naming the action, following the open project's undo stack."""

    def __init__(self, window: QMainWindow, current: CurrentSession) -> None:
        super().__init__(window)
        self.stack: QUndoStack | None = None
        self.undo = QAction("Undo", window, objectName="actionUndo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = QAction("Redo", window, objectName="actionRedo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo.triggered.connect(lambda: self.stack and self.stack.undo())
        self.redo.triggered.connect(lambda: self.stack and self.stack.redo())
        current.sig_session_changed.connect(self._bind)
        if current.session is not None:
            self._bind(current.session)

    def _bind(self, session: ProjectSession) -> None:
        if self.stack is not None:
            with suppress(RuntimeError, TypeError):  # the old stack may be gone already
                self.stack.indexChanged.disconnect(self._refresh)
        self.stack = session.undo_stack
        self.stack.indexChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self, *_args: object) -> None:
        stack = self.stack
        try:
            stack.canUndo()
        except RuntimeError:  # the stack is being destroyed with its project's session
            return
        self.undo.setEnabled(stack.canUndo())
        self.redo.setEnabled(stack.canRedo())
        self.undo.setText(f"Undo {stack.undoText()}" if stack.canUndo() else "Undo")
        self.redo.setText(f"Redo {stack.redoText()}" if stack.canRedo() else "Redo")


def make_action(owner: QMainWindow, text: str, name: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                ) -> QAction:
    """A window action with an objectName (for tests and accessibility tools)."""
    action = QAction(text, owner, objectName=name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def build_menus(window: QMainWindow, current: CurrentSession, files: FileActions,
                coding: CodingActions, workspace: Workspace, docks: list[QDockWidget],
                focus: dict[str, Callable[[], object]],
                tell: Callable[[str], None]) -> UndoActions:
    """Fill *window*'s menu bar; returns the undo actions, which follow the open project.

    *focus* maps 'documents' and 'segments' to what moves the keyboard focus there; *tell*
    shows a passing message.
    """
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("menuFile")
    file_menu.addAction(make_action(window, "&New project…", "actionNewProject",
                                    files.new_project, QKeySequence.StandardKey.New))
    file_menu.addAction(make_action(window, "&Open project…", "actionOpenProject",
                                    files.open_project_dialog, QKeySequence.StandardKey.Open))
    file_menu.addMenu(files.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(make_action(window, "&Import documents…", "actionImportDocuments",
                                    files.import_files, "Ctrl+I"))
    file_menu.addAction(make_action(window, "Import a &folder…", "actionImportFolder",
                                    files.import_folder, "Ctrl+Shift+I"))
    file_menu.addSeparator()
    file_menu.addAction(make_action(window, "&Close", "actionClose", window.close,
                                    QKeySequence.StandardKey.Quit))

    undo = UndoActions(window, current)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("menuEdit")
    edit_menu.addAction(undo.undo)
    edit_menu.addAction(undo.redo)
    edit_menu.addSeparator()
    edit_menu.addAction(make_action(window, "Coder &name…", "actionCoderName",
                                    files.ask_coder))

    bar.addMenu(coding.code_menu)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("menuView")
    view_menu.addAction(make_action(window, "&Add pane", "actionAddPane",
                                    lambda: _add_pane(workspace, focus, tell), "Ctrl+T"))
    view_menu.addAction(make_action(window, "Close &pane", "actionClosePane",
                                    lambda: workspace.close_pane(workspace.active_pane()),
                                    "Ctrl+W"))
    view_menu.addAction(make_action(window, "&Next pane", "actionNextPane",
                                    workspace.next_pane, "F6"))
    view_menu.addAction(make_action(window, "Go to &documents", "actionFocusDocuments",
                                    focus["documents"], "Ctrl+Shift+D"))
    view_menu.addAction(make_action(window, "Go to &segments", "actionFocusSegments",
                                    focus["segments"], "Ctrl+Shift+S"))
    view_menu.addSeparator()
    for dock in docks:
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"actionToggle_{dock.objectName()}")
        view_menu.addAction(toggle)
    for action in (undo.undo, undo.redo):
        window.addAction(action)
    return undo


def _add_pane(workspace: Workspace, focus: dict[str, Callable[[], object]],
              tell: Callable[[str], None]) -> None:
    pane = workspace.add_pane()
    if pane is None:
        tell("At most four panes can be open.")
        return
    workspace.set_active(pane)
    focus["documents"]()  # the new pane is empty: choose what it shows
