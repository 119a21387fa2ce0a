"""The segments list's Wrap switch: whole segment texts over several lines, for reading a
retrieval without hovering each row."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_coding_loop import select_codepoints


def test_wrap_shows_whole_texts_in_taller_rows(window, qtbot):
    pane = window.workspace.panes()[0]
    text = pane.view.stored_text
    end = text.index("\n", 600)  # several lines' worth, with line breaks inside
    select_codepoints(pane.view, 0, end)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    dock = window.segments_dock
    dock.resize(900, 400)
    qtbot.waitUntil(lambda: dock.proxy.rowCount() == 1)
    one_line = dock.view.rowHeight(0)
    assert dock.proxy.index(0, 3).data() == " ".join(text[:end][:300].split())
    qtbot.mouseClick(dock.wrap, Qt.MouseButton.LeftButton)
    assert dock.view.wordWrap()
    assert dock.proxy.index(0, 3).data() == text[:end].strip()
    qtbot.waitUntil(lambda: dock.view.rowHeight(0) > 3 * one_line)
    qtbot.mouseClick(dock.wrap, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.view.rowHeight(0) <= one_line)  # one line again
