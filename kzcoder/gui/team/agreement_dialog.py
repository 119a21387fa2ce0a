"""Team ▸ Agreement between coders…: the figures for the chosen coders (per code, per document,
pooled), a table to copy or save as CSV, and the disagreements; double-clicking one opens the
document in two panes side by side, one coder in each, with the stretch selected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import ProjectSession
from kzcoder.gui.project_folder import project_folder

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.core.agreement import report as agreement_report
    from kzcoder.services import agreement, documents
else:
    agreement_report = lazy_import("kzcoder.core.agreement.report")
    agreement = lazy_import("kzcoder.services.agreement")
    documents = lazy_import("kzcoder.services.documents")

EXCERPT = 80  # characters of a disagreement's text shown in its row
MAX_COLUMN_WIDTH = 240  # pixels


class AgreementDialog(QDialog):
    """*open_both(disagreement)* shows a disagreement in two panes (the window's part)."""

    def __init__(self, session: ProjectSession, open_both: Callable[[object], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement between coders")
        self.resize(1000, 640)
        self.session = session
        self._session = session
        self._open_both = open_both
        self.report = None
        self.coder_list = QListWidget(objectName="agreementCoders")
        self.coder_list.setMaximumWidth(200)
        for name in session.coder_names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.coder_list.addItem(item)
        self.coder_list.itemChanged.connect(lambda _item: self.compute())
        self.summary = QLabel(objectName="agreementSummary")
        self.summary.setWordWrap(True)
        self.table = _table("agreementTable")
        self.disagreements = _table("agreementDisagreements")
        self.disagreements.doubleClicked.connect(self._open_row)
        copy = QPushButton("&Copy table", objectName="agreementCopy")
        copy.clicked.connect(self.copy_table)
        save = QPushButton("&Save as CSV…", objectName="agreementSave")
        save.clicked.connect(lambda: self.save_csv())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Coders to compare:"))
        column.addWidget(self.coder_list)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.table)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(QLabel("Disagreements (double-click: open both codings side by side):"))
        below.addWidget(self.disagreements)
        right.addWidget(lower)
        body = QHBoxLayout()
        body.addWidget(left, 1)
        body.addWidget(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.compute()

    def chosen_coders(self) -> list[str]:
        return [self.coder_list.item(i).text() for i in range(self.coder_list.count())
                if self.coder_list.item(i).checkState() == Qt.CheckState.Checked]

    def compute(self) -> None:
        """Recompute for the checked coders and show the figures and disagreements."""
        chosen = self.chosen_coders()
        self.report = None
        if len(chosen) < 2:
            self.table.setRowCount(0)
            self.disagreements.setRowCount(0)
            self.summary.setText("Check two coders or more.")
            return
        report = self._session.run(
            lambda project: _unchanged(agreement.agreement(project, chosen)))
        if report is None:  # the failure was shown
            return
        self.report = report
        header = list(agreement_report.HEADER)
        header[5] = report.kappa_name
        _fill(self.table, header, [row.cells() for row in report.rows])
        self._fill_disagreements(report)
        pooled = report.pooled()
        cells = pooled.cells()
        self.summary.setText(
            f"{len(chosen)} coders, {pooled.units:,} units (code points × codes) in "
            f"{_document_rows(report)} document(s): agreement {cells[4]}, "
            f"{report.kappa_name} {cells[5]}, Krippendorff's α {cells[6]}, αU {cells[7]}; "
            f"{len(report.disagreements):,}{'+' if report.truncated else ''} disagreement(s).")

    def _fill_disagreements(self, report) -> None:  # noqa: ANN001
        project = self._session.project
        rows = []
        for d in report.disagreements:
            text = documents.document_text(project, d.document_id)[d.start:d.end]
            excerpt = text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
            rows.append([d.document, d.code, f"{d.start}–{d.end}",
                         " ".join(excerpt.split()), ", ".join(d.coded_by), ", ".join(d.not_by)])
        _fill(self.disagreements, ["Document", "Code", "Span", "Text", "Coded by", "Not by"],
              rows)

    def _open_row(self, index) -> None:  # noqa: ANN001 - QModelIndex
        """Show the disagreement in the window; the dialog steps aside (Team ▸ Agreement
        brings it back as it was)."""
        if self.report is not None and 0 <= index.row() < len(self.report.disagreements):
            self._open_both(self.report.disagreements[index.row()])
            self.hide()

    def table_rows(self) -> list[list[str]]:
        """The figures as shown, with their header first."""
        header = [self.table.horizontalHeaderItem(c).text()
                  for c in range(self.table.columnCount())]
        return [header] + [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                           for r in range(self.table.rowCount())]

    def copy_table(self) -> None:
        """The figures to the clipboard, tab-separated (pastes into a spreadsheet)."""
        QApplication.clipboard().setText("\n".join("\t".join(row) for row in self.table_rows()))

    def save_csv(self, path: Path | None = None, *, overwrite: bool = False) -> bool:
        """The figures as CSV (UTF-8 with BOM, as the segment exports); an existing file is
        replaced only when the save dialog asked (or *overwrite*)."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save the agreement table", str(
                    project_folder(self._session.project)
                    / f"{self._session.project.path.stem}-agreement.csv"), "CSV (*.csv)")
            if not chosen:
                return False
            path = Path(chosen)
            overwrite = path.exists()  # the dialog asked before choosing an existing file
        try:
            agreement.save_table_csv(path, self.table_rows(), overwrite=overwrite)
        except KzError as exc:
            self.summary.setText(str(exc))
            return False
        return True


def _unchanged(value):  # noqa: ANN001, ANN202
    from kzcoder.core.changes import Changed, Changes

    return Changed(value, Changes())


def _document_rows(report) -> int:  # noqa: ANN001
    return sum(1 for row in report.rows if row.code is None and row.document is not None)


def _table(name: str) -> QTableWidget:
    table = QTableWidget(objectName=name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, header: list[str], rows: list[list[str]]) -> None:
    table.setColumnCount(len(header))
    table.setHorizontalHeaderLabels(header)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c >= 2 and table.objectName() == "agreementTable":
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):  # long names elide; the figures stay in view
        table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN_WIDTH))
