"""The documents list: name, title, outlet, date. Double-click, Enter or drag to open."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView, QWidget

from kzcoder.core.changes import Changes
from kzcoder.core.records import DocumentInfo
from kzcoder.gui.mime import DOCUMENT_MIME, make_mime
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.table_model import ColumnsTableModel

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Name", "Title", "Outlet", "Date")
Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: list[DocumentInfo] = []

    def set_documents(self, docs: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._docs = list(docs)
        self.endResetModel()

    def document(self, row: int) -> DocumentInfo:
        return self._docs[row]

    def row_total(self) -> int:
        return len(self._docs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        doc = self._docs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc.name, doc.title, doc.outlet, doc.published)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{doc.title}\n{doc.name} · {doc.length:,} characters"
        if role == ID_ROLE:
            return doc.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [DOCUMENT_MIME]

    def mimeData(self, indexes):  # noqa: N802, ANN001
        return make_mime(DOCUMENT_MIME, self._docs[indexes[0].row()].id) if indexes else None


class _DocumentsView(QTableView):
    sig_activated = Signal(int)

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.sig_activated.emit(self.currentIndex().data(ID_ROLE))
            return
        super().keyPressEvent(event)


class DocumentsDock(QDockWidget):
    """Emits ``sig_open_requested(document_id)`` on double-click or Enter; follows the
    project's documents by itself."""

    sig_open_requested = Signal(int)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Documents", parent)
        self.setObjectName("documentsDock")
        self._current = current
        current.sig_changed.connect(self._on_changed)
        self.model = DocumentsModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        self.view = _DocumentsView(self)
        self.view.setObjectName("documentsView")
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragEnabled(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Title first (it says the most); the file name last, at a width the user can change.
        header.moveSection(0, 3)
        for column, width in ((0, 100), (2, 95)):  # name, outlet: elided, widths user-set
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.doubleClicked.connect(lambda index: self.sig_open_requested.emit(
            index.data(ID_ROLE)))
        self.view.sig_activated.connect(self.sig_open_requested)
        self.setWidget(self.view)

    def set_documents(self, docs: list[DocumentInfo]) -> None:
        self.model.set_documents(docs)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.project or changes.document_list or changes.documents:
            self.set_documents(list(self._current.session.documents.values()))
