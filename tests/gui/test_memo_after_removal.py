"""When the coding whose memo the Memo dock shows is removed, the dock shows the memo of that
coding's document (where the researcher is working), not the project's."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzcoder.core.records import MemoTarget
from tests.gui.test_coding_loop import select_codepoints


def test_removing_the_shown_coding_shows_its_documents_memo(window, qtbot):
    pane = window.workspace.panes()[1]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    dock = window.segments_dock
    qtbot.waitUntil(lambda: dock.proxy.rowCount() == 1)
    coding_id = dock.shown_coding_ids()[0]
    dock.view.setFocus()
    qtbot.waitUntil(dock.view.hasFocus)
    dock.view.setCurrentIndex(dock.proxy.index(0, 3))
    memo = window.memo_dock
    assert memo.target == MemoTarget("coding", coding_id)
    dock.view.selectRow(0)
    qtbot.keyClick(dock.view, Qt.Key.Key_Delete)  # removed from the segments list
    qtbot.waitUntil(lambda: dock.proxy.rowCount() == 0)
    assert memo.target == MemoTarget("document", 2)
    assert memo.heading.text().startswith("Memo of document")
