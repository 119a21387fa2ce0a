"""What the flat Qt table models share: a fixed list of column titles and a row count."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


def column_title(columns: tuple[str, ...], section: int, orientation: Qt.Orientation,
                 role: int) -> str | None:
    """The horizontal header text of *section*; None for every other question."""
    if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
        return columns[section]
    return None


class ColumnsTableModel(QAbstractTableModel):
    """A flat table with the titles ``COLUMNS``; subclasses say how many rows there are."""

    COLUMNS: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        return column_title(self.COLUMNS, section, orientation, role)
