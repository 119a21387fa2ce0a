"""A type-to-filter list of codes, like a command palette: for *Code ▸ Code with…* and
*Change code…*. Typing narrows the list (by any part of a code's path), arrows move, Enter
chooses."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.records import CodeInfo
from kzcoder.gui.codebook.model import swatch


def code_paths(codes: list[CodeInfo]) -> list[tuple[int, str]]:
    """(id, "Parent / Child") of every code, in codebook order."""
    by_id = {c.id: c for c in codes}

    def path(code: CodeInfo) -> str:
        names = [code.name]
        while code.parent_id is not None and code.parent_id in by_id:
            code = by_id[code.parent_id]
            names.append(code.name)
        return " / ".join(reversed(names))

    return [(c.id, path(c)) for c in codes]


class CodePicker(QDialog):
    """Choose one code; ``chosen`` holds its id after OK (None otherwise)."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str,
                 codes: list[CodeInfo], exclude: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codePicker")
        self.setWindowTitle(title)
        self.chosen: int | None = None
        self.prompt = QLabel(prompt, wordWrap=True)
        self.search = QLineEdit(objectName="codePickerFilter")
        self.search.setPlaceholderText("Type to filter codes…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(objectName="codePickerList")
        colors = {c.id: c.color for c in codes}
        for code_id, path in code_paths(codes):
            if code_id == exclude:
                continue
            item = QListWidgetItem(swatch(colors[code_id]), path)
            item.setData(Qt.ItemDataRole.UserRole, code_id)
            item.setToolTip(path)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.resize(420, 360)
        self._filter("")

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = not all(w in item.text().casefold() for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        self.list.setCurrentItem(first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Up and Down in the filter box move in the list: the hands stay on the keys."""
        if watched is self.search and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def _step(self, by: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        at = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, at + by))])

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return  # nothing matches: the dialog stays
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        super().accept()


def pick_code(parent: QWidget | None, title: str, prompt: str, codes: list[CodeInfo],
              exclude: int | None = None) -> int | None:
    """Show a CodePicker; the chosen code's id, or None."""
    dialog = CodePicker(parent, title, prompt, codes, exclude)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
