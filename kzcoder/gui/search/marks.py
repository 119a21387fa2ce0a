"""Hits marked in a document view: a background under each, apart from the codings'
highlighting (Qt's extra selections), converted from code points at this boundary."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

MARK_COLOR = QColor("#FFE066")
CURRENT_COLOR = QColor("#FF9F1C")


def mark_spans(view: QPlainTextEdit, spans: Iterable[tuple[int, int]],
               current: tuple[int, int] | None = None) -> int:
    """Mark *spans* (code points of the view's stored text) in *view*, *current* brighter;
    returns how many were marked. An empty *spans* clears the marks."""
    positions = view.layer.positions
    selections = []
    for start, end in spans:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(view.document())
        cursor.setPosition(positions.to_utf16(min(start, positions.length)))
        cursor.setPosition(positions.to_utf16(min(end, positions.length)),
                           QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        char_format = QTextCharFormat()
        char_format.setBackground(CURRENT_COLOR if (start, end) == current else MARK_COLOR)
        selection.format = char_format
        selections.append(selection)
    view.setExtraSelections(selections)
    return len(selections)
