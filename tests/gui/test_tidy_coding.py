"""Coding a selection in the window: white space at its ends left out, cut words completed
(Code ▸ Snap selections to whole words, on by default and remembered)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from kzcoder.gui.shell.settings import Settings
from kzcoder.services.documents import document_text
from kzcoder.services.segments import list_segments
from tests.gui.conftest import open_window
from tests.gui.test_coding_loop import select_codepoints


def _segments(window):
    return [(s.start, s.end, s.text) for s in list_segments(window.session.project)]


def test_triple_click_paragraph_is_coded_without_its_line_break(window, qtbot):
    pane = window.workspace.panes()[0]
    view = pane.view
    text = view.stored_text
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.movePosition(QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)  # what a triple-click selects: the paragraph and its break
    assert view.selection_span()[1] == text.index("\n") + 1
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_1)
    first = text[:text.index("\n")].rstrip()
    assert _segments(window) == [(0, len(first), first)]
    assert view.selection_span() == (0, len(first))  # the pane shows what was coded


def test_a_drag_that_cuts_words_codes_whole_words_and_the_setting_turns_it_off(
        qtbot, sample_path):
    window = open_window(qtbot, sample_path, snap_words=None)
    snap = window.actions_named("actionSnapWholeWords")
    assert snap.isCheckable() and snap.isChecked()  # on by default
    text = document_text(window.session.project, 2)
    whole = text.index("live firearms")
    start, end = whole + 2, whole + len("live fire")  # "ve fire"
    pane = window.workspace.panes()[1]
    select_codepoints(pane.view, start, end)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    assert _segments(window) == [(whole, whole + 13, "live firearms")]
    snap.trigger()  # off: the selection is coded as it is (trimmed of white space only)
    assert not snap.isChecked()
    select_codepoints(pane.view, start, end)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert (start, end, "ve fire") in _segments(window)
    window.close()
    assert Settings().snap_words() is False  # remembered for the next window
    again = open_window(qtbot, sample_path, snap_words=None)
    assert not again.actions_named("actionSnapWholeWords").isChecked()
    again.close()


def test_white_space_alone_codes_nothing(window, qtbot):
    pane = window.workspace.panes()[0]
    text = pane.view.stored_text
    brk = text.index("\n")
    select_codepoints(pane.view, brk, brk + 1)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert _segments(window) == []
    assert "only white space" in window.status.currentMessage()
