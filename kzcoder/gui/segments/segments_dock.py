"""Every coded segment of the chosen code (or all codes), with a filter box.
Double-click opens the document in a pane and selects the segment."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kzcoder.gui.segments.segments_model import SEGMENT_ROLE, SegmentsModel
from kzcoder.services.dto import Segment


class SegmentsDock(QDockWidget):
    """``sig_segment_activated(Segment)`` on double-click or Enter; ``sig_show_all`` asks for
    every code's segments."""

    sig_segment_activated = Signal(object)
    sig_show_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Coded segments", parent)
        self.setObjectName("segmentsDock")
        self.model = SegmentsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.scope = QLabel("All codes", objectName="segmentsScope")
        # Its text changes with every coding; a size hint that followed it would re-lay out
        # (and repaint) the whole main window each time.
        self.scope.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scope.setMinimumWidth(220)
        self.show_all = QPushButton("Show all codes", objectName="segmentsShowAll")
        self.show_all.clicked.connect(self.sig_show_all)
        self.filter = QLineEdit(objectName="segmentsFilter")
        self.filter.setPlaceholderText("Filter segments…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(objectName="segmentsView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # document order until clicked
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)

        bar = QHBoxLayout()
        bar.addWidget(self.scope, 1)
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.show_all)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.setWidget(body)

    def set_segments(self, scope: str, segments: list[Segment], titles: dict[int, str],
                     colors: dict[int, str]) -> None:
        self.scope.setText(f"{scope}: {len(segments)} segment(s)")
        self.model.set_segments(segments, titles, colors)
        if segments:
            for column, width in ((0, 200), (1, 160), (2, 80)):
                self.view.setColumnWidth(column, width)

    def apply_changes(self, coding_ids, current: dict[int, Segment],  # noqa: ANN001
                      code_id: int | None) -> None:
        """Bring the listed codings up to date; only those of *code_id* (None: all) are shown."""
        for coding_id in coding_ids:
            segment = current.get(coding_id)
            if segment is None or (code_id is not None and segment.code_id != code_id):
                self.model.remove(coding_id)
            else:
                self.model.upsert(segment)
        scope = self.scope.text().rsplit(":", 1)[0]
        self.scope.setText(f"{scope}: {self.model.rowCount()} segment(s)")

    def _activate(self, index) -> None:  # noqa: ANN001
        segment = index.data(SEGMENT_ROLE) if index.isValid() else None
        if segment is None:
            segment = self.model.segment(self.proxy.mapToSource(index).row())
        self.sig_segment_activated.emit(segment)
