"""The codebook dock: the code tree with each code's key and number of codings. Click a code to
list its segments (and code the selection), drag it onto a selection, or press its key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHeaderView,
    QTreeView,
    QWidget,
)

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
    """The code tree; follows the codebook and the counts of codings by itself.

    A plain click on a code retrieves (``sig_code_clicked``); coding the selection from here
    is a separate gesture (``sig_code_chosen``): a double-click, Ctrl+click or Enter — or a
    drag onto the text, or the code's key anywhere.
    """

    sig_code_clicked = Signal(int)
    sig_code_chosen = Signal(int)

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
        # The codebook takes the focus like any list (Delete here deletes a code, never a
        # coding); the pane keeps its selection and the keys 1-9 still code it.
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.installEventFilter(self)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would measure every row each time a count changes.
        metrics = self.view.fontMetrics()
        for column, sample in ((1, "Key"), (2, "Codings 00000")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        self.view.clicked.connect(self._clicked)
        self.view.doubleClicked.connect(lambda index: self.sig_code_chosen.emit(
            index.data(ID_ROLE)))
        self.setWidget(self.view)
        # about five codes stay visible however small the window
        self.view.setMinimumHeight(header.sizeHint().height()
                                   + 5 * (metrics.height() + 6))

    def _clicked(self, index: QModelIndex) -> None:
        code_id = index.data(ID_ROLE)
        self.sig_code_clicked.emit(code_id)
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier:
            self.sig_code_chosen.emit(code_id)

    def current_code(self) -> int | None:
        """The id of the code under the codebook's cursor, if any."""
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code_id = self.current_code()
            if code_id is not None:
                self.sig_code_chosen.emit(code_id)
                return True
        return super().eventFilter(watched, event)

    def set_codes(self, codes: list[CodeInfo], counts: dict[int, int]) -> None:
        self.model.set_codes(codes, counts)
        self.view.expandAll()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        session = self._current.session
        if session is None:
            self.set_codes([], {})
            return
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
