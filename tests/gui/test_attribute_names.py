"""Attribute names complete from the project's own, and a name that differs only in case
takes the project's spelling: "Period" joins "period" instead of starting a second column."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzcoder.core.changes import Changes
from kzcoder.gui.documents.name_completion import known_spelling
from kzcoder.services.documents import get_document, update_document


def test_known_spelling():
    assert known_spelling("Period", {"period", "outlet"}) == "period"
    assert known_spelling("period", {"period", "Period"}) == "period"  # exact wins
    assert known_spelling("region", {"period"}) == "region"


def test_the_details_dialog_completes_and_keeps_one_spelling(window, qtbot):
    update_document(window.session.project, 1, set_attributes={"period": "before 2011"})
    window.session.announce(Changes(documents=frozenset({1})))
    dock = window.documents_dock
    dock.select_document(2)
    dock.details_action.trigger()
    dialog = dock.details_dialog
    row = dialog.add_row()
    table = dialog.table
    table.setCurrentCell(row, 0)
    table.editItem(table.item(row, 0))
    editor = table.findChild(type(dialog.name_edit), "attributeNameEditor")
    assert editor is not None
    completer = editor.completer()
    completer.setCompletionPrefix("PER")
    assert completer.currentCompletion() == "period"  # case does not matter
    qtbot.keyClicks(editor, "Period")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    table.item(row, 1).setText("after 2011")
    dialog.accept()
    assert get_document(window.session.project, 2).attributes["period"] == "after 2011"
    assert "Period" not in get_document(window.session.project, 2).attributes
