"""The document details dialog: a document's name, title, outlet, date of publication and any
other attributes. It edits nothing itself: ``change()`` says what to change, and the caller runs
it as an undoable command."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.errors import KzError
from kzcoder.core.records import DocumentInfo
from kzcoder.gui.documents.name_completion import AttributeNameDelegate, known_spelling
from kzcoder.gui.lazy import lazy_import

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import documents
else:
    documents = lazy_import("kzcoder.services.documents")

#: the attributes with a field of their own, in the order shown
FIELDS = (("title", "&Title:"), ("outlet", "&Outlet:"), ("published", "&Published:"))


@dataclass(frozen=True)
class DetailsChange:
    """What the dialog asks for (the arguments of ``undoable.EditDocument``)."""

    document_id: int
    name: str | None = None  # None: unchanged
    set_attributes: dict[str, str] = field(default_factory=dict)
    unset: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.name is not None or bool(self.set_attributes) or bool(self.unset)


class DocumentDetailsDialog(QDialog):
    """Edit one document's details. OK stays disabled, with one line saying why, while a value
    would be refused (an empty or taken name, a date that is not one, an attribute without a
    name or named twice)."""

    def __init__(self, info: DocumentInfo, other_names: Collection[str] = (),
                 parent: QWidget | None = None,
                 attribute_names: Collection[str] = ()) -> None:
        """*attribute_names*: those used in the project, offered as a name is typed; a name
        that differs from one of them only in case takes its spelling."""
        super().__init__(parent)
        self._attribute_names = frozenset(attribute_names)
        self.setObjectName("documentDetailsDialog")
        self.setWindowTitle(f"Document details — {info.name}")
        self.info = info
        self._other_names = frozenset(other_names)

        form = QFormLayout()
        self.name_edit = QLineEdit(info.name, objectName="nameEdit")
        form.addRow("&Name:", self.name_edit)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in FIELDS:
            edit = QLineEdit(info.attributes.get(key, ""), objectName=f"{key}Edit")
            self.edits[key] = edit
            form.addRow(label, edit)
        self.published_edit = self.edits["published"]
        self.published_edit.setPlaceholderText("YYYY-MM-DD, YYYY-MM or YYYY")

        self.table = QTableWidget(0, 2, self, objectName="attributesTable")
        self.table.setHorizontalHeaderLabels(["Attribute", "Value"])
        self.table.setItemDelegateForColumn(
            0, AttributeNameDelegate(self._attribute_names, self.table))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for key, value in info.attributes.items():
            if key not in self.edits:
                self._insert_row(key, value)
        add = QPushButton("&Add", objectName="addAttributeButton")
        add.clicked.connect(self._add_clicked)
        self.remove_button = QPushButton("&Remove", objectName="removeAttributeButton")
        self.remove_button.clicked.connect(self.remove_current_row)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)

        self.problem = QLabel(objectName="problemLabel")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Other attributes:"))
        layout.addWidget(self.table)
        layout.addLayout(row_buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(520, 420)

        self.name_edit.textChanged.connect(self.validate)
        for edit in self.edits.values():
            edit.textChanged.connect(self.validate)
        self.table.itemChanged.connect(self.validate)
        self.validate()

    # --- the table of other attributes ------------------------------------------------------
    def add_row(self, key: str = "", value: str = "") -> int:
        """Append an attribute row; returns its number."""
        row = self._insert_row(key, value)
        self.validate()
        return row

    def _insert_row(self, key: str, value: str) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(False)
        return row

    def _add_clicked(self) -> None:
        row = self.add_row()
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_current_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.validate()

    def set_row(self, row: int, key: str, value: str) -> None:
        """Fill an attribute row (tests and scripts)."""
        self.table.item(row, 0).setText(key)
        self.table.item(row, 1).setText(value)

    def _table_rows(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.table.rowCount()):
            key, value = (self.table.item(row, c) for c in (0, 1))
            name = known_spelling(key.text().strip(), self._attribute_names) if key else ""
            rows.append((name, value.text().strip() if value else ""))
        return rows

    # --- checking and the result -------------------------------------------------------------
    def attributes(self) -> dict[str, str]:
        """Every attribute as the dialog shows it now (empty values left out)."""
        found = {key: edit.text().strip() for key, edit in self.edits.items()}
        found.update(self._table_rows())
        return {k: v for k, v in found.items() if k and v}

    def problem_text(self) -> str:
        """Why OK is disabled ('' when it is not)."""
        name = self.name_edit.text().strip()
        if not name:
            return "A document needs a name."
        if name != self.info.name and name in self._other_names:
            return f"Another document is named '{name}'."
        published = self.published_edit.text().strip()
        if published != self.info.attributes.get("published", "").strip():
            try:
                documents.check_published(published)
            except KzError:
                return (f"'{published}' is not a date: write it as YYYY-MM-DD (or YYYY-MM, or "
                        "YYYY if only the month or year is known).")
        seen = set(self.edits)
        for key, value in self._table_rows():
            if not key:
                if value:
                    return f"The value '{value}' needs an attribute name."
                continue
            if key in seen:
                return (f"'{key}' has a field of its own above." if key in self.edits else
                        f"The attribute '{key}' is listed twice.")
            seen.add(key)
        return ""

    def validate(self, *_args: object) -> bool:
        """Show the first problem, enable OK when there is none; returns whether OK is."""
        text = self.problem_text()
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not text)
        return not text

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def change(self) -> DetailsChange:
        """What to change, against the document as the dialog found it (false when nothing)."""
        name = self.name_edit.text().strip()
        old, new = self.info.attributes, self.attributes()
        return DetailsChange(
            self.info.id,
            name=name if name != self.info.name else None,
            set_attributes={k: v for k, v in new.items() if old.get(k) != v},
            unset=tuple(k for k in old if k not in new))
