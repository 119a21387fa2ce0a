"""The keyword-in-context table: left context, hit, right context, document, date."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from kzcoder.core.search.hits import Hit
from kzcoder.gui.table_model import ColumnsTableModel, Index

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def _line(text: str) -> str:
    return " ".join(text.split("\n"))


class HitsModel(ColumnsTableModel):
    COLUMNS = ("Left context", "Hit", "Right context", "Document", "Date")

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QObject
        super().__init__(parent)
        self.hits: list[Hit] = []
        self._titles: dict[int, str] = {}
        self._dates: dict[int, str] = {}

    def row_total(self) -> int:
        return len(self.hits)

    def set_hits(self, hits: list[Hit], titles: dict[int, str], dates: dict[int, str]) -> None:
        self.beginResetModel()
        self.hits, self._titles, self._dates = hits, titles, dates
        self.endResetModel()

    def add_hits(self, hits: list[Hit]) -> None:
        """Append *hits* (found while a search goes on)."""
        if hits:
            first = len(self.hits)
            self.beginInsertRows(QModelIndex(), first, first + len(hits) - 1)
            self.hits = [*self.hits, *hits]
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        column = index.column()
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:  # left context sorts by its words nearest the hit
            if column == 0:
                return _line(hit.left)[::-1].casefold()
            if column == 3:
                title = self._titles.get(hit.document_id, hit.document)
                return f"{title.casefold()}\x00{hit.start:012d}"
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == 0:
                return _line(hit.left)
            if column == 1:
                return _line(hit.text)
            if column == 2:
                return _line(hit.right)
            if column == 3:
                return self._titles.get(hit.document_id, hit.document)
            return self._dates.get(hit.document_id, "")
        return None

    def hit(self, row: int) -> Hit:
        return self.hits[row]

    def index_of(self, row: int) -> QModelIndex:
        return self.index(row, 0)
