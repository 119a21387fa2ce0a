"""Name variants in the window: the groups of spellings search takes as one term, one group
a line; add a group (spellings separated by commas) or remove a spelling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services.search import variants
else:
    variants = lazy_import("kzcoder.services.search.variants")


class VariantsDialog(QDialog):
    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("variantsDialog")
        self.setWindowTitle("Name variants")
        self._current = current
        self.groups = QListWidget(objectName="variantsList")
        add = QPushButton("Add variants…", objectName="variantsAdd")
        add.clicked.connect(self.ask_and_add)
        remove = QPushButton("Remove a spelling…", objectName="variantsRemove")
        remove.clicked.connect(self.ask_and_remove)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Spellings on one line are searched as one term "
                                "(unless Name variants is unticked in Search)."))
        layout.addWidget(self.groups, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.groups.clear()
        session = self._current.session
        if session is not None:
            for group in variants.variant_groups(session.project):
                self.groups.addItem(" = ".join(group))

    def add(self, spellings: list[str]) -> bool:
        """Make *spellings* variants of one another (joining groups they are in)."""
        ok = self._current.session.run(variants.add_variants, spellings) is not None
        self.reload()
        return ok

    def remove(self, spelling: str) -> bool:
        ok = self._current.session.run(variants.remove_variant, spelling) is not None
        self.reload()
        return ok

    def ask_and_add(self) -> None:
        text, ok = QInputDialog.getText(self, "Name variants",
                                        "Spellings of one name, separated by commas:")
        if ok and text.strip():
            self.add([part.strip() for part in text.split(",") if part.strip()])

    def ask_and_remove(self) -> None:
        current = self.groups.currentItem()
        first = current.text().split(" = ")[0] if current else ""
        text, ok = QInputDialog.getText(self, "Name variants", "Spelling to remove:",
                                        text=first)
        if ok and text.strip():
            self.remove(text.strip())
