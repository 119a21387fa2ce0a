"""The window shows a document's history: the documents list's context menu, History…, lists
the entries that changed it, newest first (checked against the file with plain SQL)."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtWidgets import QApplication


def test_a_documents_history_from_its_context_menu(window, qtbot, sample_path):
    dock = window.documents_dock
    dock.select_document(2)
    menu = dock.context_menu()
    action = next(a for a in menu.actions() if a.objectName() == "actionDocumentHistory")
    assert action.isEnabled()
    action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "historyDialog" and w.isVisible())
    table = dialog.table
    db = sqlite3.connect(sample_path)
    expected = [row for row in db.execute(
        "SELECT h.action, h.hash FROM history h WHERE h.id IN (SELECT entry_id FROM "
        "history_rows WHERE (tbl = 'documents' AND key = ?) OR (tbl = 'original_files' AND "
        "key = ?) OR (tbl = 'document_attributes' AND key LIKE '[2,%')) ORDER BY h.id DESC",
        (json.dumps([2]), json.dumps([2])))]
    db.close()
    assert expected and table.rowCount() == len(expected)
    assert [(table.item(r, 2).text(), table.item(r, 3).toolTip())
            for r in range(table.rowCount())] == expected
    dialog.close()


def test_a_codings_history_from_the_segments_list(window, qtbot, sample_path):
    from kzcoder.services.codings import add_coding, update_coding

    project = window.session.project
    coding = add_coding(project, 1, 1, 0, 12, coder="tester").value
    update_coding(project, coding.id, memo="checked twice")
    dock = window.segments_dock
    dock.show_code(1)
    qtbot.waitUntil(lambda: coding.id in dock.shown_coding_ids(), timeout=3000)
    row = dock.shown_coding_ids().index(coding.id)
    dock.view.selectRow(row)
    qtbot.waitUntil(lambda: dock.selected_coding_ids() == [coding.id], timeout=3000)
    action = next(a for a in dock.view.actions() if a.objectName() == "actionCodingHistory")
    action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "historyDialog" and w.isVisible())
    actions = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert actions == ["changed 1 coding", "added 1 coder; added 1 coding"]  # newest first
    dialog.close()
