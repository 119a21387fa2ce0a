"""Coded segments as a Qt table model: document, code, coder, text, memo."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kzcoder.services.dto import Segment

SEGMENT_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Document", "Code", "Coder", "Text", "Memo")
Index = QModelIndex | QPersistentModelIndex
_PREVIEW = 300  # characters shown in a cell; the tooltip has the whole segment


def _order(segment: Segment) -> tuple[int, int, int, int]:
    return (segment.document_id, segment.start, segment.end, segment.id)


class SegmentsModel(QAbstractTableModel):
    """Rows in document order; single segments are inserted, replaced or removed in place."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._segments: list[Segment] = []
        self._keys: list[tuple[int, int, int, int]] = []
        self._by_id: dict[int, Segment] = {}
        self._titles: dict[int, str] = {}
        self._colors: dict[int, QColor] = {}

    def set_segments(self, segments: list[Segment], titles: dict[int, str],
                     colors: dict[int, str]) -> None:
        """Show *segments* (already in document order, as services return them)."""
        self.beginResetModel()
        self._segments = segments
        self._keys = [_order(s) for s in segments]
        self._by_id = {s.id: s for s in segments}
        self._titles = titles
        self._colors = {code_id: QColor(c) for code_id, c in colors.items()}
        self.endResetModel()

    def remove(self, coding_id: int) -> None:
        """Drop the row of *coding_id*, if shown."""
        segment = self._by_id.pop(coding_id, None)
        if segment is None:
            return
        row = bisect_left(self._keys, _order(segment))
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._segments[row], self._keys[row]
        self.endRemoveRows()

    def upsert(self, segment: Segment) -> None:
        """Insert *segment* at its place, or replace the row it had."""
        old = self._by_id.get(segment.id)
        if old is not None and _order(old) == _order(segment):
            row = bisect_left(self._keys, _order(old))
            self._segments[row] = self._by_id[segment.id] = segment
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.remove(segment.id)
        row = bisect_left(self._keys, _order(segment))
        self.beginInsertRows(QModelIndex(), row, row)
        self._segments.insert(row, segment)
        self._keys.insert(row, _order(segment))
        self._by_id[segment.id] = segment
        self.endInsertRows()

    def segment(self, row: int) -> Segment:
        return self._segments[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        seg = self._segments[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._titles.get(seg.document_id) or seg.document
            if column == 3:
                return " ".join(seg.text[:_PREVIEW].split())
            return (None, seg.code, seg.coder, None, seg.memo)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 3, 4):
            return (seg.document, None, None, seg.text, seg.memo)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self._colors.get(seg.code_id)
        if role == SEGMENT_ROLE:
            return seg
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
