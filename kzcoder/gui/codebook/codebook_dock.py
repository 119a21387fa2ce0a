"""The codebook dock: click a code to code the selection (and list its segments), drag it onto
a selection, or press its key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTreeView, QWidget

from kzcoder.gui.codebook.codebook_model import ID_ROLE, CodebookModel
from kzcoder.services.dto import CodeInfo


class CodebookDock(QDockWidget):
    """Emits ``sig_code_clicked(code_id)`` when a code is clicked or activated."""

    sig_code_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Codebook", parent)
        self.setObjectName("codebookDock")
        self.model = CodebookModel(self)
        self.view = QTreeView(self)
        self.view.setObjectName("codebookView")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(True)
        self.view.setUniformRowHeights(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        # Clicking a code must not take the focus (and the selection's highlight) from the pane.
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would measure every row each time a count changes.
        metrics = self.view.fontMetrics()
        for column, sample in ((1, "Key"), (2, "Codings 00000")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        self.view.clicked.connect(lambda index: self.sig_code_clicked.emit(index.data(ID_ROLE)))
        self.setWidget(self.view)

    def set_codes(self, codes: list[CodeInfo], counts: dict[int, int]) -> None:
        self.model.set_codes(codes, counts)
        self.view.expandAll()

    def select_code(self, code_id: int | None) -> None:
        if code_id is None or self.model.code(code_id) is None:
            self.view.clearSelection()
        else:
            self.view.setCurrentIndex(self.model.index_of(code_id))
