"""Ctrl+Down/Up in a pane move the text cursor by paragraphs; Shift+arrows then select from
the new place, Ctrl+Shift+Down selects whole paragraphs."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _starts(text: str) -> list[int]:
    """Where each paragraph (line) of *text* starts, found by hand."""
    return [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]


def test_ctrl_down_and_up_move_the_cursor_by_paragraph(window, qtbot):
    view = window.workspace.panes()[0].view
    text = view.stored_text
    starts = _starts(text)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(view, Qt.Key.Key_Down, ctrl)
    assert view.cursor_codepoint() == starts[1]
    qtbot.keyClick(view, Qt.Key.Key_Down, ctrl)
    assert view.cursor_codepoint() == starts[2]
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection_span() == (starts[2], starts[2] + 1)  # from the new place
    qtbot.keyClick(view, Qt.Key.Key_Up, ctrl)  # inside a paragraph: to its start
    assert view.cursor_codepoint() == starts[2] and view.selection_span() is None
    qtbot.keyClick(view, Qt.Key.Key_Up, ctrl)  # at a start: the previous paragraph's
    assert view.cursor_codepoint() == starts[1]
    qtbot.keyClick(view, Qt.Key.Key_Down,
                   ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert view.selection_span() == (starts[1], starts[2])
