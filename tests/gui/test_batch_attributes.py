"""Documents: select several documents, Edit ▸ Edit attributes of selected documents… sets or
clears one attribute of all of them in one undo step, the name completing from the project's;
the attribute columns chosen for the list come back when the project is reopened."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from kzcoder.core.changes import Changes
from kzcoder.gui.documents.batch_dialog import BatchAttributesDialog
from kzcoder.services.documents import list_documents, update_document
from tests.gui.conftest import open_window


def _select(dock, ids):
    view, proxy = dock.view, dock.view.model()
    view.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if index.data(Qt.ItemDataRole.UserRole) in ids:
            view.selectionModel().select(index, flags)


def _on_disk(window) -> dict[int, dict[str, str]]:
    return {d.id: dict(d.attributes) for d in list_documents(window.session.project)}


def test_one_value_for_the_selected_documents_is_one_undo_step(window, qtbot):
    update_document(window.session.project, 5, set_attributes={"period": "after"})
    window.session.announce(Changes(documents=frozenset({5})))
    dock = window.documents_dock
    before = _on_disk(window)
    _select(dock, {1, 3})
    proxy = dock.view.model()
    row_of_4 = next(r for r in range(proxy.rowCount())
                    if proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) == 4)
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton,  # as a user adds a row
                     Qt.KeyboardModifier.ControlModifier,
                     dock.view.visualRect(proxy.index(row_of_4, 1)).center())
    chosen = {1, 3, 4}
    assert set(dock.selected_document_ids()) == chosen
    window.actions_named("actionEditAttributes").trigger()
    dialog = window.findChild(BatchAttributesDialog, "batchAttributesDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Edit attributes of 3 documents"
    completer = dialog.name_edit.completer()
    completer.setCompletionPrefix("PER")
    assert completer.currentCompletion() == "period"
    qtbot.keyClicks(dialog.name_edit, "Period")  # the project spells it "period"
    qtbot.keyClicks(dialog.value_edit, " 2011 ")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    after = _on_disk(window)
    expected = {i: ({**a, "period": "2011"} if i in chosen else a) for i, a in before.items()}
    assert after == expected
    assert window.session.documents[min(chosen)].attributes["period"] == "2011"
    window.undo_actions.undo.trigger()
    assert _on_disk(window) == before
    assert window.status.currentMessage().startswith("Undone: Edit period of ")
    window.undo_actions.redo.trigger()
    assert _on_disk(window) == expected


def test_clear_and_a_refused_date(window, qtbot):
    dock = window.documents_dock
    before = _on_disk(window)
    dialog = dock.edit_attributes([2, 3])
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.problem.text() == "Name the attribute to set or clear."
    qtbot.keyClicks(dialog.name_edit, "published")
    qtbot.keyClicks(dialog.value_edit, "2011-13")
    assert not ok.isEnabled()
    assert dialog.problem.text().startswith("'2011-13' is not a date")
    dialog.clear_box.setChecked(True)
    assert ok.isEnabled() and not dialog.value_edit.isEnabled()
    ok.click()
    assert _on_disk(window) == {i: ({k: v for k, v in a.items() if k != "published"}
                                    if i in (2, 3) else a) for i, a in before.items()}


def test_the_chosen_columns_come_back_per_project(qtbot, sample_path, tmp_path):
    other = tmp_path / "other.kzc"
    shutil.copy(sample_path, other)
    window = open_window(qtbot, sample_path)
    update_document(window.session.project, 1, set_attributes={"period": "before"})
    window.session.announce(Changes(documents=frozenset({1})))
    window.documents_dock.model.show_attribute("period", True)
    window.close()
    again = open_window(qtbot, sample_path)
    model = again.documents_dock.model
    assert model.attribute_columns == ["period"]
    assert model.headerData(4, Qt.Orientation.Horizontal) == "period"
    row = next(r for r in range(model.rowCount()) if model.document(r).id == 1)
    assert model.index(row, 4).data() == "before"
    again.close()
    elsewhere = open_window(qtbot, other)  # another project: its own choice (none)
    assert elsewhere.documents_dock.model.attribute_columns == []
    elsewhere.close()


def test_a_drag_from_several_selected_rows_carries_the_row_pressed(window):
    from kzcoder.gui.mime import DOCUMENT_MIME, read_mime

    dock = window.documents_dock
    view, proxy = dock.view, dock.view.model()
    rows = {proxy.index(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(proxy.rowCount())}
    _select(dock, {1, 3})
    keep = QItemSelectionModel.SelectionFlag.NoUpdate
    for pressed in (3, 1):
        view.selectionModel().setCurrentIndex(proxy.index(rows[pressed], 1), keep)
        assert set(dock.selected_document_ids()) == {1, 3}
        assert read_mime(view.drag_mime(), DOCUMENT_MIME) == pressed
