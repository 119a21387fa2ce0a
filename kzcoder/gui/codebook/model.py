"""The codebook as a Qt tree model: colour swatch and name, key, codings and documents.

Ids travel in ``ID_ROLE``. The model never changes the project itself: an edit of a name or a
drop of a code asks for it (``sig_rename_requested``, ``sig_move_requested``), the dock runs the
command, and the model follows the change record like every view.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from kzcoder.core.records import CodeInfo
from kzcoder.gui.memos.marks import marked, memo_tooltip
from kzcoder.gui.mime import CODE_MIME, make_mime, read_mime
from kzcoder.gui.table_model import column_title

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Code", "Key", "Codings", "Docs")
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
    #: the user typed a new name for a code (code id, name)
    sig_rename_requested = Signal(int, str)
    #: a code was dropped: (code id, new parent id or None, position among its new siblings)
    sig_move_requested = Signal(int, object, int)

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._codes: dict[int, CodeInfo] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._counts: dict[int, int] = {}
        self._documents: dict[int, int] = {}
        self._icons: dict[str, QIcon] = {}
        self._sets: dict[int, list[str]] = {}  # code id -> the names of its code sets

    # --- content -------------------------------------------------------------------------
    def set_code_sets(self, sets: list) -> None:  # noqa: ANN001 - CodeSetInfo
        """Which code sets each code is in (shown in its tooltip)."""
        found: dict[int, list[str]] = {}
        for code_set in sets:
            for code_id in code_set.codes:
                found.setdefault(code_id, []).append(code_set.name)
        self._sets = found

    def code_sets_of(self, code_id: int) -> list[str]:
        """The names of the code sets *code_id* is in."""
        return list(self._sets.get(code_id, ()))

    def set_codes(self, codes: list[CodeInfo], counts: dict[int, int],
                  documents: dict[int, int] | None = None) -> None:
        """Show *codes* (parents first) with their numbers of codings and documents."""
        if documents is not None:
            self._documents = dict(documents)
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

    def set_counts(self, counts: dict[int, int], documents: dict[int, int] | None = None) -> None:
        """Update the counts of the given codes and repaint just their cells."""
        for column, values, store in ((2, counts, self._counts),
                                      (3, documents or {}, self._documents)):
            for code_id, count in values.items():
                if code_id in self._codes and store.get(code_id) != count:
                    store[code_id] = count
                    walk: int | None = code_id
                    while walk is not None:  # the parents' totals change with it
                        cell = self.index_of(walk, column)
                        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])
                        walk = self._codes[walk].parent_id if column == 2 else None

    def total(self, code_id: int) -> int:
        """Codings of the code and of every code below it."""
        return self._counts.get(code_id, 0) + sum(self.total(child)
                                                  for child in self._children.get(code_id, []))

    def _codings_text(self, code_id: int) -> str:
        own = self._counts.get(code_id, 0)
        if not self._children.get(code_id):
            return str(own)
        return f"{own} ({self.total(code_id)})"  # with its sub-codes in brackets

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
        if role == Qt.ItemDataRole.EditRole and column == 0:
            return code.name
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            # the name marked when the code has a memo (not when it is edited)
            return (marked(code.name, code.memo), code.shortcut or "",
                    self._codings_text(code.id), str(self._documents.get(code.id, 0)))[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            if code.color not in self._icons:
                self._icons[code.color] = swatch(code.color)
            return self._icons[code.color]
        if role == Qt.ItemDataRole.FontRole and column == 0 and not code.codable:
            font = QFont()
            font.setItalic(True)  # a category: it groups codes, nothing is coded with it
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and self._children.get(code.id):
            return (f"{self._counts.get(code.id, 0)} codings of '{code.name}' itself, "
                    f"{self.total(code.id)} with its sub-codes")
        if role == Qt.ItemDataRole.ToolTipRole:
            about = code.name + self._counts_line(code)  # Key and Docs hide when narrow
            if code.description:
                about += f"\n\n{code.description}"
            if not code.codable:
                about += "\n\nA category: it groups codes; nothing is coded with it."
            if self._sets.get(code.id):
                about += "\n\nIn code sets: " + ", ".join(self._sets[code.id])
            return about + memo_tooltip(code.memo)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return code.id
        return None

    def _counts_line(self, code: CodeInfo) -> str:
        codings, documents = self._counts.get(code.id, 0), self._documents.get(code.id, 0)
        key = f"Key {code.shortcut} · " if code.shortcut else ""
        return (f"\n{key}{codings} coding{'s' if codings != 1 else ''} in {documents} "
                f"document{'s' if documents != 1 else ''}")

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        return column_title(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        base |= Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 0 else base

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802, ANN001
        """A name typed in place: asked for, not applied (the change comes back as a record)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 0:
            return False
        name = str(value).strip()
        code = self._codes[index.internalId()]
        if name and name != code.name:
            self.sig_rename_requested.emit(code.id, name)
        return False

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CODE_MIME]

    def mimeData(self, indexes):  # noqa: N802, ANN001
        return make_mime(CODE_MIME, indexes[0].internalId()) if indexes else None

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dropMimeData(self, data, action, row: int, column: int, parent: Index) -> bool:  # noqa: N802, ANN001
        """A code dropped on a code goes under it; between codes, to that place. The move is
        asked for; False tells the view not to remove anything itself."""
        code_id = read_mime(data, CODE_MIME)
        if code_id is None or code_id not in self._codes:
            return False
        parent_id = parent.internalId() if parent.isValid() else None
        siblings = self._children.get(parent_id, [])
        position = len(siblings) if row < 0 else row
        if code_id in siblings and siblings.index(code_id) < position:
            position -= 1  # the code leaves its own place first
        self.sig_move_requested.emit(code_id, parent_id, position)
        return False
