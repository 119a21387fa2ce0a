"""The history of one document or coding, as the project's hash-chained history records it:
when, who, what, and each entry's hash (the window's view of ``kzcoder history --doc``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kzcoder.gui.lazy import lazy_import

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services import history
    from kzcoder.services.project import Project
else:
    history = lazy_import("kzcoder.services.history")

COLUMNS = ("When (UTC)", "Who", "What", "Hash")


class HistoryDialog(QDialog):
    """A read-only table of history entries, newest first."""

    def __init__(self, parent: QWidget | None, title: str, entries: list) -> None:
        super().__init__(parent, objectName="historyDialog")
        self.setWindowTitle(title)
        self.table = QTableWidget(len(entries), len(COLUMNS), self, objectName="historyTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for row, entry in enumerate(reversed(entries)):
            when = entry.time.replace("T", " ")[:19]
            for column, text in enumerate((when, entry.coder, entry.action, entry.hash[:16])):
                item = QTableWidgetItem(text)
                item.setToolTip(entry.hash if column == 3 else text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(entries)} entries in the project's history; "
                                "'kzcoder verify' checks them against the project."))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 360)


def show_document_history(parent: QWidget, project: Project, document_id: int,
                          name: str) -> HistoryDialog:
    """Open (without blocking) the history of document *document_id*."""
    entries = history.list_history(project, document=document_id)
    dialog = HistoryDialog(parent, f"History of {name}", entries)
    dialog.setModal(False)
    dialog.show()
    return dialog


def show_coding_history(parent: QWidget, project: Project, coding_id: int) -> HistoryDialog:
    """Open (without blocking) the history of coding *coding_id*."""
    entries = history.list_history(project, coding=coding_id)
    dialog = HistoryDialog(parent, f"History of coding {coding_id}", entries)
    dialog.setModal(False)
    dialog.show()
    return dialog
