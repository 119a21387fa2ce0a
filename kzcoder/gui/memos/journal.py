"""The Journal tab of the memo dock: the project's free memos (``services.journal``), a list
of entries (title, date, author) and the chosen entry's text, saved as you type.

Adding asks for a title; removing asks first (a journal change is not on the undo stack).
The list follows the project: an import, another program, a change from the command line.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
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
    from kzcoder.services import journal
else:
    journal = lazy_import("kzcoder.services.journal")

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
        self.editor.textChanged.connect(lambda: self._timer.start())
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
        entry = session.run(journal.add_entry, title, "", author=_login(), initiator=self)
        if entry is None:
            return False
        self.reload(select=entry.title)
        self.editor.setFocus()
        return True

    def remove(self) -> bool:
        """Remove the chosen entry, after asking."""
        session, entry = self._current.session, self._shown
        if session is None or entry is None:
            return False
        answer = QMessageBox.question(self, "Remove journal entry",
                                      f"Remove the journal entry '{entry.title}'? This cannot "
                                      "be undone.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._timer.stop()
        self._shown = None
        removed = session.run(journal.remove_entry, entry.title, initiator=self)
        self.reload()
        return removed is not None

    def save(self) -> None:
        """Save the chosen entry's text if it was changed."""
        self._timer.stop()
        session, entry = self._current.session, self._shown
        text = self.editor.toPlainText()
        if session is None or session is not self._session or entry is None or \
                text == entry.text or session.project.read_only:
            return
        result = session.run(journal.set_text, entry.title, text, initiator=self)
        if result is not None:
            self._shown = result[1]
            item = self.entries.currentItem()
            if item is not None:
                item.setData(Qt.ItemDataRole.UserRole, result[1])

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
