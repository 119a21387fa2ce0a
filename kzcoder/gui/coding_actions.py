"""Coding from the GUI: shortcut keys, the Code menu, the context menu, memo and code
changes, removal. Every change runs through the session as an undoable command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from kzcoder.core.changes import Changes
from kzcoder.core.records import CodeInfo
from kzcoder.gui.codebook.codebook_model import swatch
from kzcoder.gui.coding.document_pane import DocumentPane
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.workspace import Workspace

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import undoable
else:
    undoable = lazy_import("kzcoder.services.undoable")


class CodingActions(QObject):
    """The Code menu (one action per code, keys 1–9) and the coding gestures of the panes.

    *window* owns the actions (so their keys work anywhere in it) and parents the dialogs;
    *tell* shows a passing message.
    """

    def __init__(self, window: QWidget, current: CurrentSession, workspace: Workspace,
                 tell: Callable[[str], None]) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._workspace = workspace
        self._tell = tell
        self.code_actions: list[QAction] = []
        self.code_menu = QMenu("&Code", window, objectName="menuCode")
        self.remove_action = QAction("Remove coding at cursor", window,
                                     objectName="actionRemoveCodingAtCursor")
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.triggered.connect(self.remove_at_cursor)
        workspace.sig_context_menu.connect(self.show_context_menu)
        workspace.sig_code_dropped.connect(self._code_dropped)
        current.sig_changed.connect(self._on_changed)

    def _codes(self) -> dict[int, CodeInfo]:
        session = self._current.session
        return session.codes if session is not None else {}

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.project or changes.code_tree or changes.codes:
            self.rebuild_code_actions(list(self._codes().values()))

    # --- actions --------------------------------------------------------------------------
    def rebuild_code_actions(self, codes: list[CodeInfo]) -> None:
        """One 'Code as' action per code; codes with a key 1–9 get it as their shortcut."""
        for action in self.code_actions:
            self._window.removeAction(action)
            action.deleteLater()
        self.code_actions = []
        for code in codes:
            action = QAction(swatch(code.color), code.name, self._window,
                             objectName=f"actionCode_{code.id}")
            if code.shortcut:
                action.setShortcut(QKeySequence(code.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, cid=code.id: self.code_selection(cid))
            self._window.addAction(action)
            self.code_actions.append(action)
        self.code_menu.clear()
        self.code_menu.addActions(self.code_actions)
        self.code_menu.addSeparator()
        self.code_menu.addAction(self.remove_action)

    # --- coding ---------------------------------------------------------------------------
    def code_selection(self, code_id: int, pane: DocumentPane | None = None) -> bool:
        """Code the selection of *pane* (default: the active pane) with *code_id*."""
        session = self._current.session
        pane = pane or self._workspace.active_pane()
        if session is None:
            return False
        span = pane.view.selection_span() if pane is not None else None
        if span is None or pane.view.document_id is None:
            self._tell("Select some text first, then choose a code.")
            return False
        code = self._codes().get(code_id)
        command = undoable.AddCoding(
            document_id=pane.view.document_id, code_id=code_id, start=span[0], end=span[1],
            coder=session.coder, code_name=code.name if code else "")
        return session.run_command(command, initiator=pane)

    def _code_dropped(self, pane: DocumentPane, code_id: int) -> None:
        self._workspace.set_active(pane)
        self.code_selection(code_id, pane)

    def remove_at_cursor(self) -> None:
        """Remove the most recent coding under the cursor of the active pane."""
        session = self._current.session
        pane = self._workspace.active_pane()
        if session is None or pane is None or pane.view.document_id is None:
            return
        here = pane.view.codings_at(pane.view.cursor_codepoint())
        if not here:
            self._tell("No coding at the cursor.")
            return
        session.run_command(undoable.RemoveCoding(max(here, key=lambda c: c.id).id))

    def remove(self, coding_id: int) -> bool:
        """Remove one coding (undoable)."""
        return self._current.session.run_command(undoable.RemoveCoding(coding_id))

    # --- context menu ---------------------------------------------------------------------
    def build_context_menu(self, pane: DocumentPane, codepoint: int,
                           coding_ids: list[int]) -> QMenu:
        menu = QMenu(pane, objectName="codingContextMenu")
        code_as = menu.addMenu("Code as")
        code_as.setObjectName("menuCodeAs")
        code_as.setEnabled(pane.view.selection_span() is not None)
        codes = self._codes()
        for code in codes.values():
            action = code_as.addAction(swatch(code.color), code.name)
            action.setObjectName(f"contextCodeAs_{code.id}")
            action.triggered.connect(lambda _=False, cid=code.id: self.code_selection(cid, pane))
        here = [c for c in pane.view.codings_at(codepoint) if c.id in coding_ids]
        for coding in sorted(here, key=lambda c: c.id):
            code = codes.get(coding.code_id)
            name = code.name if code else "?"
            sub = menu.addMenu(swatch(code.color) if code else menu.icon(),
                               f"{name} — {coding.coder}")
            sub.setObjectName(f"menuCoding_{coding.id}")
            remove = sub.addAction("Remove coding")
            remove.setObjectName(f"actionRemoveCoding_{coding.id}")
            remove.triggered.connect(lambda _=False, i=coding.id: self.remove(i))
            memo = sub.addAction("Edit memo…")
            memo.setObjectName(f"actionEditMemo_{coding.id}")
            memo.triggered.connect(lambda _=False, c=coding: self.edit_memo(c.id, c.memo))
            change = sub.addMenu("Change code to")
            for other in codes.values():
                if other.id != coding.code_id:
                    act = change.addAction(swatch(other.color), other.name)
                    act.setObjectName(f"actionChangeCode_{coding.id}_{other.id}")
                    act.triggered.connect(lambda _=False, i=coding.id, o=other: self.change_code(
                        i, o))
        return menu

    def show_context_menu(self, pane: DocumentPane, global_pos: QPoint, codepoint: int,
                          coding_ids: list[int]) -> None:
        self._workspace.set_active(pane)
        self.build_context_menu(pane, codepoint, coding_ids).exec(global_pos)

    def edit_memo(self, coding_id: int, current: str) -> None:
        text, ok = QInputDialog.getMultiLineText(self._window, "Coding memo", "Memo:", current)
        if ok and text != current:
            self.set_memo(coding_id, text)

    def set_memo(self, coding_id: int, memo: str) -> bool:
        edit = undoable.EditCoding(coding_id, memo=memo, text="Edit memo")
        return self._current.session.run_command(edit)

    def change_code(self, coding_id: int, code: CodeInfo) -> bool:
        return self._current.session.run_command(
            undoable.EditCoding(coding_id, code_id=code.id, text=f"Change code to {code.name}"))
