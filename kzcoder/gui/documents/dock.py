"""The documents list: name, title, outlet, date. Double-click, Enter or drag to open;
Ctrl+E or the context menu's "Details…" edits a document's name and attributes; with several
documents selected, "Edit attributes…" sets or clears one attribute of all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QDrag, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.core.records import DocumentInfo
from kzcoder.gui.documents import attribute_columns
from kzcoder.gui.documents.batch_dialog import BatchAttributesDialog
from kzcoder.gui.documents.details_dialog import DocumentDetailsDialog
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.memos.marks import has_memo, memo_icon, memo_tooltip
from kzcoder.gui.mime import DOCUMENT_MIME, make_mime
from kzcoder.gui.operations.session import CurrentSession, ProjectSession
from kzcoder.gui.table_model import ColumnsTableModel

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import undoable
else:
    undoable = lazy_import("kzcoder.services.undoable")

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Name", "Title", "Outlet", "Date")
Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: list[DocumentInfo] = []
        self.attribute_columns: list[str] = []  # chosen attributes, after the fixed columns

    def show_attribute(self, name: str, show: bool) -> None:
        """Add a column for the attribute *name* at the end, or remove it."""
        if show and name not in self.attribute_columns:
            at = len(self.COLUMNS)
            self.beginInsertColumns(QModelIndex(), at, at)
            self.attribute_columns.append(name)
            self.COLUMNS = (*self.COLUMNS, name)
            self.endInsertColumns()
        elif not show and name in self.attribute_columns:
            at = len(COLUMNS) + self.attribute_columns.index(name)
            self.beginRemoveColumns(QModelIndex(), at, at)
            self.attribute_columns.remove(name)
            self.COLUMNS = (*COLUMNS, *self.attribute_columns)
            self.endRemoveColumns()

    def set_attribute_columns(self, names: list[str]) -> None:
        """Show exactly the attribute columns *names*, in that order (a project's saved
        choice)."""
        for name in list(self.attribute_columns):
            if name not in names:
                self.show_attribute(name, False)
        for name in names:
            self.show_attribute(name, True)

    def set_documents(self, docs: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._docs = list(docs)
        self.endResetModel()

    def update_documents(self, docs: dict[int, DocumentInfo]) -> None:
        """Show the new state of the documents among *docs* in place (selection kept)."""
        for row, doc in enumerate(self._docs):
            fresh = docs.get(doc.id)
            if fresh is not None and fresh is not doc:
                self._docs[row] = fresh
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(self.COLUMNS) - 1))

    def document(self, row: int) -> DocumentInfo:
        return self._docs[row]

    def documents(self) -> list[DocumentInfo]:
        return list(self._docs)

    def row_total(self) -> int:
        return len(self._docs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        doc = self._docs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() >= len(COLUMNS):
                return doc.attributes.get(self.attribute_columns[index.column() - len(COLUMNS)],
                                          "")
            return (doc.name, doc.title, doc.outlet, doc.published)[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 1 and has_memo(doc.memo):
            return memo_icon()  # before the title: a long title is cut at its end
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{doc.title}\n{doc.name} · {doc.length:,} characters{memo_tooltip(doc.memo)}"
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

    def drag_mime(self):  # noqa: ANN201 - QMimeData | None
        """What a drag carries: the document of the row pressed (the current one), even
        when several rows are selected (a pane shows one document)."""
        index = self.currentIndex()
        return self.model().mimeData([index]) if index.isValid() else None

    def startDrag(self, supported: Qt.DropAction) -> None:  # noqa: N802
        mime = self.drag_mime()
        if mime is not None:
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(supported, Qt.DropAction.CopyAction)

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.sig_activated.emit(self.currentIndex().data(ID_ROLE))
            return
        super().keyPressEvent(event)


class DocumentsProxy(QSortFilterProxyModel):
    """Sorting, and only the documents of the active document filter when there is one."""

    documents: frozenset[int] | None = None

    def set_documents(self, documents: frozenset[int] | None) -> None:
        self.beginFilterChange()
        self.documents = documents
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: ANN001, N802
        if self.documents is None:
            return True
        return self.sourceModel().index(row, 0, parent).data(ID_ROLE) in self.documents


class DocumentsDock(QDockWidget):
    """Emits ``sig_open_requested(document_id)`` on double-click or Enter; follows the
    project's documents by itself.

    ``open_action`` and ``details_action`` act on the current document of the list; they are
    in its context menu, and a window may put them in a menu too (``details_action``'s Ctrl+E
    works while the list has the focus).
    """

    sig_open_requested = Signal(int)
    #: conditions typed in the filter bar over the list ("outlet=IWPR; published=2005..2011"),
    #: the window's active document filter (the analysis area applies it)
    sig_filter_typed = Signal(str)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Documents", parent)
        self.setObjectName("documentsDock")
        self._current = current
        current.sig_changed.connect(self._on_changed)
        self.model = DocumentsModel(self)
        proxy = DocumentsProxy(self)
        proxy.setSourceModel(self.model)
        self.view = _DocumentsView(self)
        self.view.setObjectName("documentsView")
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)  # Tab moves on to the next part of the window
        # several rows (Ctrl/Shift+click) for Edit attributes…; the current row is the one
        # Open and Details act on
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        self.filter_bar = QLineEdit(objectName="documentsFilter")
        self.filter_bar.setPlaceholderText("Filter: outlet=IWPR; published=2005..2011")
        self.filter_bar.setToolTip("Keep the documents whose attributes match (AND); a range "
                                   "A..B includes both ends, a year or month covers all of it. "
                                   "The filter applies everywhere: this list, Coded segments, "
                                   "Search, Analysis and exports. Enter applies it.")
        self.filter_bar.setClearButtonEnabled(True)
        self.filter_bar.returnPressed.connect(
            lambda: self.sig_filter_typed.emit(self.filter_bar.text()))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view)
        self.setWidget(body)
        attribute_columns.attach(  # a right click on the header chooses attribute columns
            header, lambda: attribute_columns.attribute_names(
                d.attributes for d in self.model.documents()),
            lambda: list(self.model.attribute_columns), self.model.show_attribute)

        self.open_action = QAction("&Open", self, objectName="actionOpenDocument")
        self.open_action.triggered.connect(self._open_current)
        self.details_action = QAction("Document &details…", self,
                                      objectName="actionDocumentDetails")
        self.details_action.setShortcut(QKeySequence("Ctrl+E"))
        self.details_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.details_action.triggered.connect(lambda: self.edit_details())
        self.view.addAction(self.details_action)
        self.attributes_action = QAction("Edit &attributes of selected documents…", self,
                                         objectName="actionEditAttributes")
        self.attributes_action.triggered.connect(lambda: self.edit_attributes())
        self.history_action = QAction("&History…", self, objectName="actionDocumentHistory")
        self.history_action.triggered.connect(lambda: self.show_history())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self.view.selectionModel().currentChanged.connect(self._update_actions)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        proxy.modelReset.connect(self._update_actions)
        self.details_dialog: DocumentDetailsDialog | None = None
        self._update_actions()

    def set_documents(self, docs: list[DocumentInfo]) -> None:
        self.model.set_documents(docs)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        session = self._current.session
        if changes.project and self.details_dialog is not None:
            self.details_dialog.reject()  # it may describe another project's document
        if session is None:  # no project open
            self.set_documents([])
            return
        if changes.project or changes.document_list:
            self.set_documents(list(session.documents.values()))
        elif changes.documents:
            self.model.update_documents({i: session.documents[i] for i in changes.documents
                                         if i in session.documents})

    # --- the current document and what to do with it ----------------------------------------
    def current_document_id(self) -> int | None:
        """The id of the document whose row is current in the list, if any."""
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def selected_document_ids(self) -> list[int]:
        """The ids of the selected rows, in the list's order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.view.model().index(row, 0).data(ID_ROLE) for row in rows]

    def select_document(self, document_id: int) -> None:
        """Make *document_id*'s row the current one."""
        proxy = self.view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data(ID_ROLE) == document_id:
                self.view.setCurrentIndex(proxy.index(row, 0))
                return

    def _update_actions(self, *_args: object) -> None:
        has_document = self.current_document_id() is not None
        self.open_action.setEnabled(has_document)
        self.details_action.setEnabled(has_document)
        self.attributes_action.setEnabled(bool(self.selected_document_ids()) or has_document)
        self.history_action.setEnabled(has_document)

    def _open_current(self) -> None:
        document_id = self.current_document_id()
        if document_id is not None:
            self.sig_open_requested.emit(document_id)

    def context_menu(self) -> QMenu:
        """The list's context menu (Open, Details…), for the current document."""
        menu = QMenu(self, objectName="documentsContextMenu")
        menu.addAction(self.open_action)
        menu.addAction(self.details_action)
        menu.addAction(self.attributes_action)
        menu.addAction(self.history_action)
        return menu

    def show_history(self) -> QWidget | None:
        """Show the tamper-evident history of the current document (gui/protection)."""
        from kzcoder.gui.protection.history_dialog import show_document_history

        session, document_id = self._current.session, self.current_document_id()
        info = session.documents.get(document_id) if session is not None else None
        if info is None:
            return None
        return show_document_history(self, session.project, document_id, info.name)

    def _show_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row()):
            self.view.setCurrentIndex(index)  # a click inside the selection keeps it
        self._update_actions()
        menu = self.context_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # --- editing details ---------------------------------------------------------------------
    def edit_details(self, document_id: int | None = None) -> DocumentDetailsDialog | None:
        """Open the details dialog of *document_id* (default: the current one), window-modal
        and without blocking; on OK its change runs as one undoable command. Returns the
        dialog (None if there is no such document)."""
        session = self._current.session
        if document_id is None:
            document_id = self.current_document_id()
        info = session.documents.get(document_id) if session is not None else None
        if info is None:
            return None
        if self.details_dialog is not None:
            self.details_dialog.reject()
        others = [d.name for d in session.documents.values() if d.id != info.id]
        names = {key for d in session.documents.values() for key in d.attributes}
        dialog = DocumentDetailsDialog(info, others, self.window(), attribute_names=names)
        dialog.accepted.connect(lambda: self._apply_details(session, dialog))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.details_dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: DocumentDetailsDialog) -> None:
        if self.details_dialog is dialog:
            self.details_dialog = None
        dialog.deleteLater()

    def _apply_details(self, session: ProjectSession, dialog: DocumentDetailsDialog) -> None:
        if session is not self._current.session:  # another project was opened meanwhile
            return
        change = dialog.change()
        if change:
            session.run_command(undoable.EditDocument(
                change.document_id, name=change.name, set_attributes=change.set_attributes,
                unset=change.unset), initiator=self)

    def edit_attributes(self, document_ids: list[int] | None = None
                        ) -> BatchAttributesDialog | None:
        """Open the dialog that sets or clears one attribute of *document_ids* (default: the
        selected documents, or the current one), window-modal and without blocking; on OK the
        change runs as one undoable command. Returns the dialog (None if no document)."""
        session = self._current.session
        if session is None:
            return None
        if document_ids is None:
            document_ids = self.selected_document_ids()
            if not document_ids and self.current_document_id() is not None:
                document_ids = [self.current_document_id()]
        ids = tuple(i for i in document_ids if i in session.documents)
        if not ids:
            return None
        names = {key for d in session.documents.values() for key in d.attributes}
        dialog = BatchAttributesDialog(len(ids), names, self.window())
        dialog.accepted.connect(lambda: self._apply_attributes(session, ids, dialog))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def _apply_attributes(self, session: ProjectSession, ids: tuple[int, ...],
                          dialog: BatchAttributesDialog) -> None:
        if session is not self._current.session:  # another project was opened meanwhile
            return
        set_attributes, unset = dialog.change()
        session.run_command(undoable.EditDocuments(ids, set_attributes=set_attributes,
                                                   unset=unset), initiator=self)

    def show_only(self, documents: set[int] | None) -> None:
        """List only *documents* (ids; None: all), the active document filter, and say so in
        the dock's title ("Documents: 3 of 5 (filtered)")."""
        proxy = self.view.model()
        proxy.set_documents(None if documents is None else frozenset(documents))
        if documents is None:
            self.setWindowTitle("Documents")
        else:
            self.setWindowTitle(f"Documents: {proxy.rowCount()} of {self.model.rowCount()} "
                                "(filtered in Analysis)")
