"""Coding from the GUI: the Code menu, shortcut keys, the panes' context menu, removal, memo
and code changes, annotations (a note on the selection, without a code). Every change runs
through the session as an undoable command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from kzcoder.core.changes import Changes
from kzcoder.core.records import CodedSpan, CodeInfo
from kzcoder.core.snapping import tidy_span
from kzcoder.gui.codebook.model import swatch
from kzcoder.gui.coding.code_picker import pick_code
from kzcoder.gui.coding.document_pane import DocumentPane
from kzcoder.gui.coding.memo_dialog import CodingMemoDialog
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.shell.workspace import Workspace

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import undoable, undoable_notes
else:
    undoable = lazy_import("kzcoder.services.undoable")
    undoable_notes = lazy_import("kzcoder.services.undoable_notes")

UNDO_HINT = "Ctrl+Z undoes it."


def _select(pane: DocumentPane, start: int, end: int) -> None:
    """Select ``[start, end)`` (code points) in *pane* without moving the view more than the
    cursor needs."""
    positions = pane.view.layer.positions
    cursor = pane.view.textCursor()
    cursor.setPosition(positions.to_utf16(start))
    cursor.setPosition(positions.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    pane.view.setTextCursor(cursor)


def code_label(code: CodeInfo) -> str:
    """A code's name with its key, as menus show it ("Force\\t3")."""
    return f"{code.name}\t{code.shortcut}" if code.shortcut else code.name


class CodingActions(QObject):
    """The Code menu and the coding gestures of the panes.

    The keys 1–9 code the active pane's selection from anywhere in *window*. Remove coding
    (Delete) and Edit memo act only while the focus is in the panes (*workspace*), on the
    coding the user sees under the text cursor. *tell* shows a passing message.
    """

    def __init__(self, window: QWidget, current: CurrentSession, workspace: Workspace,
                 tell: Callable[[str], None]) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._workspace = workspace
        self._tell = tell
        self.code_actions: list[QAction] = []
        self.pick = pick_code  # tests answer it themselves
        self.code_menu = QMenu("&Code", window, objectName="menuCode")
        self.code_as_menu = QMenu("Code &as", window, objectName="menuCodeAs")
        self.remove_action = self._pane_action("&Remove coding", "actionRemoveCodingAtCursor",
                                               self.remove_at_cursor, Qt.Key.Key_Delete)
        self.memo_action = self._pane_action("Edit &memo…", "actionEditMemoAtCursor",
                                             self.edit_memo_at_cursor, "Ctrl+M")
        self.code_with_action = QAction("Code &with…", window, objectName="actionCodeWith")
        self.code_with_action.setShortcut(QKeySequence("Ctrl+K"))
        self.code_with_action.triggered.connect(lambda _checked=False: self.code_with())
        window.addAction(self.code_with_action)
        self.change_action = self._pane_action("C&hange code…", "actionChangeCodeAtCursor",
                                               self.change_at_cursor, "Ctrl+Shift+K")
        self.code_menu.addMenu(self.code_as_menu)
        self.code_menu.addAction(self.code_with_action)
        self.code_menu.addSeparator()
        self.code_menu.addAction(self.remove_action)
        self.code_menu.addAction(self.memo_action)
        self.code_menu.addAction(self.change_action)
        self.code_menu.addSeparator()
        self.annotate_action = self._pane_action("Ann&otate selection…", "actionAnnotate",
                                                 self.annotate_selection, "Ctrl+Shift+N")
        self.annotate_action.setToolTip("A note on the selected text without a code: marked "
                                        "in the margin, its text shown on hover")
        self.remove_annotation_action = self._pane_action(
            "Remove a&nnotation", "actionRemoveAnnotationAtCursor",
            self.remove_annotation_at_cursor, "Ctrl+Shift+Del")
        self.code_menu.addAction(self.annotate_action)
        self.code_menu.addAction(self.remove_annotation_action)
        self.code_menu.addSeparator()
        self.snap_action = QAction("&Snap selections to whole words", window,
                                   objectName="actionSnapWholeWords", checkable=True,
                                   checked=True)
        self.snap_action.setToolTip("Coding widens a selection that cuts a word to the whole "
                                    "word (white space at its ends is always left out)")
        self.code_menu.addAction(self.snap_action)
        workspace.sig_context_menu.connect(self.show_context_menu)
        workspace.sig_code_dropped.connect(self._code_dropped)
        current.sig_changed.connect(self._on_changed)

    def _pane_action(self, text: str, name: str, slot: Callable[[], object],
                     key: Qt.Key | str) -> QAction:
        action = QAction(text, self._workspace, objectName=name)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self._workspace.addAction(action)  # its key works while the focus is in a pane
        return action

    def _codes(self) -> dict[int, CodeInfo]:
        session = self._current.session
        return session.codes if session is not None else {}

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if self._current.session is None or changes.project or changes.code_tree \
                or changes.codes:
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
        self.code_as_menu.clear()
        self.code_as_menu.addActions(self.code_actions)

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
        tidy = tidy_span(pane.view.stored_text, *span, whole_words=self.snap_action.isChecked())
        if tidy is None:
            self._tell("The selection is only white space: nothing to code.")
            return False
        if tidy != span:
            _select(pane, *tidy)  # what is coded is what stays selected
            span = tidy
        code = self._codes().get(code_id)
        if code is not None and not code.codable:  # never offered to the service
            self._tell(f"'{code.name}' is a category: code with one of its sub-codes.")
            return False
        command = undoable.AddCoding(
            document_id=pane.view.document_id, code_id=code_id, start=span[0], end=span[1],
            coder=session.coder, code_name=code.name if code else "")
        return session.run_command(command, initiator=pane)

    def code_with(self) -> bool:
        """Code the active pane's selection with a code chosen by typing part of its name."""
        pane = self._workspace.active_pane()
        if pane is None or pane.view.selection_span() is None:
            self._tell("Select some text first, then choose a code.")
            return False
        code_id = self.pick(self._window, "Code with", "Code the selection with:",
                            list(self._codes().values()))
        return code_id is not None and self.code_selection(code_id, pane)

    def change_at_cursor(self) -> bool:
        """Give the coding under the cursor another code, chosen by typing."""
        coding, _count = self.coding_at_cursor()
        if coding is None:
            self._tell("No coding at the cursor.")
            return False
        return self.change_with_picker(coding)

    def change_with_picker(self, coding: CodedSpan) -> bool:
        code_id = self.pick(self._window, "Change code",
                            f"Change the coding {self.describe(coding)} to:",
                            list(self._codes().values()), exclude=coding.code_id)
        code = self._codes().get(code_id) if code_id is not None else None
        return code is not None and self.change_code(coding.id, code)

    def _code_dropped(self, pane: DocumentPane, code_id: int) -> None:
        self._workspace.set_active(pane)
        self.code_selection(code_id, pane)

    def codings_at_cursor(self) -> list[CodedSpan]:
        """The codings under the active pane's text cursor, newest (the colour shown) first."""
        pane = self._workspace.active_pane()
        if pane is None or pane.view.document_id is None:
            return []
        view = pane.view
        cursor = view.cursor_codepoint()
        here = view.codings_at(cursor)
        if not here and view.selection_span() is None and cursor > 0:
            here = view.codings_at(cursor - 1)  # the cursor just after a coded word
        return sorted(here, key=lambda c: c.id, reverse=True)

    def coding_at_cursor(self) -> tuple[CodedSpan | None, int]:
        """The coding the user sees under the active pane's text cursor (the newest one: its
        colour is the one shown) and how many codings are there."""
        here = self.codings_at_cursor()
        return (here[0] if here else None), len(here)

    def describe(self, coding: CodedSpan) -> str:
        code = self._codes().get(coding.code_id)
        return f"'{code.name if code else '?'}' by {coding.coder}"

    def remove_at_cursor(self) -> bool:
        """Remove the coding the user sees under the cursor of the active pane."""
        session = self._current.session
        coding, count = self.coding_at_cursor()
        if session is None or coding is None:
            self._tell("No coding at the cursor.")
            return False
        if not session.run_command(undoable.RemoveCoding(coding.id)):
            return False
        others = f" (the newest of {count} codings here)" if count > 1 else ""
        self._tell(f"Removed the coding {self.describe(coding)}{others}. {UNDO_HINT}")
        return True

    def remove(self, coding_id: int) -> bool:
        """Remove one coding (undoable)."""
        return self._current.session.run_command(undoable.RemoveCoding(coding_id))

    def edit_memo_at_cursor(self) -> None:
        """The memo of the coding under the cursor; where several overlap, the dialog offers
        each (the newest, whose colour shows, first)."""
        here = self.codings_at_cursor()
        if not here:
            self._tell("No coding at the cursor.")
            return
        self._memo_dialog(here, self._workspace.active_pane().view.stored_text)

    # --- annotations ----------------------------------------------------------------------
    def annotate_selection(self, pane: DocumentPane | None = None,
                           note: str | None = None) -> bool:
        """Anchor a note (asked for unless given) to the selection of *pane* (default: the
        active pane), trimmed of white space at its ends; undoable."""
        session = self._current.session
        pane = pane or self._workspace.active_pane()
        span = pane.view.selection_span() if pane is not None else None
        if session is None or span is None or pane.view.document_id is None:
            self._tell("Select some text first, then annotate it.")
            return False
        tidy = tidy_span(pane.view.stored_text, *span, whole_words=False)
        if tidy is None:
            self._tell("The selection is only white space: nothing to annotate.")
            return False
        if note is None:
            # one line, Return for OK, as a note beside a phrase is typed (longer ones come
            # from the command line or an import)
            note, ok = QInputDialog.getText(self._window, "Annotate",
                                            "Note on the selected text:")
            if not ok:
                return False
        if not note.strip():
            self._tell("An annotation needs a text: nothing was added.")
            return False
        command = undoable_notes.AddAnnotation(pane.view.document_id, tidy[0], tidy[1], note,
                                               session.coder)
        if not session.run_command(command, initiator=pane):
            return False
        self._tell(f"Annotated [{tidy[0]}, {tidy[1]}). {UNDO_HINT}")
        return True

    def remove_annotation_at_cursor(self) -> bool:
        """Remove the annotation under the active pane's cursor (the latest added there)."""
        pane = self._workspace.active_pane()
        here = pane.view.annotations_at(pane.view.cursor_codepoint()) \
            if pane is not None and pane.view.document_id is not None else []
        if not here:
            self._tell("No annotation at the cursor.")
            return False
        return self.remove_annotation(max(here, key=lambda a: a.id).id)

    def remove_annotation(self, annotation_id: int) -> bool:
        """Remove one annotation (undoable)."""
        session = self._current.session
        if session is None or not session.run_command(
                undoable_notes.RemoveAnnotation(annotation_id)):
            return False
        self._tell(f"Removed the annotation. {UNDO_HINT}")
        return True

    def build_context_menu(self, pane: DocumentPane, codepoint: int,
                           coding_ids: list[int]) -> QMenu:
        menu = QMenu(pane, objectName="codingContextMenu")
        code_as = menu.addMenu("Code as")
        code_as.setObjectName("menuCodeAs")
        has_selection = pane.view.selection_span() is not None
        code_as.setEnabled(has_selection)
        codes = self._codes()
        for code in codes.values():
            action = code_as.addAction(swatch(code.color), code_label(code))
            action.setObjectName(f"contextCodeAs_{code.id}")
            action.triggered.connect(lambda _=False, cid=code.id: self.code_selection(cid, pane))
        copy = menu.addAction("Copy")
        copy.setObjectName("actionCopySelection")
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setEnabled(has_selection)
        copy.triggered.connect(pane.view.copy)
        annotate = menu.addAction("Annotate selection…")
        annotate.setObjectName("contextAnnotate")
        annotate.setEnabled(has_selection)
        annotate.triggered.connect(lambda _=False: self.annotate_selection(pane))
        for note in pane.view.annotations_at(codepoint):
            short = note.text if len(note.text) <= 30 else note.text[:30] + "…"
            remove_note = menu.addAction(f"Remove annotation “{short.replace(chr(10), ' ')}”")
            remove_note.setObjectName(f"actionRemoveAnnotation_{note.id}")
            remove_note.triggered.connect(lambda _=False, n=note.id: self.remove_annotation(n))
        here = [c for c in pane.view.codings_at(codepoint) if c.id in coding_ids]
        if here:
            menu.addSeparator()
        for coding in sorted(here, key=lambda c: c.id, reverse=True):  # newest (shown) first
            code = codes.get(coding.code_id)
            name = code.name if code else "?"
            sub = menu.addMenu(swatch(code.color) if code else menu.icon(),
                               f"{name} — {coding.coder}")
            sub.setObjectName(f"menuCoding_{coding.id}")
            remove = sub.addAction("Remove coding")
            remove.setObjectName(f"actionRemoveCoding_{coding.id}")
            remove.triggered.connect(lambda _=False, c=coding: self._remove_and_tell(c))
            memo = sub.addAction("Edit memo…")
            memo.setObjectName(f"actionEditMemo_{coding.id}")
            memo.triggered.connect(lambda _=False, c=coding: self.edit_memo(c.id, c.memo))
            change = sub.addAction("Change code…")  # a filtered list: no third submenu
            change.setObjectName(f"actionChangeCodePick_{coding.id}")
            change.triggered.connect(lambda _=False, c=coding: self.change_with_picker(c))
        return menu

    def _remove_and_tell(self, coding: CodedSpan) -> None:
        if self.remove(coding.id):
            self._tell(f"Removed the coding {self.describe(coding)}. {UNDO_HINT}")

    def show_context_menu(self, pane: DocumentPane, global_pos: QPoint, codepoint: int,
                          coding_ids: list[int]) -> None:
        self._workspace.set_active(pane)
        self.build_context_menu(pane, codepoint, coding_ids).exec(global_pos)

    def edit_memo(self, coding_id: int, current: str) -> None:
        """The memo of one coding (from a pane's context menu)."""
        pane = self._workspace.active_pane()
        coding = pane.view.layer.codings.get(coding_id) if pane is not None else None
        if coding is not None:
            self._memo_dialog([coding], pane.view.stored_text)

    def _memo_dialog(self, codings: list[CodedSpan], text: str) -> None:
        dialog = CodingMemoDialog(self._window, [(c, self.describe(c)) for c in codings], text)
        if dialog.exec() == CodingMemoDialog.DialogCode.Accepted \
                and dialog.text() != dialog.coding.memo:
            self.set_memo(dialog.coding.id, dialog.text())

    def set_memo(self, coding_id: int, memo: str) -> bool:
        edit = undoable.EditCoding(coding_id, memo=memo, text="Edit memo")
        return self._current.session.run_command(edit)

    def change_code(self, coding_id: int, code: CodeInfo) -> bool:
        return self._current.session.run_command(
            undoable.EditCoding(coding_id, code_id=code.id, text=f"Change code to {code.name}"))
