"""An analysis table for a view: labelled rows by labelled columns of numbers, each cell shaded
on the heat-map scale, with a total column and a total row (which stays last when sorted)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from kzcoder.core.analysis.charts import APART, heat_color

Index = QModelIndex | QPersistentModelIndex
#: a cell's (row, column) in the analysis, None for a total
CELL_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
TOTAL = "Total"


class AnalysisTableModel(QAbstractTableModel):
    """Rows ``(label, values)``; with ``totals`` a last column and a last row of sums."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.columns: list[str] = []
        self.labels: list[str] = []
        self.values: list[list[float]] = []
        self.totals = True
        self.decimals = 0
        self._highest = 0.0
        self.diagonal_apart = False
        self._shades: dict[float, tuple[QColor, QColor]] = {}

    def set_table(self, columns: Sequence[str], labels: Sequence[str],
                  values: Sequence[Sequence[float]], *, totals: bool = True,
                  decimals: int = 0, diagonal_apart: bool = False) -> None:
        """Show a new table (the view keeps its sort); with *diagonal_apart* the diagonal is
        grey and out of the heat scale (a code with itself)."""
        self.beginResetModel()
        self.columns = list(columns)
        self.labels = list(labels)
        self.values = [list(v) for v in values]
        self.totals = totals
        self.decimals = decimals
        self.diagonal_apart = diagonal_apart
        self._highest = (max((v for i, row in enumerate(self.values) for j, v in enumerate(row)
                              if i != j), default=0) if diagonal_apart
                         else max(map(max, filter(None, self.values)), default=0))
        self._shades: dict[float, tuple[QColor, QColor]] = {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self.labels) + (1 if self.totals and self.labels else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return len(self.columns) + (1 if self.totals else 0)

    def is_total_row(self, row: int) -> bool:
        return row == len(self.labels)

    def value(self, row: int, column: int) -> float:
        """The number shown at (*row*, *column*), totals included."""
        if self.is_total_row(row):
            return sum(self.value(r, column) for r in range(len(self.labels)))
        if column == len(self.columns):
            return sum(self.values[row])
        return self.values[row][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        total = self.is_total_row(row) or column == len(self.columns)
        if role == Qt.ItemDataRole.DisplayRole:
            number = self.value(row, column)
            return f"{number:.{self.decimals}f}" if self.decimals else f"{int(number)}"
        if role == SORT_ROLE:
            return self.value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and not total:
            if self.diagonal_apart and row == column:
                return QColor(APART)
            return self._shade(self.values[row][column])[0]
        if role == Qt.ItemDataRole.ForegroundRole and not total and not (
                self.diagonal_apart and row == column):
            return self._shade(self.values[row][column])[1]
        if role == CELL_ROLE:
            return (None if self.is_total_row(row) else row,
                    None if column == len(self.columns) else column)
        return None

    def _shade(self, value: float) -> tuple[QColor, QColor]:
        """The cell's background and a text colour readable on it (made once per value)."""
        found = self._shades.get(value)
        if found is None:
            background = QColor(heat_color(value, self._highest))
            found = (background, QColor("#FFFFFF" if background.lightness() < 128
                                        else "#000000"))
            self._shades[value] = found
        return found

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if section < len(self.columns) else TOTAL
        return self.labels[section] if section < len(self.labels) else TOTAL


class TotalLastProxy(QSortFilterProxyModel):
    """Sorts by number; the total row stays last whatever the order."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if model.is_total_row(left.row()) or model.is_total_row(right.row()):
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            left_last = model.is_total_row(left.row())
            return (not left_last) if ascending else left_last
        return super().lessThan(left, right)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:  # row labels follow their rows
            source = self.mapToSource(self.index(section, 0)).row()
            return self.sourceModel().headerData(source, orientation, role)
        return super().headerData(section, orientation, role)
