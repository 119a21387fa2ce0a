"""Help ▸ Keyboard shortcuts, generated from the window's own actions (so it never drifts from
them), and Help ▸ About."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kzcoder import __version__

#: gestures that are not actions, shown after the keys
GESTURES = (
    ("Mouse", "Select text, then click a code with Ctrl held", "code the selection"),
    ("Mouse", "Double-click a code's name", "rename it in place"),
    ("Mouse", "Drag a code onto another code in the codebook", "move it there"),
    ("Mouse", "Drag a code onto the selected text", "code the selection"),
    ("Mouse", "Click a code", "list its coded segments (codes nothing)"),
    ("Mouse", "Double-click a document, or drag it onto a pane", "open it there"),
    ("Mouse", "Double-click a segment", "show it selected in its document"),
    ("Mouse", "Right-click coded text", "remove, change or comment on a coding"),
)


def _clean(text: str) -> str:
    return text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """``(where, action, key)`` for every action of *window* that has a key: those in the
    menus under their menu's name, the rest (the panes', the lists') under 'Other'."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def visit(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                visit(action.menu(), f"{where} ▸ {_clean(action.text())}")
            elif not action.isSeparator():
                seen.add(id(action))
                if not action.shortcut().isEmpty():
                    rows.append((where, _clean(action.text()), _key(action)))

    for action in window.menuBar().actions():
        if action.menu() is not None:
            visit(action.menu(), _clean(action.text()))
    for action in window.findChildren(QAction):
        if id(action) not in seen and not action.shortcut().isEmpty() and action.text():
            seen.add(id(action))
            rows.append(("Other", _clean(action.text()), _key(action)))
    return rows


def _key(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                     for k in action.shortcuts())


class ShortcutsDialog(QDialog):
    """A table of every key and gesture."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = [*shortcut_rows(window), *GESTURES]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Where", "What", "Key or gesture"])
        for number, (where, what, key) in enumerate(rows):
            if where == "Mouse":  # a gesture: what the user does, then what it does
                what, key = key, what
            for column, text in enumerate((where, what, key)):
                self.table.setItem(number, column, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 560)


def show_about(parent: QWidget) -> None:
    """Help ▸ About kzcoder."""
    QMessageBox.about(parent, "About kzcoder", (
        f"<b>kzcoder {__version__}</b><p>Qualitative coding of news articles: select a span, "
        "assign a code; every change is saved in the project file at once.</p>"
        "<p>Offsets are Unicode code points of the stored text, end exclusive, in every "
        "export.</p><p>MIT licence.</p>"))
