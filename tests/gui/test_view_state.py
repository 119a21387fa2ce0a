"""Reopening a project brings back the active pane, each pane's scroll position and cursor,
and the segments list's sort order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzcoder.gui.shell.settings import Settings
from kzcoder.gui.shell.view_state import top_codepoint
from tests.gui.conftest import open_window
from tests.gui.test_coding_loop import select_codepoints


def test_the_view_comes_back_as_it_was(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    first, second = window.workspace.panes()
    for pane in (first, second):
        select_codepoints(pane.view, 0, 4)
        qtbot.keyClick(pane.view, Qt.Key.Key_1)
    bar = first.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 20)
    bar.setValue(15)
    top = top_codepoint(first.view)
    assert top > 0
    select_codepoints(second.view, 120, 120)
    window.workspace.set_active(second)
    window.segments_dock.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    window.close()

    again = open_window(qtbot, sample_path)
    first, second = again.workspace.panes()
    assert again.workspace.active_pane() is second
    text = first.view.stored_text
    line_start = text.rfind("\n", 0, top) + 1  # the paragraph read then is at the top again
    line_end = text.find("\n", top)
    qtbot.waitUntil(lambda: line_start <= top_codepoint(first.view) <= line_end)
    assert second.view.cursor_codepoint() == 120
    header = again.segments_dock.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        1, Qt.SortOrder.DescendingOrder)
    again.close()


def test_a_damaged_entry_gives_the_default_view(qtbot, sample_path):
    Settings().set_view_state(sample_path, "{not json")
    window = open_window(qtbot, sample_path)
    assert window.workspace.document_ids() == [1, 2]
    header = window.segments_dock.view.horizontalHeader()
    assert header.sortIndicatorSection() == -1  # document order, as on a first start
    window.close()
