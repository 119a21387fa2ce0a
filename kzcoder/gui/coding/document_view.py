"""The document view: one document's stored text with its codings.

``DocumentView`` is a read-only ``QPlainTextEdit``. Its codings live in an interval index of
code points (``CodingLayer``); a ``CodingHighlighter`` colours a block only when the block is
about to be painted or when a coding that touches it changes. Opening a document therefore
costs about what Qt's own ``setPlainText`` costs, however many codings it has.

All positions in this module's public API are code points of the stored text; UTF-16 positions
stay inside (see ``kzcoder.gui.text_positions``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from kzcoder.core.annotation import AnnotationInfo
from kzcoder.core.records import CodedSpan, CodeInfo
from kzcoder.gui.coding.highlighter import CodingHighlighter, CodingLayer
from kzcoder.gui.coding.margin import CodingMargin
from kzcoder.gui.mime import CODE_MIME as CODE_ID_MIME
from kzcoder.gui.mime import read_mime
from kzcoder.gui.text_positions import PositionMap


class DocumentView(QPlainTextEdit):
    """Read-only, word-wrapped view of one document's stored text with its codings."""

    #: right click (or the menu key): global position, code point, ids of codings there
    sig_context_menu = Signal(QPoint, int, list)
    #: a code was dropped on the text; the current selection is kept
    sig_code_dropped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.layer = CodingLayer()
        self._document_id: int | None = None
        self._text = ""
        #: show only this coder's codings (None: every coder's)
        self.coder_filter: str | None = None
        self.highlighter = CodingHighlighter(self.layer, self)
        self.document().setUndoRedoEnabled(False)  # read-only: no undo history of the text
        self.highlighter.set_base_color(self._base_color())
        self._margin = CodingMargin(self)
        self.annotations: list[AnnotationInfo] = []  # the shown document's, by span
        self.updateRequest.connect(self._margin.on_update_request)
        self._install_text("")
        self._update_margin_width()

    # ----------------------------------------------------------------- document and codings

    @property
    def document_id(self) -> int | None:
        """Id of the document shown (None before ``set_document``)."""
        return self._document_id

    @property
    def stored_text(self) -> str:
        """The document's stored text, exactly as given to ``set_document``."""
        return self._text

    @property
    def margin(self) -> CodingMargin:
        """The coding margin left of the text."""
        return self._margin

    def set_document(self, document_id: int | None, text: str, codings: Iterable[CodedSpan],
                     codes: dict[int, CodeInfo], positions: PositionMap | None = None) -> None:
        """Show *text* with *codings*; *codes* maps code id to code (for colours and names);
        *positions*, the text's position map if one was kept."""
        self._document_id = document_id
        self._text = text
        self.annotations = []
        self._margin.set_annotations([])
        self.layer.reset(text, self._shown(codings), codes, positions)
        self.highlighter.set_base_color(self._base_color())
        self.highlighter.forget()
        self._margin.invalidate()
        self._install_text(text)
        self._update_margin_width()
        self._margin.update()

    def set_annotations(self, notes: Iterable[AnnotationInfo]) -> None:
        """Mark the document's annotations in the margin (their text as its tooltip)."""
        self.annotations = sorted(notes, key=lambda a: (a.start, a.end, a.id))
        self._margin.set_annotations([(a.start, a.end, a.text) for a in self.annotations])
        self._update_margin_width()

    def annotations_at(self, codepoint: int) -> list[AnnotationInfo]:
        """The annotations whose span holds *codepoint* (or ends just before it)."""
        return [a for a in self.annotations if a.start <= codepoint <= a.end]

    def replace_codings(self, codings: Iterable[CodedSpan]) -> None:
        """Swap in the document's full set of codings (after a first paint that had only the
        visible region's): blocks already highlighted are redone only if they changed."""
        before = {n: self.layer.index.overlapping(*self._block_range(n))
                  for n in self.highlighter.highlighted}
        self.layer.replace_codings(self._shown(codings))
        document = self.document()
        for number, old in before.items():
            if self.layer.index.overlapping(*self._block_range(number)) != old:
                self.highlighter.rehighlightBlock(document.findBlockByNumber(number))
        self._margin.invalidate()
        self._update_margin_width()
        self._margin.update()
        self.viewport().update()

    def _block_range(self, number: int) -> tuple[int, int]:
        return self.highlighter.block_span(self.document().findBlockByNumber(number))

    def clear_document(self) -> None:
        """Show no document (the codebook is kept)."""
        self.set_document(None, "", (), self.layer.codes)

    def coding_count(self) -> int:
        """How many codings the view shows."""
        return len(self.layer.codings)

    def _install_text(self, text: str) -> None:
        # Qt's own fast path; no highlighter is attached, so nothing runs over every block.
        # Blocks are formatted when painted (paintEvent) or when their codings change.
        self.setPlainText(text)

    def add_coding(self, info: CodedSpan) -> None:
        """Show a new coding (ignored unless it belongs to the document shown)."""
        if not self._owns(info):
            return
        if info.id in self.layer.codings:
            self.update_coding(info)
            return
        self.layer.add(info)
        self._after_change(info.start, info.end)

    def remove_coding(self, coding_id: int) -> None:
        """Stop showing a coding; unknown ids are ignored."""
        if coding_id not in self.layer.codings:
            return
        info = self.layer.remove(coding_id)
        self._after_change(info.start, info.end)

    def update_coding(self, info: CodedSpan) -> None:
        """Show a changed coding (its code, memo or span changed)."""
        if not self._owns(info):
            self.remove_coding(info.id)
            return
        old = self.layer.codings.get(info.id)
        if old is None:
            self.add_coding(info)
            return
        self.layer.remove(info.id)
        self.layer.add(info)
        self._after_change(old.start, old.end)
        if (old.start, old.end) != (info.start, info.end):
            self._after_change(info.start, info.end)

    def apply_coding_changes(self, coding_ids: Iterable[int],
                             current: dict[int, CodedSpan]) -> None:
        """Bring the listed codings up to date: *current* holds those that still exist.

        An id missing from *current* (or now of another document) is removed from the view;
        the others are added or updated.
        """
        for coding_id in coding_ids:
            info = current.get(coding_id)
            if info is not None and self._owns(info):
                self.update_coding(info)
            else:
                self.remove_coding(coding_id)

    def set_codes(self, codes: dict[int, CodeInfo]) -> None:
        """Take a changed codebook: re-colour only blocks showing a code whose look changed."""
        self.highlighter.recolor(self.layer.set_codes(codes))
        self._update_margin_width()
        self._margin.update()

    def codings_at(self, cp: int) -> list[CodedSpan]:
        """Codings covering code point *cp*, sorted by start, end, id."""
        return self.layer.codings_at(cp)

    def tooltip_html_at(self, cp: int) -> str:
        """The tooltip shown over code point *cp* ("" when nothing is coded there)."""
        return self.layer.tooltip_html(cp)

    def _owns(self, info: CodedSpan) -> bool:
        return (self._document_id is not None and info.document_id == self._document_id
                and (self.coder_filter is None or info.coder == self.coder_filter))

    def _shown(self, codings: Iterable[CodedSpan]) -> Iterable[CodedSpan]:
        if self.coder_filter is None:
            return codings
        return [c for c in codings if c.coder == self.coder_filter]

    def _after_change(self, start: int, end: int) -> None:
        self.highlighter.refresh(start, end)
        self._margin.invalidate(start, end)
        self._update_margin_width()
        self._margin.update()
        self.viewport().update()

    # -------------------------------------------------------------------- lazy highlighting

    def visible_blocks(self) -> Iterator[tuple[QTextBlock, float, float]]:
        """``(block, top, bottom)`` in viewport coordinates for every block on screen."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return
        # One geometry query, then heights only (as Qt's code-editor example does): this runs
        # for the text and again for the margin on every paint.
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        height = self.viewport().height()
        while block.isValid() and top <= height:
            bottom = top + self.blockBoundingRect(block).height()
            if block.isVisible() and bottom >= 0:
                yield block, top, bottom
            top = bottom
            block = block.next()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Highlight the blocks about to be painted that are not yet, then paint."""
        for block, _top, _bottom in list(self.visible_blocks()):
            self.highlighter.ensure_highlighted(block)
        super().paintEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Re-blend the code colours when the palette (light or dark) changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_base_color(self._base_color())
            self.highlighter.forget()  # visible blocks are redone at the next paint
            self.viewport().update()

    def _base_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    # ----------------------------------------------------------------- selection and points

    def selection_span(self) -> tuple[int, int] | None:
        """The selected ``(start, end)`` in code points, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        positions = self.layer.positions
        start = positions.to_codepoint(min(cursor.selectionStart(), positions.length16))
        end = positions.to_codepoint(min(cursor.selectionEnd(), positions.length16))
        return (start, end) if end > start else None

    def cursor_codepoint(self) -> int:
        """Code point at the text cursor (where typing would go, were the text editable)."""
        positions = self.layer.positions
        return positions.to_codepoint(min(self.textCursor().position(), positions.length16))

    def selected_text(self) -> str:
        """The stored text of the selection ("" when nothing is selected)."""
        span = self.selection_span()
        return self._text[span[0]:span[1]] if span else ""

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points) and scroll it into the middle of the view."""
        positions = self.layer.positions
        start = min(max(start, 0), positions.length)
        end = min(max(end, start), positions.length)
        start16, end16 = positions.to_utf16(start), positions.to_utf16(end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(end16)
        cursor.setPosition(start16, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)  # the cursor sits at the start: a long span shows its start
        self.centerCursor()
        margin = self.fontMetrics().lineSpacing()
        end_rect = self.cursorRect(self._cursor_at(end16))
        overflow = end_rect.bottom() + margin - self.viewport().height()
        room = self.cursorRect(self._cursor_at(start16)).top() - margin
        pixels = min(overflow, room)
        if pixels > 0:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + math.ceil(pixels / max(1, margin)))

    def _cursor_at(self, pos16: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(pos16)
        return cursor

    def codepoint_at_point(self, point: QPoint) -> int | None:
        """Code point of the character under *point* (viewport coordinates); None off text."""
        positions = self.layer.positions
        cursor = self.cursorForPosition(point)
        pos16 = min(cursor.position(), positions.length16)
        rect = self.cursorRect(cursor)
        if rect.x() > point.x() and pos16 > 0:
            pos16 -= 1  # the boundary is right of the mouse: the character before it
        cp = positions.to_codepoint(pos16)
        if cp >= positions.length:
            return None
        before = self.cursorRect(self._cursor_at(positions.to_utf16(cp)))
        after = self.cursorRect(self._cursor_at(positions.to_utf16(cp + 1)))
        on_line = before.top() <= point.y() <= before.bottom() and after.top() == before.top()
        if not on_line or not before.x() <= point.x() <= after.x():
            return None
        return cp

    # ------------------------------------------------------------------------ events

    def event(self, event: QEvent) -> bool:
        """Show the codings under the mouse as a tooltip."""
        if event.type() == QEvent.Type.ToolTip:
            point = self.viewport().mapFrom(self, event.pos())
            cp = self.codepoint_at_point(point) if self.viewport().rect().contains(point) else None
            text = self.tooltip_html_at(cp) if cp is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Ctrl+Down/Up move the cursor to the next paragraph / this one's start (the previous
        one's when already there), as in a word processor; with Shift they select."""
        key, mods = event.key(), event.modifiers()
        ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        others = mods & ~(ctrl | shift | Qt.KeyboardModifier.KeypadModifier)
        if mods & ctrl and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and not others:
            mode = (QTextCursor.MoveMode.KeepAnchor if mods & shift
                    else QTextCursor.MoveMode.MoveAnchor)
            cursor = self.textCursor()
            if key == Qt.Key.Key_Down:
                if not cursor.movePosition(QTextCursor.MoveOperation.NextBlock, mode):
                    cursor.movePosition(QTextCursor.MoveOperation.End, mode)
            elif cursor.atBlockStart():
                cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock, mode)
            else:
                cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, mode)
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Emit ``sig_context_menu`` instead of showing a menu; the selection is kept."""
        positions = self.layer.positions
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            under = self.codepoint_at_point(event.pos())
            near = self.cursorForPosition(event.pos()).position()
            cp = under if under is not None else positions.to_codepoint(
                min(near, positions.length16))
            global_pos = event.globalPos()
        else:
            cursor = self.textCursor()
            cp = positions.to_codepoint(min(cursor.position(), positions.length16))
            under = cp if cp < positions.length else None
            global_pos = self.viewport().mapToGlobal(self.cursorRect().bottomLeft())
        ids = [c.id for c in self.codings_at(under)] if under is not None else []
        self.sig_context_menu.emit(global_pos, cp, ids)
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept codes dragged from the codebook; nothing else (the text is read-only)."""
        if event.mimeData().hasFormat(CODE_ID_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Keep accepting a dragged code wherever it moves, without moving the cursor."""
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Emit ``sig_code_dropped`` for a dropped code id; the selection stays as it was."""
        code_id = read_mime(event.mimeData(), CODE_ID_MIME)
        if code_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.sig_code_dropped.emit(code_id)

    # ------------------------------------------------------------------------ margin

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the margin as tall as the view."""
        super().resizeEvent(event)
        self._margin.place()

    def _update_margin_width(self) -> None:
        width = self._margin.required_width()
        if self.viewportMargins().left() != width:
            self.setViewportMargins(width, 0, 0, 0)
        self._margin.place()
