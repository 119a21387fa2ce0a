"""The codebook dock, an editor of the code tree: names in place (F2 or double-click), drag to
move, a filter that keeps the ancestors of what matches, and the selected code's description
below, saved as you type (one undo step per burst).

Retrieving and coding are separate gestures: a plain click on a code lists its segments
(``sig_code_clicked``); Ctrl+click or Enter codes the active pane's selection
(``sig_code_chosen``), as do dragging the code onto the text and the code's key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.core.records import CodeInfo
from kzcoder.gui.codebook.model import ID_ROLE, CodebookModel
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.later import Later
from kzcoder.gui.operations.session import CurrentSession

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import code_sets, codings, undoable
    from kzcoder.services.codebook import tree as code_tree
else:
    code_sets = lazy_import("kzcoder.services.code_sets")
    code_tree = lazy_import("kzcoder.services.codebook.tree")
    codings = lazy_import("kzcoder.services.codings")
    undoable = lazy_import("kzcoder.services.undoable")

DESCRIPTION_PAUSE_MS = 800  # a pause in typing this long ends an editing burst (one undo step)
#: below this width of the names' column the Key and Docs columns give it their room (a
#: sub-code's name, indented, would otherwise be a few letters and "…"); the name's tooltip
#: still says both
NAME_ROOM = 180


class CodebookDock(QDockWidget):
    """The code tree; follows the codebook and the counts of codings by itself."""

    sig_code_clicked = Signal(int)
    sig_code_chosen = Signal(int)
    sig_message = Signal(str)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Codebook", parent)
        self.setObjectName("codebookDock")
        self._current = current
        self._counts_later = Later(self, self._apply_counts)
        current.sig_changed.connect(self._on_changed)
        self.model = CodebookModel(self)
        self.model.sig_rename_requested.connect(
            lambda code_id, name: self.run(undoable.EditCode(code_id, name=name,
                                                              seen=self.model.code(code_id))))
        self.model.sig_move_requested.connect(self._move)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)  # ancestors of a match stay visible
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(objectName="codebookFilter")
        self.filter.setPlaceholderText("Filter codes…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.view = QTreeView(self)
        self.view.setObjectName("codebookView")
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(True)
        self.view.setIndentation(14)  # the default 20 takes a sub-code's room in a narrow dock
        self.view.setUniformRowHeights(True)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        # The codebook takes the focus like any list (Delete here deletes a code, never a
        # coding); the pane keeps its selection and the keys 1-9 still code it.
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would measure every row each time a count changes.
        metrics = self.view.fontMetrics()
        # Narrow enough that names stay readable in a 250 px dock (a 1024 x 700 screen).
        for column, sample in ((1, "Key"), (2, "Codings"), (3, "Docs")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 14)
        self.view.clicked.connect(self._clicked)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._show_description())
        # about five codes stay visible however small the window
        self.view.setMinimumHeight(header.sizeHint().height() + 5 * (metrics.height() + 6))

        self.description = QPlainTextEdit(objectName="codeDescription")
        self.description.setPlaceholderText(
            "The selected code's definition: when to use it, when not, an example…")
        self.description.textChanged.connect(self._description_typed)
        self.description.installEventFilter(self)
        self._description_code: int | None = None
        self._save_timer = QTimer(self, singleShot=True, interval=DESCRIPTION_PAUSE_MS)
        self._save_timer.timeout.connect(self.save_description)
        self.description_title = QLabel("Description", objectName="codeDescriptionTitle")
        self.codable = QCheckBox("Codable", objectName="codeCodable")
        self.codable.setToolTip("Clear it for a category: a code that only groups codes and "
                                "is never coded with (QualCoder's categories, NVivo's folders)")
        self.codable.toggled.connect(self._codable_toggled)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 4, 0, 0)
        self.codable.setMaximumHeight(self.description_title.sizeHint().height())
        # a long code name must not widen the dock now that the box is beside it: the title
        # is cut (the name is in the tree)
        self.description_title.setSizePolicy(QSizePolicy.Policy.Ignored,
                                             QSizePolicy.Policy.Preferred)
        title_row = QHBoxLayout()  # the box beside the title: the dock grows no taller
        title_row.addWidget(self.description_title, 1)
        title_row.addWidget(self.codable)
        below_layout.addLayout(title_row)
        below_layout.addWidget(self.description)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.filter)
        top_layout.addWidget(self.view)
        split = QSplitter(Qt.Orientation.Vertical, objectName="codebookSplitter")
        split.addWidget(top)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(True)
        self.setWidget(split)
        self.view.installEventFilter(self)  # Enter codes; last, once every part exists
        self._show_description()

    # --- what is shown --------------------------------------------------------------------
    def view_index(self, code_id: int, column: int = 0) -> QModelIndex:
        """The view's index of a code (invalid when the filter hides it)."""
        return self.proxy.mapFromSource(self.model.index_of(code_id, column))

    def current_code(self) -> int | None:
        """The id of the code under the codebook's cursor, if any."""
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_code(self, code_id: int | None) -> None:
        if code_id is None or self.model.code(code_id) is None:
            self.view.clearSelection()
        else:
            self.view.setCurrentIndex(self.view_index(code_id))

    def set_codes(self, codes: list[CodeInfo], counts: dict[int, int],
                  documents: dict[int, int] | None = None) -> None:
        current = self.current_code()
        self.model.set_codes(codes, counts, documents)
        self.view.expandAll()
        if current is not None and self.model.code(current) is not None:
            self.view.setCurrentIndex(self.view_index(current))
        self._show_description()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.view.expandAll()

    # --- gestures -------------------------------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        code_id = index.data(ID_ROLE)
        self.sig_code_clicked.emit(code_id)
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier:
            self.sig_code_chosen.emit(code_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view.state() != \
                QAbstractItemView.State.EditingState:
            code_id = self.current_code()
            if code_id is not None:
                self.sig_code_chosen.emit(code_id)
                return True
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_columns(event.size().width())
        if watched is self.description and event.type() == QEvent.Type.FocusOut:
            self.save_description()
        return super().eventFilter(watched, event)

    def _fit_columns(self, width: int) -> None:
        """Hide Key and Docs while the view is too narrow for readable names."""
        header = self.view.header()
        extra = sum(header.sectionSize(c) for c in (1, 2, 3))
        narrow = width - extra < NAME_ROOM
        for column in (1, 3):
            header.setSectionHidden(column, narrow)

    def shown_names(self) -> list[tuple[int, str, str]]:
        """(depth, name, the text as painted: elided to its column) of every row in view
        (the layout report's test hook; a real-window test reads it)."""
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        view, style = self.view, self.view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        found: list[tuple[int, str, str]] = []

        def walk(parent: QModelIndex, depth: int) -> None:
            model = view.model()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                option = QStyleOptionViewItem()
                view.initViewItemOption(option)
                option.rect = view.visualRect(index)
                view.itemDelegateForIndex(index).initStyleOption(option, index)
                rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
                found.append((depth, option.text, option.fontMetrics.elidedText(
                    option.text, option.textElideMode, rect.width() - 2 * margin)))
                if view.isExpanded(index):
                    walk(index, depth + 1)

        walk(QModelIndex(), 0)
        return found

    def run(self, command) -> bool:  # noqa: ANN001 - an undoable Command
        """Run a codebook command through the session (one undo step)."""
        session = self._current.session
        return session is not None and session.run_command(command, initiator=self)

    def _move(self, code_id: int, parent_id: int | None, position: int) -> None:
        code = self.model.code(code_id)
        if self.run(code_tree.MoveCode(code_id, parent_id, position, seen=code)):
            self.sig_message.emit(f"Moved '{code.name}'. Ctrl+Z undoes it.")

    # --- description ----------------------------------------------------------------------
    def _show_description(self, save: bool = True) -> None:
        """Show the current code's description (after saving what was typed, unless the code
        was just changed from elsewhere: then what the project says wins)."""
        if save:
            self.save_description()
        self._save_timer.stop()
        code = self.model.code(self.current_code()) if self.current_code() else None
        self._description_code = code.id if code else None
        self.description.blockSignals(True)
        self.description.setPlainText(code.description if code else "")
        self.description.blockSignals(False)
        self.description.setEnabled(code is not None)
        self.description_title.setText(f"Description of {code.name}" if code else
                                       "Description (choose a code)")
        self.codable.blockSignals(True)
        self.codable.setChecked(code.codable if code else True)
        self.codable.blockSignals(False)
        self.codable.setEnabled(code is not None)

    def _codable_toggled(self, checked: bool) -> None:
        """Make the current code a category or codable again (one undo step); refused for a
        code that has codings, and the box then shows what the project says."""
        code = self.model.code(self._description_code) if self._description_code else None
        if code is None or code.codable == checked:
            return
        if not self.run(undoable.EditCode(code.id, codable=checked, seen=code)):
            self.codable.blockSignals(True)
            self.codable.setChecked(code.codable)
            self.codable.blockSignals(False)

    def _description_typed(self) -> None:
        self._save_timer.start()

    def save_description(self) -> None:
        """Save what was typed in the description since the last save (one undo step)."""
        self._save_timer.stop()
        code = self.model.code(self._description_code) if self._description_code else None
        text = self.description.toPlainText()
        if code is not None and text != code.description:
            self.run(undoable.EditCode(code.id, description=text, seen=code))

    # --- changes --------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, initiator: object) -> None:
        session = self._current.session
        if session is None:
            self.set_codes([], {}, {})
            return
        if changes.project or changes.code_tree or changes.code_sets:
            self.model.set_code_sets(code_sets.list_code_sets(session.project))
        if changes.project or changes.code_tree:
            self._counts_later.flush()
            self.set_codes(session.code_list(), *codings.code_usage(session.project))
            return
        if changes.codes:
            self.model.update_codes(session.code_list())
            if initiator is not self:  # an undo, another view: show what the project says
                self._show_description(save=False)
        if changes.code_counts:
            self._counts_later.add(changes)

    def _apply_counts(self, changes: Changes) -> None:
        session = self._current.session
        if session is not None:
            known = dict(changes.counts)
            documents = dict(changes.document_counts)
            missing = changes.code_counts - (known.keys() & documents.keys())
            if missing:  # the operation did not know them all: ask the project
                counts, docs = codings.code_usage(session.project, missing)
                known.update(counts)
                documents.update(docs)
            self.model.set_counts(known, documents)
