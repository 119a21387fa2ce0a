"""Edit attributes… of several documents at once: one attribute set to one value, or cleared,
on every selected document. It edits nothing itself: ``change()`` says what to change, and the
caller runs it as one undoable command (``undoable.EditDocuments``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.errors import KzError
from kzcoder.gui.documents.name_completion import attribute_completer, known_spelling
from kzcoder.gui.lazy import lazy_import

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import documents
else:
    documents = lazy_import("kzcoder.services.documents")


class BatchAttributesDialog(QDialog):
    """Set or clear one attribute of *count* documents. The name completes from
    *attribute_names* (the project's), and takes the spelling of one that differs only in case.
    OK stays disabled, with one line saying why, while the change would be refused."""

    def __init__(self, count: int, attribute_names: Collection[str] = (),
                 parent: QWidget | None = None, *, current: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("batchAttributesDialog")
        self.setWindowTitle(f"Edit attributes of {count} documents")
        self._names = frozenset(attribute_names)
        self.name_edit = QLineEdit(current, objectName="batchNameEdit")
        self.name_edit.setCompleter(attribute_completer(self._names, self.name_edit))
        self.value_edit = QLineEdit(objectName="batchValueEdit")
        self.clear_box = QCheckBox("&Clear it (remove the attribute)", objectName="batchClear")
        self.clear_box.toggled.connect(lambda on: self.value_edit.setEnabled(not on))
        form = QFormLayout()
        form.addRow("&Attribute:", self.name_edit)
        form.addRow("&Value:", self.value_edit)
        form.addRow("", self.clear_box)
        self.problem = QLabel(objectName="problemLabel")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"The same value for all {count} selected documents; an "
                                "empty value removes the attribute, as Clear does."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(440, 0)
        for signal in (self.name_edit.textChanged, self.value_edit.textChanged,
                       self.clear_box.toggled):
            signal.connect(self.validate)
        self.validate()

    def name(self) -> str:
        """The attribute's name as the project spells it."""
        return known_spelling(self.name_edit.text().strip(), self._names)

    def problem_text(self) -> str:
        """Why OK is disabled ('' when it is not)."""
        if not self.name():
            return "Name the attribute to set or clear."
        if self.name() == "published" and not self.clear_box.isChecked():
            try:
                documents.check_published(self.value_edit.text())
            except KzError:
                return (f"'{self.value_edit.text().strip()}' is not a date: write it as "
                        "YYYY-MM-DD (or YYYY-MM, or YYYY).")
        return ""

    def validate(self, *_args: object) -> bool:
        """Show the first problem, enable OK when there is none; returns whether OK is."""
        text = self.problem_text()
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)
        return not text

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def change(self) -> tuple[dict[str, str], tuple[str, ...]]:
        """(attributes to set, names to clear): the arguments of ``EditDocuments``."""
        value = self.value_edit.text().strip()
        if self.clear_box.isChecked() or not value:
            return {}, (self.name(),)
        return {self.name(): value}, ()
