"""The Journal tab of the memo dock: the project's free memos (``services.journal``), a list
of entries (title, date, author) and the chosen entry's text, saved as you type.

Adding asks for a title. Adding, editing and removing are undoable commands
(``services.undoable_notes``): a burst of typing in one entry is one step, like a memo's.
The list follows the project: an undo, an import, another program, the command line.
"""

from __future__ import annotations

import getpass
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.core.journal import JournalEntry
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import journal, undoable_notes
else:
    journal = lazy_import("kzcoder.services.journal")
    undoable_notes = lazy_import("kzcoder.services.undoable_notes")

SAVE_PAUSE_MS = 500  #: an entry's text is saved this long after the last keystroke
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1


class JournalPanel(QWidget):
    """The journal's entries and the chosen one's text (see the module docstring)."""

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journalPanel")
        self._current = current
        self._shown: JournalEntry | None = None
        self._session = current.session  # the session whose entries are shown
        self.entries = QListWidget(objectName="journalEntries")
        self.entries.currentItemChanged.connect(lambda *_: self._show_current())
        self.add_button = QPushButton("&New entry…", objectName="journalAdd")
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button = QPushButton("Remove", objectName="journalRemove")
        self.remove_button.clicked.connect(lambda: self.remove())
        self.editor = QPlainTextEdit(objectName="journalEditor")
        self.editor.setPlaceholderText("Choose or add an entry: a research plan, a day's "
                                       "thoughts, a decision… Saved as you type.")
        self.editor.textChanged.connect(self._typed)
        self._typing_from: float | None = None  # when the unsaved typing began
        self._timer = QTimer(self, singleShot=True, interval=SAVE_PAUSE_MS)
        self._timer.timeout.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        # a splitter: the tab must not make the memo dock (and the window) taller than the
        # memo tab alone does
        split = QSplitter(Qt.Orientation.Vertical, objectName="journalSplitter")
        split.addWidget(self.entries)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(True)
        for part in (self.entries, self.editor):
            part.setMinimumHeight(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        current.sig_changed.connect(self._on_changed)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the entries again, keeping the chosen one (or choosing *select*)."""
        self.save()
        session = self._current.session
        if session is not self._session:  # another project: nothing of the last one kept
            self._session, self._shown = session, None
        keep = select or (self._shown.title if self._shown else None)
        found = journal.list_entries(session.project) if session is not None else []
        self.entries.blockSignals(True)
        self.entries.clear()
        for entry in found:
            item = QListWidgetItem(f"{entry.title} — {entry.created[:10]}"
                                   + (f" — {entry.author}" if entry.author else ""))
            item.setData(TITLE_ROLE, entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.entries.addItem(item)
            if entry.title == keep:
                self.entries.setCurrentItem(item)
        self.entries.blockSignals(False)
        read_only = session is None or session.project.read_only
        self.add_button.setEnabled(not read_only)
        self._show_current()

    def _show_current(self) -> None:
        self.save()
        item = self.entries.currentItem()
        self._shown = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.editor.blockSignals(True)
        self.editor.setPlainText(self._shown.text if self._shown else "")
        self.editor.blockSignals(False)
        session = self._current.session
        writable = session is not None and not session.project.read_only
        self.editor.setEnabled(self._shown is not None)
        self.editor.setReadOnly(not writable)
        self.remove_button.setEnabled(self._shown is not None and writable)

    def add(self, title: str | None = None) -> bool:
        """Add an entry (asking for its title) and choose it."""
        session = self._current.session
        if session is None:
            return False
        if title is None:
            title, ok = QInputDialog.getText(self, "New journal entry", "Title:")
            if not ok:
                return False
        command = undoable_notes.AddJournalEntry(title, "", _login())
        if not session.run_command(command, initiator=self):
            return False
        self.reload(select=command.added.title)
        self.editor.setFocus()
        return True

    def remove(self) -> bool:
        """Remove the chosen entry (undoable: Ctrl+Z puts it back)."""
        self.save()
        session, entry = self._current.session, self._shown
        if session is None or entry is None:
            return False
        self._shown = None
        removed = session.run_command(undoable_notes.RemoveJournalEntry(entry.title),
                                      initiator=self)
        self.reload()
        return removed

    def _typed(self) -> None:
        if self._typing_from is None:
            self._typing_from = time.monotonic()
        self._timer.start()

    def save(self) -> None:
        """Save the chosen entry's text if it was changed (one undo step per burst of
        typing)."""
        self._timer.stop()
        typed_from, self._typing_from = self._typing_from, None
        session, entry = self._current.session, self._shown
        text = self.editor.toPlainText()
        if session is None or session is not self._session or entry is None or \
                text == entry.text or session.project.read_only:
            return
        command = undoable_notes.EditJournalEntry(entry.title, text, typed_from=typed_from
                                                  or time.monotonic())
        if session.run_command(command, initiator=self) and command.after is not None:
            self._shown = command.after
            item = self.entries.currentItem()
            if item is not None:
                item.setData(Qt.ItemDataRole.UserRole, command.after)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self:
            return
        if changes.project or changes.memos:
            self.reload()


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name here
        return ""
