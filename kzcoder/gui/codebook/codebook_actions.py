"""The Codebook menu and the codebook's context menu: rename, recolour, delete a code.
Each is an undoable command run through the session; the code acted on is the one under the
codebook's cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMenu, QMessageBox, QWidget

from kzcoder.gui.codebook.codebook_dock import CodebookDock
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import removals, undoable
else:
    removals = lazy_import("kzcoder.services.removals")
    undoable = lazy_import("kzcoder.services.undoable")

Confirm = Callable[[QWidget, str, str], bool]


def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    """A Yes/No question whose default is No."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class CodebookActions(QObject):
    """Rename (F2), Colour… and Delete (Delete) for the code under the codebook's cursor; their
    keys act only while the focus is in the codebook. *confirm* asks before a deletion."""

    def __init__(self, window: QWidget, current: CurrentSession, dock: CodebookDock,
                 tell: Callable[[str], None], confirm: Confirm = ask_yes_no) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._dock = dock
        self._tell = tell
        self.confirm = confirm
        self.menu = QMenu("Code&book", window, objectName="menuCodebook")
        self.rename_action = self._action("&Rename code…", "actionRenameCode", self.rename,
                                          "F2")
        self.color_action = self._action("Change &colour…", "actionRecolorCode", self.recolor)
        self.delete_action = self._action("&Delete code…", "actionDeleteCode", self.delete,
                                          Qt.Key.Key_Delete)
        self.menu.addActions([self.rename_action, self.color_action, self.delete_action])
        dock.view.customContextMenuRequested.connect(self._context_menu)

    def _action(self, text: str, name: str, slot: Callable[[], object],
                key: str | Qt.Key | None = None) -> QAction:
        action = QAction(text, self._dock.view, objectName=name)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self._dock.view.addAction(action)
        return action

    def _code(self):  # noqa: ANN202 - CodeInfo | None
        session = self._current.session
        code_id = self._dock.current_code()
        if session is None or code_id is None:
            self._tell("Choose a code in the codebook first.")
            return None
        return session.codes.get(code_id)

    def rename(self) -> None:
        code = self._code()
        if code is None:
            return
        name, ok = QInputDialog.getText(self._window, "Rename code", "New name:",
                                        text=code.name)
        if ok and name.strip() and name.strip() != code.name:
            self.rename_to(code.id, name.strip())

    def rename_to(self, code_id: int, name: str) -> bool:
        return self._current.session.run_command(undoable.EditCode(code_id, name=name))

    def recolor(self) -> None:
        code = self._code()
        if code is None:
            return
        color = QColorDialog.getColor(QColor(code.color), self._window, f"Colour of {code.name}")
        if color.isValid() and color.name().upper() != code.color:
            self._current.session.run_command(undoable.EditCode(code.id, color=color.name()))

    def delete(self) -> bool:
        """Delete the code under the codebook's cursor, after a confirmation that says what
        goes with it."""
        code = self._code()
        session = self._current.session
        if code is None or session is None:
            return False
        codings, documents = removals.code_usage(session.project, code.id)
        below = len(removals.code_subtree(session.project, code.id)) - 1
        parts = [f"Delete the code '{code.name}'"]
        if below:
            parts.append(f" with its {below} sub-code{'s' if below != 1 else ''}")
        parts.append(f", and its {codings} coding{'s' if codings != 1 else ''}"
                     f" in {documents} document{'s' if documents != 1 else ''}?"
                     if codings else "? It has no codings.")
        if not self.confirm(self._window, "Delete code", "".join(parts) + "\n\nCtrl+Z undoes "
                            "it."):
            return False
        if not session.run_command(removals.DeleteCode(code.id, code.name)):
            return False
        self._tell(f"Deleted the code '{code.name}' and {codings} coding"
                   f"{'s' if codings != 1 else ''}. Ctrl+Z undoes it.")
        return True

    def _context_menu(self, pos: QPoint) -> None:
        index = self._dock.view.indexAt(pos)
        if not index.isValid():
            return
        self._dock.view.setCurrentIndex(index)
        menu = QMenu(self._dock.view, objectName="codebookContextMenu")
        code_id = self._dock.current_code()
        menu.addAction("Code the selection", lambda: self._dock.sig_code_chosen.emit(code_id))
        menu.addAction("List its segments", lambda: self._dock.sig_code_clicked.emit(code_id))
        menu.addSeparator()
        menu.addActions([self.rename_action, self.color_action, self.delete_action])
        menu.exec(self._dock.view.viewport().mapToGlobal(pos))
