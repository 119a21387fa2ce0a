"""Small things of a long day: undo and redo say what they did; Ctrl+E in a pane edits that
pane's document."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_coding_loop import select_codepoints


def test_undo_and_redo_say_what_they_did(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 5)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    window.undo_actions.undo.trigger()
    assert window.status.currentMessage() == \
        "Undone: Code as State justification. Ctrl+Y redoes it."
    window.undo_actions.redo.trigger()
    assert window.status.currentMessage() == \
        "Redone: Code as State justification. Ctrl+Z undoes it."


def test_ctrl_e_in_a_pane_edits_the_document_it_shows(window, qtbot):
    window.documents_dock.select_document(1)  # the list's current is another document
    pane = window.workspace.panes()[1]
    window.workspace.set_active(pane)
    pane.view.setFocus()
    qtbot.waitUntil(pane.view.hasFocus)
    qtbot.keyClick(pane.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.documents_dock.details_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.info.id == pane.view.document_id == 2
    dialog.reject()
