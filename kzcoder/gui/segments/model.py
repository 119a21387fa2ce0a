"""Coded segments as a Qt table model: document, code, coder, text, memo, and the document's
date (its ``published`` attribute) and outlet."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kzcoder.core.records import Segment
from kzcoder.gui.table_model import ColumnsTableModel

SEGMENT_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Document", "Code", "Coder", "Text", "Memo", "Date", "Outlet")
DATE, OUTLET = 5, 6  # last, so older column numbers hold; the dock shows them after Document
Index = QModelIndex | QPersistentModelIndex
_PREVIEW = 300  # characters shown in a one-line cell; the tooltip has the whole segment
_WRAPPED = 3000  # characters shown in a wrapped cell


def _order(segment: Segment) -> tuple[int, int, int, int]:
    return (segment.document_id, segment.start, segment.end, segment.id)


class SegmentsModel(ColumnsTableModel):
    """Rows in document order. Rows read from a service's lazy list are built when shown;
    single segments are inserted, replaced or removed in place."""

    COLUMNS = COLUMNS
    wrapped = False  # the dock's wrap mode: cells keep their line breaks and show more text

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._source: Sequence[Segment] = ()
        self._items: list[int | Segment] = []  # an index into _source, or an edited segment
        self._keys: list[tuple[int, int, int, int]] | None = None  # built on the first edit
        self._key_of: dict[int, tuple[int, int, int, int]] = {}
        self._titles: dict[int, str] = {}
        self._colors: dict[int, QColor] = {}
        self._code_names: dict[int, str] = {}  # names changed since the segments were read
        self._details: dict[int, tuple[str, str]] = {}  # document id -> (date, outlet)

    def set_segments(self, segments: Sequence[Segment], titles: dict[int, str],
                     colors: dict[int, str],
                     details: dict[int, tuple[str, str]] | None = None) -> None:
        """Show *segments* (in document order, as services return them); *details* gives each
        document's (date, outlet)."""
        self.beginResetModel()
        self._details = details or {}
        self._source = segments
        self._items = list(range(len(segments)))
        self._keys = None
        self._key_of = {}
        self._titles = titles
        self._colors = {code_id: QColor(c) for code_id, c in colors.items()}
        self._code_names = {}
        self.endResetModel()

    def set_labels(self, titles: dict[int, str], colors: dict[int, str],
                   code_names: dict[int, str],
                   details: dict[int, tuple[str, str]] | None = None) -> None:
        """Show documents' new titles, dates and outlets and codes' new names and colours in
        every row."""
        self._titles = titles
        if details is not None:
            self._details = details
        self._colors = {code_id: QColor(c) for code_id, c in colors.items()}
        self._code_names = code_names
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    def segment(self, row: int) -> Segment:
        item = self._items[row]
        return self._source[item] if isinstance(item, int) else item

    def document_id(self, row: int) -> int:
        """The document of the segment in *row*, without building the segment."""
        return self._key(self._items[row])[0]

    def _key(self, item: int | Segment) -> tuple[int, int, int, int]:
        if isinstance(item, int):
            key_of = getattr(self._source, "order_key", None)
            return key_of(item) if key_of else _order(self._source[item])
        return _order(item)

    def _index_keys(self) -> list[tuple[int, int, int, int]]:
        if self._keys is None:
            self._keys = [self._key(item) for item in self._items]
            self._key_of = {key[3]: key for key in self._keys}
        return self._keys

    def remove(self, coding_id: int) -> None:
        """Drop the row of *coding_id*, if shown."""
        keys = self._index_keys()
        key = self._key_of.pop(coding_id, None)
        if key is None:
            return
        row = bisect_left(keys, key)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row], keys[row]
        self.endRemoveRows()

    def upsert(self, segment: Segment) -> None:
        """Insert *segment* at its place, or replace the row it had."""
        keys = self._index_keys()
        old = self._key_of.get(segment.id)
        if old is not None and old == _order(segment):
            row = bisect_left(keys, old)
            self._items[row] = segment
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.remove(segment.id)
        row = bisect_left(keys, _order(segment))
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.insert(row, segment)
        keys.insert(row, _order(segment))
        self._key_of[segment.id] = _order(segment)
        self.endInsertRows()

    def row_total(self) -> int:
        return len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        seg = self.segment(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._titles.get(seg.document_id) or seg.document
            if column == 3:
                if self.wrapped:
                    return seg.text[:_WRAPPED].strip()
                return " ".join(seg.text[:_PREVIEW].split())
            if column == 1:
                return self._code_names.get(seg.code_id, seg.code)
            if column in (DATE, OUTLET):
                return self._details.get(seg.document_id, ("", ""))[column - DATE]
            return (None, None, seg.coder, None, seg.memo)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 3, 4):
            return (seg.document, None, None, seg.text, seg.memo)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self._colors.get(seg.code_id)
        if role == SEGMENT_ROLE:
            return seg
        return None

