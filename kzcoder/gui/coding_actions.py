"""Coding from the GUI: shortcut keys, the context menu, memo and code changes, removal.
Every change goes through ProjectSession.apply as an undoable command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from kzcoder.gui.codebook.codebook_model import swatch
from kzcoder.gui.lazy import lazy_import
from kzcoder.services.dto import CodeInfo

undoable = lazy_import("kzcoder.services.undoable")

if TYPE_CHECKING:
    from kzcoder.gui.coding.document_pane import DocumentPane
    from kzcoder.gui.main_window import MainWindow


class CodingActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.code_actions: list[QAction] = []
        self.remove_action = QAction("Remove coding at cursor", window,
                                     objectName="actionRemoveCodingAtCursor")
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.triggered.connect(self.remove_at_cursor)
        window.workspace.sig_context_menu.connect(self.show_context_menu)
        window.workspace.sig_code_dropped.connect(self._code_dropped)
        window.workspace.sig_selection_changed.connect(window._update_status)

    # --- actions --------------------------------------------------------------------------
    def rebuild_code_actions(self, codes: list[CodeInfo]) -> None:
        """One 'Code as' action per code; codes with a key 1–9 get it as their shortcut."""
        for action in self.code_actions:
            self.window.removeAction(action)
            action.deleteLater()
        self.code_actions = []
        for code in codes:
            action = QAction(swatch(code.color), code.name, self.window,
                             objectName=f"actionCode_{code.id}")
            if code.shortcut:
                action.setShortcut(QKeySequence(code.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, cid=code.id: self.code_selection(cid))
            self.window.addAction(action)
            self.code_actions.append(action)
        menu = getattr(self.window, "code_menu", None)
        if menu is not None:
            menu.clear()
            menu.addActions(self.code_actions)

    # --- coding ---------------------------------------------------------------------------
    def code_selection(self, code_id: int, pane: DocumentPane | None = None) -> bool:
        """Code the selection of *pane* (default: the active pane) with *code_id*."""
        pane = pane or self.window.workspace.active_pane()
        if self.window.session is None:
            return False
        span = pane.view.selection_span() if pane is not None else None
        if span is None or pane.view.document_id is None:
            self.window.statusBar().showMessage("Select some text first, then choose a code.",
                                                4000)
            return False
        code = self.window.codes().get(code_id)
        command = undoable.AddCoding(
            document_id=pane.view.document_id, code_id=code_id, start=span[0], end=span[1],
            coder=self.window.session.coder, code_name=code.name if code else "")
        return self.window.session.apply(command, initiator=pane)

    def _code_dropped(self, pane: DocumentPane, code_id: int) -> None:
        self.window.workspace.set_active(pane)
        self.code_selection(code_id, pane)

    def remove_at_cursor(self) -> None:
        """Remove the most recent coding under the cursor of the active pane."""
        pane = self.window.workspace.active_pane()
        if self.window.session is None or pane is None or pane.view.document_id is None:
            return
        here = pane.view.codings_at(pane.view.cursor_codepoint())
        if not here:
            self.window.statusBar().showMessage("No coding at the cursor.", 4000)
            return
        self.window.session.apply(undoable.RemoveCoding(max(here, key=lambda c: c.id).id))

    # --- context menu ---------------------------------------------------------------------
    def build_context_menu(self, pane: DocumentPane, codepoint: int,
                           coding_ids: list[int]) -> QMenu:
        menu = QMenu(pane, objectName="codingContextMenu")
        code_as = menu.addMenu("Code as")
        code_as.setObjectName("menuCodeAs")
        code_as.setEnabled(pane.view.selection_span() is not None)
        for code in self.window.codes().values():
            action = code_as.addAction(swatch(code.color), code.name)
            action.setObjectName(f"contextCodeAs_{code.id}")
            action.triggered.connect(lambda _=False, cid=code.id: self.code_selection(cid, pane))
        here = [c for c in pane.view.codings_at(codepoint) if c.id in coding_ids]
        for coding in sorted(here, key=lambda c: c.id):
            code = self.window.codes().get(coding.code_id)
            name = code.name if code else "?"
            sub = menu.addMenu(swatch(code.color) if code else menu.icon(),
                               f"{name} — {coding.coder}")
            sub.setObjectName(f"menuCoding_{coding.id}")
            remove = sub.addAction("Remove coding")
            remove.setObjectName(f"actionRemoveCoding_{coding.id}")
            remove.triggered.connect(
                lambda _=False, i=coding.id: self.window.session.apply(undoable.RemoveCoding(i)))
            memo = sub.addAction("Edit memo…")
            memo.setObjectName(f"actionEditMemo_{coding.id}")
            memo.triggered.connect(lambda _=False, c=coding: self.edit_memo(c.id, c.memo))
            change = sub.addMenu("Change code to")
            for other in self.window.codes().values():
                if other.id != coding.code_id:
                    act = change.addAction(swatch(other.color), other.name)
                    act.setObjectName(f"actionChangeCode_{coding.id}_{other.id}")
                    act.triggered.connect(lambda _=False, i=coding.id, o=other: self.change_code(
                        i, o))
        return menu

    def show_context_menu(self, pane: DocumentPane, global_pos: QPoint, codepoint: int,
                          coding_ids: list[int]) -> None:
        self.window.workspace.set_active(pane)
        self.build_context_menu(pane, codepoint, coding_ids).exec(global_pos)

    def edit_memo(self, coding_id: int, current: str) -> None:
        text, ok = QInputDialog.getMultiLineText(self.window, "Coding memo", "Memo:", current)
        if ok and text != current:
            self.set_memo(coding_id, text)

    def set_memo(self, coding_id: int, memo: str) -> bool:
        edit = undoable.EditCoding(coding_id, memo=memo, text="Edit memo")
        return self.window.session.apply(edit)

    def change_code(self, coding_id: int, code: CodeInfo) -> bool:
        return self.window.session.apply(
            undoable.EditCoding(coding_id, code_id=code.id, text=f"Change code to {code.name}"))
