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
