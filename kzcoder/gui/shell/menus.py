"""The menu bar: File, Edit, Code, Codebook, View, Help. Actions come from the objects that
own them; this module only arranges them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from kzcoder.gui.codebook.actions import CodebookActions
from kzcoder.gui.coding.actions import CodingActions
from kzcoder.gui.documents.dock import DocumentsDock
from kzcoder.gui.operations.session import CurrentSession, ProjectSession
from kzcoder.gui.shell.export_actions import ExportActions
from kzcoder.gui.shell.file_actions import FileActions
from kzcoder.gui.shell.workspace import Workspace


class UndoActions(QObject):
    """Edit ▸ Undo/Redo, naming the action, following the open project's undo stack."""

    def __init__(self, window: QMainWindow, current: CurrentSession,
                 tell: Callable[[str], None] | None = None) -> None:
        super().__init__(window)
        self.stack: QUndoStack | None = None
        self._tell = tell or (lambda _text: None)
        self._current = current
        self.undo = QAction("Undo", window, objectName="actionUndo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = QAction("Redo", window, objectName="actionRedo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo.triggered.connect(lambda: self._step(undo=True))
        self.redo.triggered.connect(lambda: self._step(undo=False))
        current.sig_session_changed.connect(self._bind)
        self._bind(current.session)

    def _step(self, *, undo: bool) -> None:
        """Undo or redo, and say what (a failure is reported by the session instead)."""
        stack = self.stack
        if stack is None or not (stack.canUndo() if undo else stack.canRedo()):
            return
        session = self._current.session
        if session is not None and session.offline:  # before the stack moves: it stays true
            session.sig_error.emit(f"{session.project.path}: connection lost — reconnecting; "
                                   f"nothing was {'undone' if undo else 'redone'}")
            return
        text, before = (stack.undoText() if undo else stack.redoText()), stack.index()
        stack.undo() if undo else stack.redo()
        if stack.index() != before:
            self._tell(f"Undone: {text}. Ctrl+Y redoes it." if undo else
                       f"Redone: {text}. Ctrl+Z undoes it.")

    def _bind(self, session: ProjectSession | None) -> None:
        if self.stack is not None:
            with suppress(RuntimeError, TypeError):  # the old stack may be gone already
                self.stack.indexChanged.disconnect(self._refresh)
        self.stack = session.undo_stack if session is not None else None
        if self.stack is not None:
            self.stack.indexChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self, *_args: object) -> None:
        stack = self.stack
        try:
            can_undo, can_redo = (stack.canUndo(), stack.canRedo()) if stack else (False, False)
        except RuntimeError:  # the stack is being destroyed with its project's session
            can_undo = can_redo = False
        self.undo.setEnabled(can_undo)
        self.redo.setEnabled(can_redo)
        self.undo.setText(f"Undo {stack.undoText()}" if can_undo else "Undo")
        self.redo.setText(f"Redo {stack.redoText()}" if can_redo else "Redo")


def make_action(owner: QMainWindow, text: str, name: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                ) -> QAction:
    """A window action with an objectName (for tests and accessibility tools)."""
    action = QAction(text, owner, objectName=name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())  # no checked flag
    return action


def _menu(window: QMainWindow, title: str, name: str) -> QMenu:
    menu = window.menuBar().addMenu(title)
    menu.setObjectName(name)
    return menu


def build_menus(window: QMainWindow, current: CurrentSession, files: FileActions,
                exports: ExportActions, coding: CodingActions, codebook: CodebookActions,
                documents: DocumentsDock,
                workspace: Workspace,
                docks: list[QDockWidget], window_actions: dict[str, Callable[[], object]],
                tell: Callable[[str], None]) -> UndoActions:
    """Fill *window*'s menu bar; returns the undo actions, which follow the open project.

    *window_actions* maps 'documents', 'codebook', 'segments', 'memo' to what moves the
    keyboard focus there, 'close_project', 'reset_layout', 'shortcuts' and 'about' to what
    they do; *tell* shows a passing message.
    """
    def add(menu: QMenu, text: str, name: str, slot: Callable[[], object],
            key: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = make_action(window, text, name, slot, key)
        menu.addAction(action)
        return action

    file_menu = _menu(window, "&File", "menuFile")
    add(file_menu, "&New project…", "actionNewProject", files.new_project,
        QKeySequence.StandardKey.New)
    add(file_menu, "&Open project…", "actionOpenProject", files.open_project_dialog,
        QKeySequence.StandardKey.Open)
    add(file_menu, "Open &URL…", "actionOpenUrl", files.open_url_dialog, "Ctrl+Shift+O")
    file_menu.addMenu(files.recent_menu)
    file_menu.addSeparator()
    add(file_menu, "&Import documents…", "actionImportDocuments", files.import_files, "Ctrl+I")
    add(file_menu, "Import a &folder…", "actionImportFolder", files.import_folder,
        "Ctrl+Shift+I")
    add(file_menu, "Import a REFI-QDA pro&ject…", "actionImportRefi",
        lambda: exports.import_project())
    file_menu.addMenu(exports.menu)
    file_menu.addSeparator()
    add(file_menu, "Save a co&py…", "actionSaveCopy", files.save_copy)
    add(file_menu, "Restore from a &backup…", "actionRestoreBackup", files.restore_from_backup)
    file_menu.addSeparator()
    add(file_menu, "&Close project", "actionCloseProject", window_actions["close_project"])
    add(file_menu, "&Quit", "actionQuit", window.close, "Ctrl+Q")

    undo = UndoActions(window, current, tell)
    edit_menu = _menu(window, "&Edit", "menuEdit")
    edit_menu.addAction(undo.undo)
    edit_menu.addAction(undo.redo)
    edit_menu.addSeparator()
    add(edit_menu, "Coder &name…", "actionCoderName", files.ask_coder)
    edit_menu.addAction(documents.details_action)
    edit_menu.addAction(documents.attributes_action)

    window.menuBar().addMenu(coding.code_menu)
    window.menuBar().addMenu(codebook.menu)

    team_menu = _menu(window, "&Team", "menuTeam")
    add(team_menu, "&Merge another project…", "actionMergeProject", window_actions["merge"])
    add(team_menu, "&Agreement between coders…", "actionAgreement",
        window_actions["agreement"], "Ctrl+Shift+A")

    view_menu = _menu(window, "&View", "menuView")
    add(view_menu, "&Add pane", "actionAddPane",
        lambda: _add_pane(workspace, window_actions["documents"], tell), "Ctrl+T")
    add(view_menu, "Close &pane", "actionClosePane",
        lambda: workspace.close_pane(workspace.active_pane()), "Ctrl+W")
    add(view_menu, "&Next pane", "actionNextPane", workspace.next_pane, "F6")
    view_menu.addSeparator()
    add(view_menu, "Go to &documents", "actionFocusDocuments", window_actions["documents"],
        "Ctrl+Shift+D")
    add(view_menu, "Go to code&book", "actionFocusCodebook", window_actions["codebook"],
        "Ctrl+Shift+B")
    add(view_menu, "Go to &segments", "actionFocusSegments", window_actions["segments"],
        "Ctrl+Shift+S")
    add(view_menu, "Go to &memo", "actionFocusMemo", window_actions["memo"], "Ctrl+Shift+M")
    view_menu.addSeparator()
    for dock in docks:
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"actionToggle_{dock.objectName()}")
        view_menu.addAction(toggle)
    view_menu.addSeparator()
    add(view_menu, "&Reset layout", "actionResetLayout", window_actions["reset_layout"])

    help_menu = _menu(window, "&Help", "menuHelp")
    add(help_menu, "&Keyboard shortcuts", "actionShortcuts", window_actions["shortcuts"],
        QKeySequence.StandardKey.HelpContents)
    add(help_menu, "&About kzcoder", "actionAbout", window_actions["about"])
    for action in (undo.undo, undo.redo):
        window.addAction(action)
    return undo


def _add_pane(workspace: Workspace, focus_documents: Callable[[], object],
              tell: Callable[[str], None]) -> None:
    pane = workspace.add_pane()
    if pane is None:
        tell("At most four panes can be open.")
        return
    workspace.set_active(pane)
    focus_documents()  # the new pane is empty: choose what it shows
