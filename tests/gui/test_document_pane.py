"""The document pane: exact code-point selections, lazy highlighting, tooltips, margin."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from kzcoder.core.records import CodeInfo, CodingInfo
from kzcoder.gui.coding import CODE_ID_MIME, DocumentPane, DocumentView
from kzcoder.gui.coding.highlighter import light_color

TEXT = "a😀b Қазақ é text\nsecond line with more words\nthird 𠀀 line\n\nlast paragraph"
BLUE, ORANGE = "#0072B2", "#E69F00"
CODES = {
    1: CodeInfo(1, "g1", "Protest & <crowd>", BLUE, position=0),
    2: CodeInfo(2, "g2", "Police", ORANGE, position=1),
}


def coding(cid: int, code: int, start: int, end: int, memo: str = "") -> CodingInfo:
    return CodingInfo(cid, f"c{cid}", 7, code, "aigerim", start, end, memo)


@pytest.fixture
def pane(qtbot):
    widget = DocumentPane()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    second = TEXT.index("second")
    codings = [coding(1, 1, 2, 11, memo="crowd <b>gathers</b>"), coding(2, 2, 6, second + 6)]
    widget.set_document(7, "Sample — title", TEXT, codings, CODES)
    widget.show()  # blocks are highlighted when first painted
    qtbot.waitExposed(widget)
    return widget


def background_colors(view: DocumentView, block_number: int) -> set[str]:
    layout = view.document().findBlockByNumber(block_number).layout()
    return {r.format.background().color().name().upper() for r in layout.formats()
            if r.format.background().style() != Qt.BrushStyle.NoBrush}


def light(color: str, view: DocumentView) -> str:
    return light_color(color, view.palette().base().color()).name().upper()


def test_object_names_and_header(pane):
    assert pane.objectName() == "documentPane"
    assert pane.view.objectName() == "documentView"
    assert pane.findChild(object, "paneTitle").toolTip() == "Sample — title"
    assert pane.findChild(object, "paneCloseButton") is not None
    assert pane.title() == "Sample — title"
    assert pane.view.isReadOnly()
    assert pane.view.document_id == 7


def test_close_button_emits(pane, qtbot):
    with qtbot.waitSignal(pane.sig_close_requested, timeout=1000):
        pane.findChild(object, "paneCloseButton").click()


def test_selection_across_emoji_is_exact_code_points(pane, qtbot):
    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(1)  # before the emoji
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 10)
    selected = cursor.selectedText()
    with qtbot.waitSignal(pane.sig_selection_changed, timeout=1000) as signal:
        view.setTextCursor(cursor)
    start, end = view.selection_span()
    assert TEXT[start:end] == selected == "😀b Қазақ é"
    assert signal.args == [end - start] == [10]
    assert view.selected_text() == selected


def test_select_span_round_trip(pane):
    view = pane.view
    for start, end in [(1, 2), (0, 5), (TEXT.index("𠀀"), len(TEXT)), (3, 30)]:
        view.select_span(start, end)
        assert view.selection_span() == (start, end)
        assert view.textCursor().selectedText().replace("\u2029", "\n") == TEXT[start:end]
    view.textCursor().clearSelection()
    cursor = view.textCursor()
    cursor.clearSelection()
    view.setTextCursor(cursor)
    assert view.selection_span() is None


def test_highlight_follows_add_and_remove(pane):
    view = pane.view
    assert light(BLUE, view) in background_colors(view, 0)
    assert background_colors(view, 2) == set()
    third = TEXT.index("third")
    view.add_coding(coding(3, 2, third, third + 5))
    assert background_colors(view, 2) == {light(ORANGE, view)}
    assert background_colors(view, 4) == set()  # a block outside the span has none
    view.update_coding(coding(3, 1, third, third + 5, memo="now blue"))
    assert background_colors(view, 2) == {light(BLUE, view)}
    assert "now blue" in view.tooltip_html_at(third)
    view.remove_coding(3)
    assert background_colors(view, 2) == set()
    other_document = CodingInfo(9, "c9", 8, 1, "aigerim", third, third + 5)
    view.add_coding(other_document)  # a coding of another document is not shown here
    assert background_colors(view, 2) == set()
    assert view.codings_at(third) == []
    view.remove_coding(1)
    view.remove_coding(2)
    assert background_colors(view, 0) == set()
    assert background_colors(view, 1) == set()


def test_highlight_offsets_are_utf16_in_the_block(pane):
    view = pane.view
    third = TEXT.index("third")
    star = TEXT.index("𠀀")
    view.add_coding(coding(5, 1, star, star + 1))  # the astral character alone
    block = view.document().findBlockByNumber(2)
    ranges = [(r.start, r.length) for r in block.layout().formats()]
    assert ranges == [(star - third, 2)]


def test_newest_coding_wins_and_colour_change_recolours(pane):
    view = pane.view
    # [6, 11) is covered by coding 1 (blue) and the newer coding 2 (orange)
    block = view.document().findBlockByNumber(0)
    colors = {r.start: r.format.background().color().name().upper()
              for r in block.layout().formats()}
    overlap16 = 7  # code point 6 is UTF-16 position 7 (one emoji before it)
    assert colors[overlap16] == light(ORANGE, view)
    green = dict(CODES)
    green[2] = CodeInfo(2, "g2", "Police", "#009E73", position=1)
    view.set_codes(green)
    assert light("#009E73", view) in background_colors(view, 0)
    assert light(ORANGE, view) not in background_colors(view, 0)


def test_tooltip_lists_both_codes_on_the_overlap(pane):
    view = pane.view
    html = view.tooltip_html_at(8)
    assert "Protest &amp; &lt;crowd&gt;" in html and "Police" in html
    assert BLUE in html and ORANGE in html
    assert "aigerim" in html
    assert "crowd &lt;b&gt;gathers&lt;/b&gt;" in html  # memos are escaped
    assert "Police" not in view.tooltip_html_at(3)
    assert view.tooltip_html_at(len(TEXT) - 1) == ""
    assert [c.id for c in view.codings_at(8)] == [1, 2]


def test_margin_has_width_and_bars(pane, qtbot):
    margin = pane.findChild(object, "codingMargin")
    assert margin is not None and margin.width() > 0
    assert pane.view.viewportMargins().left() == margin.width()
    bars = margin.bar_rects()
    assert {code for _rect, code in bars} == {1, 2}
    x_by_code = {code: rect.x() for rect, code in bars}
    assert x_by_code[1] < x_by_code[2]  # columns follow code position
    empty = DocumentView()
    qtbot.addWidget(empty)
    assert empty.margin.required_width() > 0


def test_context_menu_and_drop_signals(pane, qtbot):
    view = pane.view
    view.select_span(2, 5)
    data = QMimeData()
    data.setData(CODE_ID_MIME, b"2")
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    other = QMimeData()
    other.setText("plain text is refused")
    refused = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, other, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), refused)
    assert not refused.isAccepted()
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, data, buttons, modifiers)
    with qtbot.waitSignal(view.sig_code_dropped, timeout=1000) as signal:
        QApplication.sendEvent(view.viewport(), drop)
    assert signal.args == [2]
    assert view.selection_span() == (2, 5)  # the drop left the selection alone
    rect = view.cursorRect(view.textCursor())
    point = QPoint(rect.x() + 1, rect.center().y())  # just right of the cursor at code point 2
    assert view.codepoint_at_point(point) == 2
    seen = []
    view.sig_context_menu.connect(lambda pos, cp, ids: seen.append((cp, ids)))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert seen == [(2, [1])]
    assert view.selection_span() == (2, 5)


def test_open_is_lazy_for_big_documents(qtbot):
    rng = random.Random(5)
    words = ["protest", "Алматы", "police", "😀", "crowd", "Қазақ", "square", "night"]
    paragraphs = [" ".join(rng.choice(words) for _ in range(rng.randrange(5, 25)))
                  for _ in range(4000)]
    text = "\n".join(paragraphs)
    while len(text) < 200_000:
        text += "\n" + text[:50_000]
    codings = []
    for cid in range(1, 2001):
        start = rng.randrange(len(text) - 500)
        codings.append(coding(cid, rng.choice([1, 2]), start, start + rng.randrange(1, 500)))
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.set_document(7, text, codings, CODES)
    blocks = view.document().blockCount()
    assert len(text) >= 200_000 and blocks >= 4000
    assert view.highlighter.calls < blocks // 20
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    assert 0 < view.highlighter.calls < 200  # only what is on screen
    view.select_span(len(text) - 10, len(text) - 5)
    QApplication.processEvents()
    assert view.highlighter.calls < 400
    assert view.selection_span() == (len(text) - 10, len(text) - 5)


def test_apply_changes_clear_and_small_helpers(pane):
    view = pane.view
    third = TEXT.index("third")
    assert view.coding_count() == 2
    view.apply_coding_changes([1, 3], {3: coding(3, 2, third, third + 5)})  # 1 went, 3 came
    assert view.coding_count() == 2
    assert [c.id for c in view.codings_at(third)] == [3]
    assert view.codings_at(3) == []
    view.select_span(third + 2, third + 4)
    assert view.cursor_codepoint() == third + 2
    assert view.selected_text() == "ir"
    pane.set_title("A title", "file.txt")
    assert pane.findChild(object, "paneTitle").toolTip() == "A title\nfile.txt"
    view.clear_document()
    assert view.document_id is None and view.coding_count() == 0
    assert view.stored_text == "" and view.selection_span() is None
    view.add_coding(coding(4, 1, 0, 1))  # nothing is shown: nothing to add to
    assert view.coding_count() == 0
