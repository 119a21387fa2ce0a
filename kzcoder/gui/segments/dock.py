"""Every coded segment of the chosen code (or all codes), with a filter box.
Double-click opens the document in a pane and selects the segment. The dock lists segments
itself and keeps its rows current from the project's changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.core.records import Segment
from kzcoder.gui.elided_label import ElidedLabel
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.later import Later
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.segments.coder_filter import CoderFilterBox
from kzcoder.gui.segments.model import DATE, OUTLET, SEGMENT_ROLE, SegmentsModel

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import codings, removals
    from kzcoder.services import segments as segments_service
else:
    codings = lazy_import("kzcoder.services.codings")
    removals = lazy_import("kzcoder.services.removals")
    segments_service = lazy_import("kzcoder.services.segments")


SHOW_ALL_SEGMENTS_UP_TO = 5_000  # codings; above that the dock waits for a code to be chosen


class SegmentsProxy(QSortFilterProxyModel):
    """The filter text over every column, and one coder's segments only when ``coder`` is
    set."""

    coder: str | None = None
    #: the active document filter's documents (None: every document)
    documents: frozenset[int] | None = None

    def set_documents(self, documents: frozenset[int] | None) -> None:
        self.beginFilterChange()
        self.documents = documents
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_coder(self, coder: str | None) -> None:
        self.beginFilterChange()
        self.coder = coder
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: ANN001, N802
        # called for every row on each reset (25,000 for a big code): nothing is built
        # unless a coder or document filter asks for it
        model = self.sourceModel()
        if self.documents is not None and model.document_id(row) not in self.documents:
            return False
        if self.coder is not None and model.segment(row).coder != self.coder:
            return False
        return super().filterAcceptsRow(row, parent)


class SegmentsDock(QDockWidget):
    """``sig_segment_activated(Segment)`` on double-click or Enter. Delete removes the
    selected segments' codings (one undo step); ``sig_message`` says what happened."""

    sig_segment_activated = Signal(object)
    #: the code whose segments are listed (None: all codes)
    sig_scope_changed = Signal(object)
    sig_message = Signal(str)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Coded segments", parent)
        self.setObjectName("segmentsDock")
        self._current = current
        self.code_id: int | None = None
        self.loaded = False  # a big project lists nothing until a code is chosen
        self._codings_later = Later(self, self._apply_codings)
        current.sig_changed.connect(self._on_changed)
        self.model = SegmentsModel(self)
        self.proxy = SegmentsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.scope = ElidedLabel("All codes", objectName="segmentsScope")
        # Its text changes with every coding; a size hint that followed it would re-lay out
        # (and repaint) the whole main window each time: its size policy ignores the hint.
        self.scope.setMinimumWidth(140)
        self.subcodes = QCheckBox("With sub-codes", objectName="segmentsSubcodes")
        self.subcodes.setToolTip("List the segments of the chosen code and of every code "
                                 "below it")
        self.subcodes.toggled.connect(self._on_subcodes_toggled)
        self.wrap = QCheckBox("Wrap", objectName="segmentsWrap")
        self.wrap.setToolTip("Show each segment's whole text, wrapped over several lines")
        self.wrap.toggled.connect(self.set_wrapped)
        self.show_all = QPushButton("Show all codes", objectName="segmentsShowAll")
        self.show_all.clicked.connect(lambda: self.show_code(None))
        self.filter = QLineEdit(objectName="segmentsFilter")
        self.filter.setPlaceholderText("Filter segments…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(lambda _text: self._show_count())
        self.coder_box = CoderFilterBox(self)
        self.coder_box.setObjectName("segmentsCoderFilter")
        self.coder_box.sig_filter_changed.connect(self._on_coder_chosen)
        self.view = QTableView(objectName="segmentsView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # document order until clicked
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table, as in any dialog
        self.remove_action = QAction("Remove the selected codings", self.view,
                                     objectName="actionRemoveSelectedSegments")
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.view.addAction(self.remove_action)
        self.history_action = QAction("History of the coding…", self.view,
                                      objectName="actionCodingHistory")
        self.history_action.triggered.connect(lambda: self.show_history())
        self.view.addAction(self.history_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionsMovable(True)
        header.moveSection(header.visualIndex(DATE), 1)  # read as: document, date, outlet
        header.moveSection(header.visualIndex(OUTLET), 2)
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)

        bar = QHBoxLayout()
        bar.addWidget(self.scope, 1)
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.coder_box)
        bar.addWidget(self.subcodes)
        bar.addWidget(self.wrap)
        bar.addWidget(self.show_all)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.setWidget(body)

    def show_code(self, code_id: int | None) -> None:
        """List the segments of *code_id* (None: of every code)."""
        session = self._current.session
        if session is None:
            return
        self._codings_later.flush()
        self.code_id = code_id
        self.loaded = True
        found = segments_service.list_segments(session.project, code=code_id,
                                               subcodes=self.subcodes.isChecked())
        self.set_segments(found)
        self.sig_scope_changed.emit(code_id)

    def set_wrapped(self, on: bool) -> None:
        """Rows as tall as their text (reading a retrieval) or one line each (scanning it)."""
        self.model.wrapped = on
        self.view.setWordWrap(on)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents if on
                                  else QHeaderView.ResizeMode.Fixed)
        self.model.layoutChanged.emit()
        self.view.resizeRowsToContents()  # unwrapped: one line each

    def _on_subcodes_toggled(self) -> None:
        if self.loaded and self.code_id is not None:
            self.show_code(self.code_id)

    def scope_code_ids(self) -> set[int] | None:
        """The codes whose segments are listed (None: every code)."""
        session = self._current.session
        if self.code_id is None or session is None:
            return None
        inside = {self.code_id}
        if self.subcodes.isChecked():
            for code in session.code_list():  # parents come before children
                if code.parent_id in inside:
                    inside.add(code.id)
        return inside

    def describe_view(self) -> str:
        """What the list shows, in words: its code, coder and filter text (for a file name)."""
        parts = [self._scope_name()]
        if self.proxy.coder is not None:
            parts.append(f"coder {self.proxy.coder}")
        if self.filter.text().strip():
            parts.append(f"with {self.filter.text().strip()}")
        return ", ".join(parts)

    def _scope_name(self) -> str:
        session = self._current.session
        code = session.codes.get(self.code_id) if self.code_id is not None else None
        if code is None:
            return "All codes"
        return f"{code.name} and sub-codes" if self.subcodes.isChecked() else code.name

    def set_segments(self, segments: list[Segment]) -> None:
        """Show *segments* (in document order) under the current scope."""
        session = self._current.session
        self.model.set_segments(segments, _titles(session), _colors(session), _details(session))
        self._show_count()
        if segments:
            for column, width in ((0, 200), (1, 160), (2, 80), (DATE, 90), (OUTLET, 110)):
                self.view.setColumnWidth(column, width)

    def _show_count(self) -> None:
        if self.loaded:
            total, shown = self.model.rowCount(), self.proxy.rowCount()
            filtered = (self.filter.text() or self.proxy.coder is not None
                        or self.proxy.documents is not None)
            count = f"{shown} of {total}" if filtered else f"{total}"
            where = " in the filtered documents" if self.proxy.documents is not None else ""
            self.scope.setText(f"{self._scope_name()}: {count} segment(s){where}")
        else:
            self.scope.setText("Click a code to list its segments")

    def show_only_documents(self, documents: set[int] | None) -> None:
        """List only segments in *documents* (ids; None: all), the active document filter."""
        self.proxy.set_documents(None if documents is None else frozenset(documents))
        self._show_count()

    def _on_coder_chosen(self) -> None:
        self.proxy.set_coder(self.coder_box.selected())
        self._show_count()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        session = self._current.session
        if session is not None and (changes.project or changes.coders):
            self.coder_box.set_coders(session.coder_names, session.coder)
            self._on_coder_chosen()
        if session is None:
            self._codings_later.flush()
            self.model.set_segments([], {}, {})
            self.loaded = False
            self.scope.setText("No project open")
            return
        if changes.codings:
            self._codings_later.add(changes)  # the pane repaints first, this dock just after
        others = changes.project or changes.code_tree or changes.codes or changes.documents
        if not (others or changes.document_list):
            return
        self._codings_later.flush()  # what is pending comes first
        if changes.project:
            self.model.set_segments([], {}, {})
            self.loaded = False
            if sum(codings.code_counts(session.project).values()) <= SHOW_ALL_SEGMENTS_UP_TO:
                self.show_code(None)
            else:  # a big project: opening it should not wait for every segment
                self.code_id = None
                self._show_count()
            return
        if not self.loaded:
            return
        if changes.code_tree and self.code_id is not None and self.code_id not in session.codes:
            self.show_code(None)
            return
        if changes.code_tree and self.code_id is not None and self.subcodes.isChecked():
            self.show_code(self.code_id)  # a code moved in or out of the one listed
            return
        if changes.codes or changes.code_tree or changes.documents or changes.document_list:
            self.model.set_labels(_titles(session), _colors(session),
                                  {c.id: c.name for c in session.codes.values()},
                                  _details(session))
        self._show_count()

    def _apply_codings(self, changes: Changes) -> None:
        if not self.loaded or self._current.session is None or changes.project:
            return
        current = segments_service.changed_segments(self._current.session.project, changes)
        scope = self.scope_code_ids()
        for coding_id in changes.codings:
            segment = current.get(coding_id)
            if segment is None or (scope is not None and segment.code_id not in scope):
                self.model.remove(coding_id)
            else:
                self.model.upsert(segment)
        self._show_count()

    def shown_coding_ids(self) -> list[int]:
        """The codings of every row the list shows now (its scope and filter), in its order."""
        return [self.model.segment(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).id
                for row in range(self.proxy.rowCount())]

    def selected_coding_ids(self) -> list[int]:
        """The codings of the selected rows, in the order shown."""
        rows = sorted({self.proxy.mapToSource(i).row()
                       for i in self.view.selectionModel().selectedRows()})
        return [self.model.segment(row).id for row in rows]

    def show_history(self) -> QWidget | None:
        """Show the tamper-evident history of the first selected coding (gui/protection)."""
        from kzcoder.gui.protection.history_dialog import show_coding_history

        session, ids = self._current.session, self.selected_coding_ids()
        if session is None or not ids:
            return None
        return show_coding_history(self, session.project, ids[0])

    def remove_selected(self) -> bool:
        """Remove the selected segments' codings as one undo step."""
        session = self._current.session
        ids = self.selected_coding_ids()
        if session is None or not ids:
            self.sig_message.emit("Select the segments to remove first.")
            return False
        if not session.run_command(removals.RemoveCodings(tuple(ids))):
            return False
        self.sig_message.emit(f"Removed {len(ids)} coding{'s' if len(ids) != 1 else ''}. "
                              "Ctrl+Z undoes it.")
        return True

    def _activate(self, index) -> None:  # noqa: ANN001
        segment = index.data(SEGMENT_ROLE) if index.isValid() else None
        if segment is None:
            segment = self.model.segment(self.proxy.mapToSource(index).row())
        self.sig_segment_activated.emit(segment)


def _titles(session) -> dict[int, str]:  # noqa: ANN001 - ProjectSession
    return {d.id: d.title or d.name for d in session.documents.values()}


def _details(session) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    return {d.id: (d.published, d.outlet) for d in session.documents.values()}


def _colors(session) -> dict[int, str]:  # noqa: ANN001
    return {c.id: c.color for c in session.codes.values()}
