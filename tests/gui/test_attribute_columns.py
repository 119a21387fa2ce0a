"""Documents ▸ right-click the header: a column for any attribute, chosen from those the
documents have; its cells are each document's value."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzcoder.core.changes import Changes
from kzcoder.gui.documents.attribute_columns import attribute_names, column_menu
from kzcoder.services.documents import update_document


def test_attribute_names_leave_out_the_columns_of_their_own():
    assert attribute_names([{"title": "t", "period": "a"}, {"Region": "x", "period": "b"}]) \
        == ["period", "Region"]


def test_an_attribute_column_shows_each_documents_value(window, qtbot):
    project = window.session.project
    update_document(project, 1, set_attributes={"period": "before 2011"})
    update_document(project, 2, set_attributes={"period": "2011"})
    window.session.announce(Changes(documents=frozenset({1, 2})))
    dock = window.documents_dock
    model = dock.model
    names = attribute_names(d.attributes for d in model.documents())
    assert names == ["period"]
    header = dock.view.horizontalHeader()
    visual_before = [header.logicalIndex(v) for v in range(header.count())]
    menu = column_menu(dock, names, model.attribute_columns, model.show_attribute)
    [action] = [a for a in menu.actions() if a.objectName() == "attributeColumn_period"]
    action.trigger()  # checked: the column appears at the end
    assert model.columnCount() == 5
    assert model.headerData(4, Qt.Orientation.Horizontal) == "period"
    values = {model.document(r).id: model.index(r, 4).data() for r in range(model.rowCount())}
    expected = {d.id: d.attributes.get("period", "") for d in window.session.documents.values()}
    assert values == expected and values[1] == "before 2011"
    assert [header.logicalIndex(v) for v in range(4)] == visual_before  # order kept
    menu = column_menu(dock, names, model.attribute_columns, model.show_attribute)
    menu.actions()[0].trigger()  # unchecked: gone again
    assert model.columnCount() == 4
