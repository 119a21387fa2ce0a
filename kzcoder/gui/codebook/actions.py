"""The Codebook menu and the codebook's context menu: new code, new sub-code, rename in place,
colour, key, merge, delete, and the code sets the code is in (add to a set, new or named;
take out of one; remove a set). Each is an undoable command run through the session; the code acted
on is the one under the codebook's cursor, and the keys act while the focus is in the codebook.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QColorDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QWidget,
)

from kzcoder.core.colors import color_for_new_code
from kzcoder.gui.codebook.dock import CodebookDock
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.project_folder import project_folder

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import code_sets, removals, undoable, undoable_notes
    from kzcoder.services.codebook import exchange as codebook_exchange
    from kzcoder.services.codebook import tree as code_tree
else:
    codebook_exchange = lazy_import("kzcoder.services.codebook.exchange")
    code_tree = lazy_import("kzcoder.services.codebook.tree")
    code_sets = lazy_import("kzcoder.services.code_sets")
    removals = lazy_import("kzcoder.services.removals")
    undoable = lazy_import("kzcoder.services.undoable")
    undoable_notes = lazy_import("kzcoder.services.undoable_notes")

#: asks how to delete: (parent, question, has sub-codes) -> None (cancel), "all" or "lift"
AskDelete = Callable[[QWidget, str, bool], str | None]
#: chooses among (label, value) pairs: (parent, title, items) -> value or None
Choose = Callable[[QWidget, str, list[tuple[str, object]]], object]


def ask_delete(parent: QWidget, question: str, has_children: bool) -> str | None:
    """Delete with or without the sub-codes, or cancel (the default)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Delete code", question,
                      QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("deleteCodeQuestion")
    everything = box.addButton("Delete with its sub-codes" if has_children else "Delete",
                               QMessageBox.ButtonRole.DestructiveRole)
    lift = box.addButton("Delete, keep its sub-codes", QMessageBox.ButtonRole.AcceptRole) \
        if has_children else None
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is everything:
        return "all"
    return "lift" if lift is not None and box.clickedButton() is lift else None


def choose(parent: QWidget, title: str, items: list[tuple[str, object]]) -> object:
    """One of *items* picked from a list, or None."""
    labels = [label for label, _value in items]
    # the window title is short and fixed: a code's name would be cut there ("Key for Te…")
    label, ok = QInputDialog.getItem(parent, "Codebook", title, labels, 0, False)
    return dict(items).get(label) if ok else None


class CodebookActions(QObject):
    """The codebook's commands, for the code under its cursor."""

    def __init__(self, window: QWidget, current: CurrentSession, dock: CodebookDock,
                 tell: Callable[[str], None], ask: AskDelete = ask_delete,
                 pick: Choose = choose) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._dock = dock
        self._tell = tell
        self.ask = ask
        self.pick = pick
        self.folders = None  # the window's settings: where the last export went
        self.menu = QMenu("Code&book", window, objectName="menuCodebook")
        self.new_action = self._action("&New code…", "actionNewCode", lambda: self.new_code(),
                                       "Ins")
        self.new_child_action = self._action("New &sub-code…", "actionNewSubCode",
                                             self.new_sub_code, "Ctrl+Ins")
        self.rename_action = self._action("&Rename code", "actionRenameCode", self.rename, "F2")
        self.color_action = self._action("Change &colour…", "actionRecolorCode", self.recolor)
        self.key_action = self._action("Set &key…", "actionCodeKey", self.set_key)
        self.merge_action = self._action("&Merge into…", "actionMergeCode", self.merge)
        self.delete_action = self._action("&Delete code…", "actionDeleteCode", self.delete,
                                          Qt.Key.Key_Delete)
        self.menu.addActions([self.new_action, self.new_child_action, self.rename_action,
                              self.color_action, self.key_action])
        self.menu.addSeparator()
        self.menu.addActions([self.merge_action, self.delete_action])
        self.menu.addSeparator()
        self.add_to_set_action = self._action("&Add to code set…", "actionAddToCodeSet",
                                              self.add_to_set)
        self.take_from_set_action = self._action("&Take out of code set…",
                                                 "actionTakeFromCodeSet", self.take_from_set)
        self.remove_set_action = self._action("Remove code s&et…", "actionRemoveCodeSet",
                                              self.remove_set)
        self.menu.addActions([self.add_to_set_action, self.take_from_set_action,
                              self.remove_set_action])
        self.menu.addSeparator()
        self.import_action = self._action("&Import codebook…", "actionImportCodebook",
                                          self.import_codebook)
        self.export_action = self._action("E&xport codebook…", "actionExportCodebook",
                                          self.export_codebook)
        self.menu.addActions([self.import_action, self.export_action])
        dock.view.customContextMenuRequested.connect(self._context_menu)
        dock.sig_message.connect(tell)

    def _action(self, text: str, name: str, slot: Callable[[], object],
                key: str | Qt.Key | None = None) -> QAction:
        action = QAction(text, self._dock.view, objectName=name)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())  # Qt's checked flag is no path
        self._dock.view.addAction(action)
        return action

    def _code(self):  # noqa: ANN202 - CodeInfo | None
        session = self._current.session
        code_id = self._dock.current_code()
        if session is None or code_id is None:
            self._tell("Choose a code in the codebook first.")
            return None
        return session.codes.get(code_id)

    def _run(self, command, done: str) -> bool:  # noqa: ANN001
        if not self._dock.run(command):
            return False
        self._tell(f"{done} Ctrl+Z undoes it.")
        return True

    # --- commands -------------------------------------------------------------------------
    def new_code(self, parent_id: int | None = None) -> bool:
        """Ask for a name and add a code (at the root, or under *parent_id*)."""
        session = self._current.session
        if session is None:
            return False
        where = f" under '{session.codes[parent_id].name}'" if parent_id else ""
        name, ok = QInputDialog.getText(self._window, "New code", f"Name of the new code{where}:")
        return bool(ok and name.strip()) and self.add(name.strip(), parent_id)

    def add(self, name: str, parent_id: int | None = None) -> bool:
        session = self._current.session
        family = [c.color for c in session.codes.values()  # its parent and siblings
                  if parent_id is not None and (c.id == parent_id or c.parent_id == parent_id)]
        color = color_for_new_code({c.color for c in session.codes.values()}, family)
        command = undoable.AddCode(name, color, parent_id)
        if not self._run(command, f"Added the code '{name}'."):
            return False
        self._dock.select_code(command.added.id)
        return True

    # --- code sets ------------------------------------------------------------------------
    def _sets(self) -> list:
        session = self._current.session
        return code_sets.list_code_sets(session.project) if session is not None else []

    def add_to_set(self, name: str | None = None) -> bool:
        """Put the code under the cursor in the code set *name* (asked for: one of the sets,
        or a new name typed), made if there is none; undoable."""
        code = self._code()
        if code is None:
            return False
        sets = {s.name: s for s in self._sets()}
        if name is None:
            names = sorted(n for n, s in sets.items() if code.id not in s.codes)
            if names:
                name, ok = QInputDialog.getItem(
                    self._window, "Code sets", f"Add '{code.name}' to the code set (choose "
                    "one or type a new name):", names, 0, True)
            else:
                name, ok = QInputDialog.getText(self._window, "Code sets",
                                                f"Add '{code.name}' to a new code set named:")
            if not ok:
                return False
        name = name.strip()
        if not name:
            self._tell("A code set needs a name: nothing was changed.")
            return False
        found = sets.get(name)
        if found is None:
            return self._run(undoable_notes.AddCodeSet(name, (code.id,)),
                             f"Made the code set '{name}' of '{code.name}'.")
        if code.id in found.codes:
            self._tell(f"'{code.name}' is in the code set '{name}' already.")
            return False
        return self._run(undoable_notes.EditCodeSet(name, (*found.codes, code.id)),
                         f"Added '{code.name}' to the code set '{name}'.")

    def take_from_set(self) -> bool:
        """Take the code under the cursor out of one of the code sets it is in; undoable."""
        code = self._code()
        if code is None:
            return False
        holding = [s for s in self._sets() if code.id in s.codes]
        if not holding:
            self._tell(f"'{code.name}' is in no code set.")
            return False
        chosen = self.pick(self._window, f"Take '{code.name}' out of",
                           [(s.name, s) for s in holding])
        if chosen is None:
            return False
        return self._run(undoable_notes.EditCodeSet(
            chosen.name, tuple(c for c in chosen.codes if c != code.id)),
            f"Took '{code.name}' out of the code set '{chosen.name}'.")

    def remove_set(self) -> bool:
        """Remove a code set (its codes stay); undoable."""
        sets = self._sets()
        if not sets:
            self._tell("The project has no code sets.")
            return False
        chosen = self.pick(self._window, "Remove the code set",
                           [(f"{s.name} ({len(s.codes)} codes)", s) for s in sets])
        if chosen is None:
            return False
        return self._run(undoable_notes.RemoveCodeSet(chosen.name),
                         f"Removed the code set '{chosen.name}' (its codes stay).")

    def new_sub_code(self) -> bool:
        code = self._code()
        return code is not None and self.new_code(code.id)

    def rename(self) -> None:
        """Rename in place: the name becomes editable in the tree."""
        code = self._code()
        if code is not None:
            self._dock.view.edit(self._dock.view_index(code.id))

    def recolor(self) -> None:
        code = self._code()
        if code is None:
            return
        color = QColorDialog.getColor(QColor(code.color), self._window, f"Colour of {code.name}")
        if color.isValid() and color.name().upper() != code.color:
            self._run(undoable.EditCode(code.id, color=color.name(), seen=code),
                      f"Changed the colour of '{code.name}'.")

    def set_key(self) -> None:
        code = self._code()
        if code is None:
            return
        owners = {c.shortcut: c.name for c in self._current.session.codes.values() if c.shortcut}
        items = [("No key", "")] + [(f"{k}" + (f" (now {owners[k]})" if k in owners else ""), k)
                                    for k in "123456789"]
        key = self.pick(self._window, f"Key for {code.name}", items)
        if key is not None and key != (code.shortcut or ""):
            self._run(undoable.EditCode(code.id, shortcut=key, seen=code),
                      f"'{code.name}' is coded with key {key}." if key else
                      f"'{code.name}' has no key now.")

    def merge(self) -> None:
        code = self._code()
        if code is None:
            return
        others = [(c.name, c.id) for c in self._current.session.code_list() if c.id != code.id]
        target = self.pick(self._window, f"Merge '{code.name}' into", others)
        if target is not None:
            self.merge_into(code.id, target)

    def merge_into(self, source: int, target: int) -> bool:
        codes = self._current.session.codes
        return self._run(code_tree.MergeCodes(source, target,
                                                 seen=(codes[source], codes[target])),
                         f"Merged '{codes[source].name}' into '{codes[target].name}'.")

    def delete(self) -> bool:
        """Delete the code under the codebook's cursor, after a question that says what goes
        with it and what happens to its sub-codes."""
        code = self._code()
        session = self._current.session
        if code is None or session is None:
            return False
        codings, documents = removals.code_usage(session.project, code.id)
        below = len(removals.code_subtree(session.project, code.id)) - 1
        parts = [f"Delete the code '{code.name}'"]
        if below:
            parts.append(f" (it has {below} sub-code{'s' if below != 1 else ''})")
        parts.append(f", and its {codings} coding{'s' if codings != 1 else ''}"
                     f" in {documents} document{'s' if documents != 1 else ''}?"
                     if codings else "? It has no codings.")
        answer = self.ask(self._window, "".join(parts) + "\n\nCtrl+Z undoes it.", bool(below))
        if answer is None:
            return False
        return self._run(removals.DeleteCode(code.id, code.name, lift_children=answer == "lift",
                                             seen=code),
                         f"Deleted the code '{code.name}' and {codings} coding"
                         f"{'s' if codings != 1 else ''}.")

    def import_codebook(self, path: Path | None = None) -> bool:
        """Add the codes of a .qdc, .qde, .qdpx or codebook CSV (one undo step), then say what
        was added and matched."""
        session = self._current.session
        if session is None:
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self._window, "Import a codebook", str(project_folder(session.project)),
                "Codebooks (*.qdc *.qde *.qdpx *.csv);;All files (*)")
            if not name:
                return False
            path = Path(name)
        command = codebook_exchange.ImportCodebook(path)
        if not self._dock.run(command):
            return False
        lines = command.result.summary_lines()
        self._tell(f"{lines[-1]} from {path.name}. Ctrl+Z undoes it.")
        if len(lines) > 1:
            QMessageBox.information(self._window, "Import codebook", "\n".join(lines))
        return True

    def export_codebook(self, path: Path | None = None, *, overwrite: bool = False) -> bool:
        """Write the codebook as REFI-QDA .qdc, CSV or Markdown (by the file's ending); an
        existing file is replaced only when the save dialog asked (or *overwrite*)."""
        session = self._current.session
        if session is None:
            return False
        if path is None:
            project = session.project.path
            folder = self.folders.export_folder() if self.folders is not None else None
            if folder is None or not folder.is_dir():
                folder = project_folder(session.project)
            name, _ = QFileDialog.getSaveFileName(
                self._window, "Export the codebook", str(folder / f"{project.stem}.qdc"),
                "REFI-QDA codebook (*.qdc);;CSV (*.csv);;Markdown (*.md)")
            if not name:
                return False
            path = Path(name)
            overwrite = path.exists()  # the dialog asked before choosing an existing file
            if self.folders is not None:
                self.folders.set_export_folder(path.parent)
        result = session.run(_export, path, overwrite)
        if result is None:
            return False
        self._tell(f"Wrote {result} codes to {path.name}.")
        return True

    def _context_menu(self, pos: QPoint) -> None:
        index = self._dock.view.indexAt(pos)
        menu = QMenu(self._dock.view, objectName="codebookContextMenu")
        if index.isValid():
            self._dock.view.setCurrentIndex(index)
            code_id = self._dock.current_code()
            menu.addAction("Code the selection", lambda: self._dock.sig_code_chosen.emit(code_id))
            menu.addAction("List its segments", lambda: self._dock.sig_code_clicked.emit(code_id))
            menu.addSeparator()
            menu.addActions(self.menu.actions())
        else:
            menu.addAction(self.new_action)
        menu.exec(self._dock.view.viewport().mapToGlobal(pos))


def _export(project, path: Path, overwrite: bool):  # noqa: ANN001, ANN202 - for session.run
    from kzcoder.core.changes import Changed, Changes

    return Changed(codebook_exchange.export_codebook(project, path, overwrite=overwrite),
                   Changes())
