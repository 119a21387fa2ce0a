"""The codebook dock: the code tree with each code's key and number of codings. Click a code to
list its segments (and code the selection), drag it onto a selection, or press its key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTreeView, QWidget

from kzcoder.core.changes import Changes
from kzcoder.core.records import CodeInfo
from kzcoder.gui.codebook.codebook_model import ID_ROLE, CodebookModel
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.later import Later
from kzcoder.gui.operations.session import CurrentSession

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import codings
else:
    codings = lazy_import("kzcoder.services.codings")


class CodebookDock(QDockWidget):
    """Emits ``sig_code_clicked(code_id)`` when a code is clicked or activated; follows the
    codebook and the counts of codings by itself."""

    sig_code_clicked = Signal(int)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Codebook", parent)
        self.setObjectName("codebookDock")
        self._current = current
        self._counts_later = Later(self, self._apply_counts)
        current.sig_changed.connect(self._on_changed)
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

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        session = self._current.session
        if changes.project or changes.code_tree:
            self._counts_later.flush()
            self.set_codes(session.code_list(), codings.code_counts(session.project))
            return
        if changes.codes:
            self.model.update_codes(session.code_list())
        if changes.code_counts:
            self._counts_later.add(changes)

    def _apply_counts(self, changes: Changes) -> None:
        session = self._current.session
        if session is not None:
            known = dict(changes.counts)
            missing = changes.code_counts - known.keys()
            if missing:
                known.update(codings.code_counts(session.project, missing))
            self.model.set_counts(known)

    def select_code(self, code_id: int | None) -> None:
        if code_id is None or self.model.code(code_id) is None:
            self.view.clearSelection()
        else:
            self.view.setCurrentIndex(self.model.index_of(code_id))
