"""The coding margin: thin coloured bars left of the text, one column per code, and a mark
beside them where an annotation (a note anchored to a span, without a code) begins.

Like the line-number area of Qt's code-editor example, the margin sits in the viewport margin
of the ``DocumentView`` and paints only the blocks that are visible. Each code used in the
document owns a stable column (ordered by code position), so overlapping codings of different
codes stay visible side by side even where the text background can show only one colour.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, QRect, QSize
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from kzcoder.gui.coding.highlighter import CodingLayer


class MarginHost(Protocol):
    """What the margin needs of the view it sits in (a ``DocumentView``)."""

    layer: CodingLayer

    def visible_blocks(self) -> Iterator[tuple[QTextBlock, float, float]]: ...

_PAD = 3
_MAX_BARS_WIDTH = 72
_NOTE_WIDTH = 7  # the annotations' column, right of the bars
_NOTE_COLOR = "#E0A000"


def column_geometry(columns: int) -> tuple[int, int]:
    """``(step, bar_width)`` in pixels for *columns* bars: narrower when there are many."""
    if columns <= 12:
        return 6, 4
    step = max(2, _MAX_BARS_WIDTH // columns)
    return step, max(1, step - 1)


class CodingMargin(QWidget):
    """Paints one coloured bar per code for the lines its codings cover."""

    def __init__(self, view: QPlainTextEdit) -> None:
        """*view* is a QPlainTextEdit that is also a ``MarginHost``."""
        super().__init__(view)
        self.setObjectName("codingMargin")
        self._view = view
        # block number -> its bars relative to the block's top; cleared when lines re-wrap
        self._cache: dict[int, list[tuple[int, int, int]]] = {}
        self._cache_width = -1
        self._notes: list[tuple[int, int, str]] = []  # annotations: (start, end, text)

    def set_annotations(self, notes: list[tuple[int, int, str]]) -> None:
        """Show a mark for each annotation ``(start, end, text)`` (code points)."""
        self._notes = sorted(notes)
        self.update()

    def required_width(self) -> int:
        """Width that fits a column for every code used in the document (never zero), and
        one for annotations when there are any."""
        columns = len(self._view.layer.columns)
        step, _bar = column_geometry(columns)
        return 2 * _PAD + columns * step + 1 + (_NOTE_WIDTH if self._notes else 0)

    def note_rects(self) -> list[tuple[QRect, str]]:
        """``(rectangle, text)`` of each annotation's mark, at the line where it begins."""
        if not self._notes:
            return []
        positions = self._view.layer.positions
        x = self.width() - _NOTE_WIDTH - 1
        found = []
        height = self._view.viewport().height()
        for start, _end, text in self._notes:
            cursor = QTextCursor(self._view.document())
            cursor.setPosition(positions.to_utf16(min(start, positions.length)))
            line = self._view.cursorRect(cursor)
            if line.bottom() < 0 or line.top() > height:
                continue
            found.append((QRect(x, line.top() + 2, _NOTE_WIDTH - 2,
                                max(4, line.height() - 4)), text))
        return found

    def place(self) -> None:
        """Cover the left edge of the view, beside its viewport."""
        rect = self._view.contentsRect()
        self.setGeometry(QRect(rect.left(), rect.top(), self.required_width(), rect.height()))

    def on_update_request(self, rect: QRect, dy: int) -> None:
        """Follow the view's ``updateRequest``: scroll with the text or repaint a strip."""
        if dy:
            self.scroll(0, dy)
        else:
            self.update(0, rect.y(), self.width(), rect.height())

    def sizeHint(self) -> QSize:
        """The required width; height follows the view."""
        return QSize(self.required_width(), 0)

    def invalidate(self, start: int | None = None, end: int | None = None) -> None:
        """Forget cached bars of the blocks ``[start, end)`` touches (all blocks when None)."""
        if start is None or end is None:
            self._cache.clear()
            return
        if not self._cache:
            return
        positions = self._view.layer.positions
        document = self._view.document()
        start16 = positions.to_utf16(min(max(start, 0), positions.length))
        end16 = positions.to_utf16(min(max(end, start), positions.length))
        first = document.findBlock(start16).blockNumber()
        last = document.findBlock(max(start16, end16 - 1)).blockNumber()
        for number in [n for n in self._cache if first <= n <= last]:
            del self._cache[number]

    def bar_rects(self) -> list[tuple[QRect, int]]:
        """``(rectangle, code_id)`` of every bar for the visible blocks, top to bottom."""
        layer = self._view.layer
        step, bar = column_geometry(len(layer.columns))
        width = self._view.viewport().width()
        if width != self._cache_width:  # lines re-wrap: every block's bars move
            self._cache.clear()
            self._cache_width = width
        spans: dict[int, list[tuple[int, int]]] = {}
        for block, top, bottom in self._view.visible_blocks():
            if block.position() > layer.positions.length16:
                break
            number = block.blockNumber()
            bars = self._cache.get(number)
            if bars is None:
                bars = self._cache[number] = self._block_bars(block, bottom - top)
            for code_id, y1, y2 in bars:
                spans.setdefault(code_id, []).append((round(top) + y1, round(top) + y2))
        # A long coding is one bar, not one per block: a dense document paints a few dozen
        # rectangles instead of hundreds.
        return [(QRect(_PAD + layer.columns.get(code_id, 0) * step, y1, bar, max(1, y2 - y1)),
                 code_id) for code_id, ys in spans.items() for y1, y2 in _merge(ys)]

    def _block_bars(self, block, height: float) -> list[tuple[int, int, int]]:  # noqa: ANN001
        """``(code_id, y1, y2)`` of *block*'s bars, relative to the block's top, merged."""
        layer = self._view.layer
        positions = layer.positions
        pos16 = block.position()
        end16 = min(pos16 + block.length(), positions.length16)
        start = positions.to_codepoint(pos16)
        # include the block's own line break, so an empty line inside a coding has a bar
        end = max(positions.to_codepoint(end16), start + 1)
        spans: dict[int, list[tuple[int, int]]] = {}
        layout = block.layout()
        lines = layout.lineCount()
        base_y = layout.position().y()
        for s, e, coding_id in layer.items(start, end):
            code_id = layer.codings[coding_id].code_id
            if lines == 0:
                y1, y2 = 0.0, height
            else:
                first16 = positions.to_utf16(max(s, start)) - pos16
                last16 = max(first16, positions.to_utf16(min(e, end)) - pos16 - 1)
                first_line = layout.lineForTextPosition(first16)
                last_line = layout.lineForTextPosition(min(last16, block.length() - 1))
                if not last_line.isValid():
                    last_line = layout.lineAt(lines - 1)
                if not first_line.isValid():
                    first_line = layout.lineAt(0)
                y1 = base_y + first_line.y()
                y2 = base_y + last_line.y() + last_line.height()
            spans.setdefault(code_id, []).append((round(y1), round(y2)))
        return [(code_id, y1, y2) for code_id, ys in spans.items() for y1, y2 in _merge(ys)]

    def bar_tooltip(self, pos: QPoint) -> str:
        """What a bar at *pos* stands for: its code, and the coders of its codings on that
        line; an annotation's mark, its text ("" off the bars and marks)."""
        notes = [text for rect, text in self.note_rects() if rect.adjusted(-1, -1, 1, 1)
                 .contains(pos)]
        if notes:
            return "<qt>" + "<hr>".join(html.escape(t).replace("\n", "<br>")
                                        for t in notes) + "</qt>"
        layer = self._view.layer
        for rect, code_id in self.bar_rects():
            if not rect.adjusted(-1, 0, 1, 0).contains(pos):
                continue
            block = self._view.cursorForPosition(QPoint(0, pos.y())).block()
            positions = layer.positions
            start = positions.to_codepoint(min(block.position(), positions.length16))
            end = positions.to_codepoint(min(block.position() + block.length(),
                                             positions.length16))
            found = [layer.codings[c] for _s, _e, c in layer.items(start, max(end, start + 1))
                     if layer.codings[c].code_id == code_id]
            code = layer.codes.get(code_id)
            coders = sorted({c.coder for c in found if c.coder}, key=str.casefold)
            return (f"<qt><b>{html.escape(code.name if code else f'code {code_id}')}</b>"
                    f"{': ' + html.escape(', '.join(coders)) if coders else ''}"
                    f" ({len(found)} coding{'' if len(found) == 1 else 's'})</qt>")
        return ""

    def event(self, event: QEvent) -> bool:
        """Tooltips over the bars name the code and its coders."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.bar_tooltip(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Fill the background and draw the bars that fall in the exposed area."""
        painter = QPainter(self)
        view_palette = self._view.palette()
        painter.fillRect(event.rect(), view_palette.color(QPalette.ColorRole.Base))
        painter.setPen(view_palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(self.width() - 1, event.rect().top(), self.width() - 1,
                         event.rect().bottom())
        layer = self._view.layer
        exposed = event.rect()
        for rect, code_id in self.bar_rects():
            if rect.intersects(exposed):
                painter.fillRect(rect, QColor(layer.color(code_id)))
        for rect, _text in self.note_rects():
            if rect.intersects(exposed):
                painter.fillRect(rect, QColor(_NOTE_COLOR))
        painter.end()


def _merge(ys: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for y1, y2 in sorted(ys):
        if merged and y1 <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], y2))
        else:
            merged.append((y1, y2))
    return merged
