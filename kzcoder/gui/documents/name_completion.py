"""Completion of attribute names in the document details: typing "per" offers the project's
"period", so one attribute is not split into "period" and "Period"."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)


def attribute_completer(names: Iterable[str], parent: QWidget | None = None) -> QCompleter:
    """A case-insensitive completer over *names* (sorted, each once)."""
    completer = QCompleter(sorted(set(names), key=str.casefold), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


class AttributeNameDelegate(QStyledItemDelegate):
    """Edits an attribute's name in a line edit that completes from the project's names."""

    def __init__(self, names: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = sorted(set(names), key=str.casefold)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent, objectName="attributeNameEditor")
        editor.setCompleter(attribute_completer(self.names, editor))
        return editor


def known_spelling(name: str, names: Iterable[str]) -> str:
    """*name* as the project already spells it when only its case differs ("Period" ->
    "period"); otherwise *name* itself."""
    if name in names:
        return name
    folded = {n.casefold(): n for n in sorted(names)}
    return folded.get(name.casefold(), name)
