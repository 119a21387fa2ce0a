"""Menus and their actions: File, Edit, Code, View."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from kzcoder.gui.file_actions import FileActions

if TYPE_CHECKING:
    from kzcoder.gui.main_window import MainWindow


class UndoActions(QObject):
    """Edit ▸ Undo/Redo, naming the action, following the open project's undo stack."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.stack: QUndoStack | None = None
        self.undo = QAction("Undo", window, objectName="actionUndo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = QAction("Redo", window, objectName="actionRedo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo.triggered.connect(lambda: self.stack and self.stack.undo())
        self.redo.triggered.connect(lambda: self.stack and self.stack.redo())

    def bind(self, stack: QUndoStack) -> None:
        if self.stack is not None:
            self.stack.indexChanged.disconnect(self._refresh)
        self.stack = stack
        stack.indexChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self, *_args: object) -> None:
        stack = self.stack
        self.undo.setEnabled(stack.canUndo())
        self.redo.setEnabled(stack.canRedo())
        self.undo.setText(f"Undo {stack.undoText()}" if stack.canUndo() else "Undo")
        self.redo.setText(f"Redo {stack.redoText()}" if stack.canRedo() else "Redo")


def _action(window: MainWindow, text: str, name: str, slot, shortcut=None) -> QAction:  # noqa: ANN001
    action = QAction(text, window, objectName=name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def build_menus(window: MainWindow) -> UndoActions:
    """Create the menu bar; returns the undo actions, which follow the open project."""
    bar = window.menuBar()
    files = FileActions(window)
    window.file_actions = files
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("menuFile")
    file_menu.addAction(_action(window, "&New project…", "actionNewProject", files.new_project,
                                QKeySequence.StandardKey.New))
    file_menu.addAction(_action(window, "&Open project…", "actionOpenProject",
                                files.open_project_dialog, QKeySequence.StandardKey.Open))
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.recent_menu.setObjectName("menuRecent")
    window.recent_menu.aboutToShow.connect(files.fill_recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "&Import documents…", "actionImportDocuments",
                                files.import_files, "Ctrl+I"))
    file_menu.addAction(_action(window, "Import a &folder…", "actionImportFolder",
                                files.import_folder, "Ctrl+Shift+I"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "&Close", "actionClose", window.close,
                                QKeySequence.StandardKey.Quit))

    undo = UndoActions(window)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("menuEdit")
    edit_menu.addAction(undo.undo)
    edit_menu.addAction(undo.redo)
    edit_menu.addSeparator()
    edit_menu.addAction(_action(window, "Coder &name…", "actionCoderName", files.ask_coder))

    window.code_menu = bar.addMenu("&Code")
    window.code_menu.setObjectName("menuCode")
    coding_menu = bar.addMenu("C&oding")
    coding_menu.setObjectName("menuCoding")
    coding_menu.addAction(window.coding.remove_action)

    workspace = window.workspace
    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("menuView")
    view_menu.addAction(_action(window, "&Add pane", "actionAddPane", window.add_pane,
                                "Ctrl+T"))
    view_menu.addAction(_action(window, "Close &pane", "actionClosePane",
                                lambda: workspace.close_pane(workspace.active_pane()),
                                "Ctrl+W"))
    view_menu.addAction(_action(window, "&Next pane", "actionNextPane", window.next_pane, "F6"))
    view_menu.addAction(_action(window, "Go to &documents", "actionFocusDocuments",
                                window.documents_dock.view.setFocus, "Ctrl+Shift+D"))
    view_menu.addAction(_action(window, "Go to &segments", "actionFocusSegments",
                                window.segments_dock.view.setFocus, "Ctrl+Shift+S"))
    view_menu.addSeparator()
    for dock in (window.documents_dock, window.codebook_dock, window.segments_dock):
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"actionToggle_{dock.objectName()}")
        view_menu.addAction(toggle)
    for action in (undo.undo, undo.redo):
        window.addAction(action)
    return undo
