"""The coding layer of a document view: which codings cover which text, and how it looks.

``CodingLayer`` holds one document's codings in an interval index (code points) with the
position map that converts them to Qt's UTF-16 positions. ``CodingHighlighter`` colours one
block at a time from that index, so the cost of showing codings follows the blocks Qt actually
paints, not the size of the document.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QTextBlock, QTextCharFormat, QTextLayout

from kzcoder.core.interval_index import IntervalIndex
from kzcoder.core.records import CodedSpan, CodeInfo
from kzcoder.gui.text_positions import PositionMap

#: How much of a code's colour shows in the background of coded text (the rest is the base).
BACKGROUND_ALPHA = 0.35
#: Colour of codings whose code is not (yet) in the codebook handed to the view.
UNKNOWN_CODE_COLOR = "#999999"
_MEMO_LIMIT = 400
_log = logging.getLogger(__name__)


def light_color(color: str | QColor, base: QColor, alpha: float = BACKGROUND_ALPHA) -> QColor:
    """*color* laid over *base* at opacity *alpha*, as an opaque colour."""
    top = QColor(color)
    if not top.isValid():
        top = QColor(UNKNOWN_CODE_COLOR)
    return QColor(
        round(top.red() * alpha + base.red() * (1 - alpha)),
        round(top.green() * alpha + base.green() * (1 - alpha)),
        round(top.blue() * alpha + base.blue() * (1 - alpha)),
    )


class CodingLayer:
    """One document's text positions, codings (by id) and codebook, with fast lookups."""

    def __init__(self) -> None:
        self.positions = PositionMap("")
        self.index = IntervalIndex()
        self.codings: dict[int, CodedSpan] = {}
        self.codes: dict[int, CodeInfo] = {}
        self._usage: Counter[int] = Counter()
        self.columns: dict[int, int] = {}

    def reset(self, text: str, codings: Iterable[CodedSpan], codes: dict[int, CodeInfo],
              positions: PositionMap | None = None) -> None:
        """Take a new document: build the position map (unless given) and the index in one
        pass each."""
        self.positions = positions if positions is not None else PositionMap(text)
        self.codings = {}
        for coding in codings:
            if 0 <= coding.start < coding.end:
                self.codings[coding.id] = coding
            else:  # services never hand these out; showing the rest beats refusing the text
                _log.warning("coding %s has an empty span [%s, %s): not shown",
                             coding.id, coding.start, coding.end)
        self.index = IntervalIndex.from_items((c.start, c.end, c.id) for c in self.codings.values())
        self.codes = dict(codes)
        self._usage = Counter(c.code_id for c in self.codings.values())
        self._update_columns()

    def replace_codings(self, codings: Iterable[CodedSpan]) -> None:
        """Take the full set of the document's codings (the text stays)."""
        self.codings = {c.id: c for c in codings if 0 <= c.start < c.end}
        self.index = IntervalIndex.from_items((c.start, c.end, c.id) for c in self.codings.values())
        self._usage = Counter(c.code_id for c in self.codings.values())
        self._update_columns()

    def add(self, info: CodedSpan) -> None:
        """Add one coding; ValueError if its id is already here."""
        self.index.add(info.start, info.end, info.id)
        self.codings[info.id] = info
        self._usage[info.code_id] += 1
        if self._usage[info.code_id] == 1:
            self._update_columns()

    def remove(self, coding_id: int) -> CodedSpan:
        """Remove one coding and return it; KeyError if absent."""
        self.index.remove(coding_id)
        info = self.codings.pop(coding_id)
        self._usage[info.code_id] -= 1
        if self._usage[info.code_id] <= 0:
            del self._usage[info.code_id]
            self._update_columns()
        return info

    def set_codes(self, codes: dict[int, CodeInfo]) -> set[int]:
        """Replace the codebook; return the ids of codes whose colour or order changed."""
        old, self.codes = self.codes, dict(codes)
        changed = {cid for cid in old.keys() | self.codes.keys()
                   if _look(old.get(cid)) != _look(self.codes.get(cid))}
        self._update_columns()
        return changed

    def _update_columns(self) -> None:
        def order(code_id: int) -> tuple:
            code = self.codes.get(code_id)
            if code is None:
                return (1, 0, "", code_id)
            return (0, code.position, code.name.casefold(), code_id)

        # Every code of the codebook owns a column, used here or not: a code keeps its place
        # across documents side by side, and bars never shift when codings come and go.
        self.columns = {cid: n for n, cid in enumerate(sorted(set(self.codes) | set(self._usage),
                                                              key=order))}

    def color(self, code_id: int) -> str:
        """The code's ``#RRGGBB`` (grey when the code is unknown)."""
        code = self.codes.get(code_id)
        return code.color if code else UNKNOWN_CODE_COLOR

    def items(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """``(start, end, coding_id)`` of codings overlapping ``[start, end)``, sorted."""
        return self.index.overlapping_items(start, end)  # type: ignore[return-value] (int keys)

    def runs(self, start: int, end: int) -> list[tuple[int, int, int, int | None]]:
        """Coloured runs of ``[start, end)``: ``(run_start, run_end, top_code, other_code)``.

        The top code is the code of the newest (highest-id) coding covering the run;
        *other_code* is the newest different code also covering it (None when there is none).
        Neighbouring runs with the same pair are merged.
        """
        items = self.items(start, end)
        if not items:
            return []
        events: list[tuple[int, int, int]] = []  # (position, +1 open / -1 close, coding id)
        for s, e, cid in items:
            events.append((max(s, start), 1, cid))
            events.append((min(e, end), -1, cid))
        events.sort()
        active: dict[int, int] = {}
        runs: list[tuple[int, int, int, int | None]] = []
        pos = start
        i = 0
        while i < len(events):
            here = events[i][0]
            if active and here > pos:
                top_id = max(active)
                top = active[top_id]
                others = [cid for cid, code in active.items() if code != top]
                other = active[max(others)] if others else None
                if runs and runs[-1][1] == pos and runs[-1][2:] == (top, other):
                    runs[-1] = (runs[-1][0], here, top, other)
                else:
                    runs.append((pos, here, top, other))
            while i < len(events) and events[i][0] == here:
                _p, kind, cid = events[i]
                if kind > 0:
                    active[cid] = self.codings[cid].code_id
                else:
                    active.pop(cid, None)
                i += 1
            pos = here
        return runs

    def codings_at(self, cp: int) -> list[CodedSpan]:
        """Codings covering code point *cp*, sorted by start, end, id."""
        return [self.codings[cid] for cid in self.index.at(cp)]

    def tooltip_html(self, cp: int) -> str:
        """Rich text naming every coding at *cp* (newest first); "" when there is none."""
        codings = sorted(self.codings_at(cp), key=lambda c: c.id, reverse=True)
        if not codings:
            return ""
        rows = []
        for info in codings:
            code = self.codes.get(info.code_id)
            name = html.escape(code.name if code else f"code {info.code_id}")
            swatch = (f'<span style="background-color:{html.escape(self.color(info.code_id))};">'
                      "&nbsp;&nbsp;&nbsp;&nbsp;</span>")
            line = f"{swatch}&nbsp;<b>{name}</b>"
            if info.coder:
                line += f" &nbsp;<i>{html.escape(info.coder)}</i>"
            memo = info.memo.strip()
            if memo:
                if len(memo) > _MEMO_LIMIT:
                    memo = memo[:_MEMO_LIMIT].rstrip() + "…"
                line += "<br>" + html.escape(memo).replace("\n", "<br>")
            rows.append(f"<p style='margin:2px 0'>{line}</p>")
        return "<qt>" + "".join(rows) + "</qt>"


def _look(code: CodeInfo | None) -> tuple | None:
    return (code.color, code.position, code.name) if code else None


class CodingHighlighter(QObject):
    """Colours each block from the coding layer: the newest code's light background per run.

    Where a second code overlaps, the run is also underlined in that code's full colour.
    It sets a block's formats on its text layout directly, as QSyntaxHighlighter does inside,
    but is never attached to the document: a QSyntaxHighlighter reformats every block when the
    text is set, and avoiding that cost a second document per opening. A block is formatted by
    ``ensure_highlighted`` just before it is painted, or by ``refresh`` when a coding over it
    changes; ``highlighted`` remembers which blocks have current formats.
    """

    def __init__(self, layer: CodingLayer, view) -> None:  # noqa: ANN001 - a QPlainTextEdit
        super().__init__(view)
        self._layer = layer
        self._view = view
        self._base = QColor("white")
        self._formats: dict[tuple[int, int | None], QTextCharFormat] = {}
        #: numbers of the blocks whose formats are current
        self.highlighted: set[int] = set()
        #: how many blocks were formatted (the view's laziness is tested with it)
        self.calls = 0

    def document(self):  # noqa: ANN201 - QTextDocument
        """The view's document."""
        return self._view.document()

    def rehighlightBlock(self, block: QTextBlock) -> None:  # noqa: N802 - QSyntaxHighlighter's name
        """Set *block*'s formats from the codings over it, and have Qt lay it out again."""
        if not block.isValid():
            return
        self.calls += 1
        positions = self._layer.positions
        pos16 = block.position()
        ranges = []
        if pos16 <= positions.length16:
            start = positions.to_codepoint(pos16)
            end = min(start + len(block.text()), positions.length)
            for run_start, run_end, top, other in self._layer.runs(start, end):
                first = positions.to_utf16(run_start) - pos16
                item = QTextLayout.FormatRange()
                item.start = first
                item.length = positions.to_utf16(run_end) - pos16 - first
                item.format = self.format_for(top, other)
                ranges.append(item)
        block.layout().setFormats(ranges)
        self.document().markContentsDirty(pos16, block.length())

    def set_base_color(self, base: QColor) -> None:
        """Blend code colours over *base* (the view's background) from now on."""
        self._base = QColor(base)
        self._formats.clear()

    def forget(self) -> None:
        """Drop cached formats and mark every block stale (a new document, a new palette)."""
        self._formats.clear()
        self.highlighted.clear()

    def format_for(self, top: int, other: int | None) -> QTextCharFormat:
        """The character format of a run whose newest code is *top*."""
        key = (top, other)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(light_color(self._layer.color(top), self._base))
            if other is not None:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self._layer.color(other)))
            self._formats[key] = fmt
        return fmt

    def block_span(self, block: QTextBlock) -> tuple[int, int]:
        """Code-point range of *block*'s text (without its line break)."""
        positions = self._layer.positions
        pos16 = min(block.position(), positions.length16)
        end16 = min(block.position() + block.length() - 1, positions.length16)
        return positions.to_codepoint(pos16), positions.to_codepoint(end16)

    def ensure_highlighted(self, block: QTextBlock) -> None:
        """Give *block* current formats unless it has them already."""
        if block.isValid() and block.blockNumber() not in self.highlighted:
            self._highlight(block)

    def _highlight(self, block: QTextBlock) -> None:
        if not block.isValid():
            return
        self.highlighted.add(block.blockNumber())
        start, end = self.block_span(block)
        # a block with no coding and no old formats has nothing to change: skip Qt's work
        if self._layer.index.overlapping(start, end) or block.layout().formats():
            self.rehighlightBlock(block)

    def refresh(self, start: int, end: int, eager_blocks: int = 200) -> None:
        """Re-highlight the blocks that ``[start, end)`` (code points) touches.

        When the span touches at most *eager_blocks* blocks all of them are redone now;
        otherwise only those already highlighted are, and the rest wait until painted.
        """
        document = self.document()
        if document is None:
            return
        positions = self._layer.positions
        start = min(max(start, 0), positions.length)
        end = min(max(end, start), positions.length)
        start16, end16 = positions.to_utf16(start), positions.to_utf16(end)
        first = document.findBlock(start16).blockNumber()
        last = document.findBlock(max(start16, end16 - 1)).blockNumber()
        if last - first < eager_blocks:
            numbers: Iterable[int] = range(first, last + 1)
        else:
            numbers = sorted(n for n in self.highlighted if first <= n <= last)
        for number in numbers:
            self._highlight(document.findBlockByNumber(number))

    def recolor(self, codes: set[int]) -> None:
        """Re-highlight the highlighted blocks that show any of *codes* (colours changed)."""
        self._formats.clear()
        document = self.document()
        if document is None or not codes:
            return
        layer = self._layer
        for number in sorted(self.highlighted):
            block = document.findBlockByNumber(number)
            start, end = self.block_span(block)
            if any(layer.codings[cid].code_id in codes
                   for cid in layer.index.overlapping(start, end)):
                self.rehighlightBlock(block)
