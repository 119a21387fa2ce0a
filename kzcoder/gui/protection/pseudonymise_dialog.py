"""File ▸ Export ▸ Pseudonymised copy…: choose a terms file, see what will be replaced and
how often (a preview over the open project), choose where the copy and its key go, write them
(``services.pseudonymise``; docs/protection.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services import pseudonymise
    from kzcoder.services.project import Project
else:
    pseudonymise = lazy_import("kzcoder.services.pseudonymise")


class PseudonymiseDialog(QDialog):
    """Terms file, preview of the replacements (term, replacement, occurrences), options,
    and the two files to write."""

    def __init__(self, parent: QWidget | None, project: Project) -> None:
        super().__init__(parent, objectName="pseudonymiseDialog")
        self.setWindowTitle("Pseudonymised copy")
        self._project = project
        self.terms_path: Path | None = None
        self.replacer = None
        self.written = None
        self.terms_label = QLabel("No terms file chosen.", objectName="pseudonymiseTerms")
        choose = QPushButton("&Terms file…", self, objectName="pseudonymiseChooseTerms")
        choose.clicked.connect(self.choose_terms)
        self.ignore_case = QCheckBox("&Ignore case", self, objectName="pseudonymiseIgnoreCase")
        self.ignore_case.toggled.connect(lambda _on: self.load())
        self.table = QTableWidget(0, 3, self, objectName="pseudonymisePreview")
        self.table.setHorizontalHeaderLabels(("Term", "Replaced by", "Occurrences"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel("", objectName="pseudonymiseMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.write_button = self.buttons.addButton("&Write copy and key…",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setObjectName("pseudonymiseWrite")
        self.write_button.setEnabled(False)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.terms_label, 1)
        top.addWidget(self.ignore_case)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("The copy keeps no original files and starts a new history; "
                                "the key (replacement → term) is written apart, readable by "
                                "you only."))
        layout.addWidget(self.buttons)
        self.resize(640, 420)

    def choose_terms(self) -> None:
        """Ask for the terms CSV, then preview it."""
        path, _ = QFileDialog.getOpenFileName(self, "Terms to replace", "",
                                              "Terms (term,replacement) (*.csv)")
        if path:
            self.terms_path = Path(path)
            self.terms_label.setText(self.terms_path.name)
            self.load()

    def load(self) -> None:
        """Read the terms file and show each term, its replacement and how often it occurs."""
        self.table.setRowCount(0)
        self.write_button.setEnabled(False)
        if self.terms_path is None:
            return
        try:
            self.replacer = pseudonymise.load_terms(
                self.terms_path, variants=pseudonymise.project_variants(self._project),
                ignore_case=self.ignore_case.isChecked())
            counts = pseudonymise.preview(self._project, self.replacer)
        except KzError as exc:
            self.replacer = None
            self.message.setText(str(exc))
            return
        rows = list(self.replacer.replacements.items())
        self.table.setRowCount(len(rows))
        for row, (term, replacement) in enumerate(rows):
            for column, text in enumerate((term, replacement, str(counts.get(term, 0)))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        total = sum(counts.values())
        self.message.setText(f"{total} replacements of {len(rows)} terms.")
        self.write_button.setEnabled(True)

    def write(self) -> None:
        """Ask where the copy and the key go, and write them."""
        if self.replacer is None:
            return
        dest, _ = QFileDialog.getSaveFileName(self, "Pseudonymised copy", "",
                                              "kzcoder projects (*.kzc)")
        if not dest:
            return
        key, _ = QFileDialog.getSaveFileName(self, "Key (keep it apart from the copy)", "",
                                             "CSV (*.csv)")
        if not key:
            return
        try:
            replacer = pseudonymise.load_terms(
                self.terms_path, variants=pseudonymise.project_variants(self._project),
                ignore_case=self.ignore_case.isChecked())
            self.written = pseudonymise.pseudonymise(self._project.path, Path(dest),
                                                     Path(key), replacer)
        except KzError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"Wrote {self.written.project.name} and its key.")
        self.accept()


def open_pseudonymise_dialog(parent: QWidget, project: Project) -> PseudonymiseDialog:
    """Show the dialog, window-modal, without blocking."""
    dialog = PseudonymiseDialog(parent, project)
    dialog.open()
    return dialog
