"""The segments list shows each document's date and outlet, and its filter finds them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzcoder.gui.segments.model import DATE, OUTLET
from kzcoder.services.segments import list_segments
from tests.gui.test_coding_loop import select_codepoints


def test_date_and_outlet_columns_follow_the_documents_and_filter(window, qtbot):
    for pane in window.workspace.panes():  # one coding in each of the two open articles
        select_codepoints(pane.view, 0, 4)
        qtbot.keyClick(pane.view, Qt.Key.Key_1)
    dock = window.segments_dock
    qtbot.waitUntil(lambda: dock.proxy.rowCount() == 2)
    header = dock.view.horizontalHeader()
    assert [dock.model.headerData(header.logicalIndex(v), Qt.Orientation.Horizontal)
            for v in range(3)] == ["Document", "Date", "Outlet"]
    rows = [(dock.proxy.index(r, DATE).data(), dock.proxy.index(r, OUTLET).data())
            for r in range(2)]
    by_id = {s.id: s for s in list_segments(window.session.project)}
    documents = window.session.documents
    expected = [(documents[by_id[i].document_id].attributes.get("published", ""),
                 documents[by_id[i].document_id].attributes.get("outlet", ""))
                for i in dock.shown_coding_ids()]
    assert rows == expected == [("2005-11-20", "IWPR"), ("2011-12-20", "Taipei Times")]
    dock.filter.setText("2011")  # a year: only in the second row's date
    assert dock.proxy.rowCount() == 1
    assert dock.proxy.index(0, OUTLET).data() == "Taipei Times"
    dock.filter.setText("iwpr")  # an outlet
    assert dock.proxy.rowCount() == 1
