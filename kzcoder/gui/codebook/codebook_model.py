"""The codebook as a Qt tree model: colour swatch and name, shortcut key, codings count."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from kzcoder.core.records import CodeInfo
from kzcoder.gui.mime import CODE_MIME, make_mime
from kzcoder.gui.table_model import column_title

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Code", "Key", "Codings")
Index = QModelIndex | QPersistentModelIndex


def swatch(color: str, size: int = 14) -> QIcon:
    """A filled square with a dark outline, readable on light and dark themes."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#333333"))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 2, 2)
    painter.end()
    return QIcon(pixmap)


class CodebookModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._codes: dict[int, CodeInfo] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._counts: dict[int, int] = {}
        self._icons: dict[str, QIcon] = {}

    # --- content -------------------------------------------------------------------------
    def set_codes(self, codes: list[CodeInfo], counts: dict[int, int]) -> None:
        self.beginResetModel()
        self._codes = {c.id: c for c in codes}
        self._children = {None: []}
        for code in codes:  # list_codes gives parents first, siblings in order
            self._children.setdefault(code.parent_id, []).append(code.id)
            self._children.setdefault(code.id, [])
        self._counts = dict(counts)
        self.endResetModel()

    def update_codes(self, codes: list[CodeInfo]) -> None:
        """Take changed names, colours, keys or definitions of the codes shown (the tree's
        shape is the same): repaint their rows, keep selection and expansion."""
        if [c.id for c in codes] != list(self._codes) or any(
                c.parent_id != self._codes[c.id].parent_id for c in codes):
            self.set_codes(codes, self._counts)
            return
        for code in codes:
            if code != self._codes[code.id]:
                self._codes[code.id] = code
                self.dataChanged.emit(self.index_of(code.id, 0),
                                      self.index_of(code.id, len(COLUMNS) - 1))

    def set_counts(self, counts: dict[int, int]) -> None:
        """Update the counts of the given codes and repaint just their cells."""
        for code_id, count in counts.items():
            if code_id in self._codes and self._counts.get(code_id) != count:
                self._counts[code_id] = count
                cell = self.index_of(code_id, 2)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def code(self, code_id: int) -> CodeInfo | None:
        return self._codes.get(code_id)

    def codes(self) -> list[CodeInfo]:
        return list(self._codes.values())

    def index_of(self, code_id: int, column: int = 0) -> QModelIndex:
        code = self._codes[code_id]
        return self.createIndex(self._children[code.parent_id].index(code_id), column, code_id)

    # --- QAbstractItemModel ----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        siblings = self._children.get(parent.internalId() if parent.isValid() else None, [])
        if 0 <= row < len(siblings) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent_id = self._codes[index.internalId()].parent_id
        return QModelIndex() if parent_id is None else self.index_of(parent_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else None, []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        code = self._codes[index.internalId()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (code.name, code.shortcut or "", str(self._counts.get(code.id, 0)))[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            if code.color not in self._icons:
                self._icons[code.color] = swatch(code.color)
            return self._icons[code.color]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{code.name}\n\n{code.description}" if code.description else code.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return code.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        return column_title(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CODE_MIME]

    def mimeData(self, indexes):  # noqa: N802, ANN001
        return make_mime(CODE_MIME, indexes[0].internalId()) if indexes else None
