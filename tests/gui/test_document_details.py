"""Editing a document's details from the documents dock: the dialog, the undoable command, the
views that follow it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kzcoder.core.records import DocumentInfo
from kzcoder.gui.documents.details_dialog import DocumentDetailsDialog
from kzcoder.services.documents import get_document
from tests.gui.conftest import open_window

OLD_TITLE = "Kazak Security Forces Bracing for Trouble"
NEW_TITLE = "Security forces brace for unrest"


def _listed_title(dock, document_id: int) -> str:
    model = dock.model
    row = next(r for r in range(model.rowCount()) if model.document(r).id == document_id)
    return model.index(row, 1).data()


def _ok(dialog: DocumentDetailsDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _open_details(window, document_id: int) -> DocumentDetailsDialog:
    dock = window.documents_dock
    dock.select_document(document_id)
    assert dock.details_action.isEnabled()
    dock.details_action.trigger()
    dialog = dock.details_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.objectName() == "documentDetailsDialog"
    assert dialog.info.id == document_id
    return dialog


def test_editing_the_title_updates_list_and_pane_undoes_and_persists(qtbot, window,
                                                                     sample_path):
    dock = window.documents_dock
    pane = window.workspace.pane_showing(1)
    assert pane is not None and pane.title() == OLD_TITLE
    dialog = _open_details(window, 1)
    assert dialog.edits["title"].text() == OLD_TITLE
    assert dialog.published_edit.text() == "2005-11-20"
    dialog.edits["title"].setText(NEW_TITLE)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    assert _listed_title(dock, 1) == NEW_TITLE
    assert pane.title() == NEW_TITLE
    assert dock.current_document_id() == 1  # the row stays current
    assert window.session.documents[1].title == NEW_TITLE
    assert window.undo_actions.undo.text() == "Undo Edit document details"
    window.workspace.set_active(pane)
    window.status.refresh()
    assert window.status.document.text() == NEW_TITLE

    window.undo_actions.undo.trigger()
    assert _listed_title(dock, 1) == OLD_TITLE and pane.title() == OLD_TITLE
    assert get_document(window.session.project, 1).title == OLD_TITLE
    window.undo_actions.redo.trigger()
    assert _listed_title(dock, 1) == NEW_TITLE and pane.title() == NEW_TITLE

    window.close()
    again = open_window(qtbot, sample_path)
    assert again.session.documents[1].title == NEW_TITLE
    assert _listed_title(again.documents_dock, 1) == NEW_TITLE
    assert again.workspace.pane_showing(1).title() == NEW_TITLE
    again.close()


def test_the_whole_edit_is_one_step_and_undo_restores_every_attribute(qtbot, window):
    before = get_document(window.session.project, 2)
    dialog = _open_details(window, 2)
    dialog.name_edit.setText("Taipei Times 2011")
    dialog.edits["outlet"].setText("")  # removed
    dialog.published_edit.setText("2011-12")
    dialog.set_row(dialog.add_row(), "section", "World")  # added
    change = dialog.change()
    assert (change.name, change.set_attributes, change.unset) == (
        "Taipei Times 2011", {"published": "2011-12", "section": "World"}, ("outlet",))
    dialog.accept()
    after = window.session.documents[2]
    assert after.name == "Taipei Times 2011"
    assert after.attributes == {"published": "2011-12", "section": "World",
                                "title": before.title}
    assert window.session.undo_stack.count() == 1
    window.undo_actions.undo.trigger()
    restored = get_document(window.session.project, 2)
    assert (restored.name, restored.attributes) == (before.name, before.attributes)
    assert window.session.documents[2].attributes == before.attributes


def test_an_invalid_date_disables_ok_with_a_message(qtbot, window):
    dialog = _open_details(window, 1)
    dialog.published_edit.setText("2022-13-40")
    assert not _ok(dialog).isEnabled()
    assert dialog.problem.isVisibleTo(dialog)
    assert "'2022-13-40' is not a date" in dialog.problem.text()
    dialog.accept()  # refused while the date is wrong
    assert dialog.isVisible()
    for good in ("2022-01-07", "2022-01", "2022", ""):
        dialog.published_edit.setText(good)
        assert _ok(dialog).isEnabled() and not dialog.problem.isVisibleTo(dialog), good
    dialog.reject()
    assert window.session.undo_stack.count() == 0
    assert get_document(window.session.project, 1).published == "2005-11-20"


def test_names_and_attribute_rows_are_checked(qtbot, window):
    dialog = _open_details(window, 1)
    taken = window.session.documents[2].name
    for name, message in (("  ", "A document needs a name."),
                          (taken, f"Another document is named '{taken}'.")):
        dialog.name_edit.setText(name)
        assert not _ok(dialog).isEnabled() and dialog.problem.text() == message
    dialog.name_edit.setText(window.session.documents[1].name)
    row = dialog.add_row()
    dialog.set_row(row, "", "orphan")
    assert dialog.problem.text() == "The value 'orphan' needs an attribute name."
    dialog.set_row(row, "title", "x")
    assert dialog.problem.text() == "'title' has a field of its own above."
    dialog.set_row(row, "", "")  # an empty row is passed over
    assert _ok(dialog).isEnabled()
    dialog.table.setCurrentCell(row, 0)
    dialog.remove_current_row()
    assert dialog.table.rowCount() == 0
    assert not dialog.change()  # nothing to change: OK runs no command
    dialog.accept()
    assert window.session.undo_stack.count() == 0


def test_a_refused_change_is_one_message_and_changes_nothing(qtbot, window, monkeypatch):
    errors = []
    window.current.sig_error.disconnect(window.show_error)
    window.current.sig_error.connect(errors.append)
    dialog = _open_details(window, 1)
    taken = window.session.documents[2].name
    monkeypatch.setattr(dialog, "_other_names", frozenset())  # the dialog does not know
    dialog.name_edit.setText(taken)
    dialog.accept()
    assert errors == [f"a document named '{taken}' already exists"]
    assert window.session.undo_stack.count() == 0
    assert window.session.documents[1].name != taken


def test_ctrl_e_and_the_context_menu(qtbot, window):
    dock = window.documents_dock
    action = dock.details_action
    assert action.objectName() == "actionDocumentDetails"
    assert action.text().replace("&", "") == "Document details…"
    assert action.shortcut().toString() == "Ctrl+E"
    assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    menu = dock.context_menu()
    assert [a.text().replace("&", "") for a in menu.actions()] == [
        "Open", "Document details…", "Edit attributes of selected documents…", "History…"]
    dock.select_document(3)
    opened = []
    dock.sig_open_requested.connect(opened.append)
    dock.open_action.trigger()
    assert opened == [3]
    dock.view.setFocus()
    qtbot.waitUntil(dock.view.hasFocus)
    qtbot.keyClick(dock.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = dock.details_dialog
    assert dialog is not None and dialog.isVisible() and dialog.info.id == 3
    dialog.reject()
    assert dock.details_dialog is None


def test_the_dialog_alone_reports_the_change_against_the_document():
    info = DocumentInfo(7, "g", "doc", 10, {"title": "T", "keep": "k", "drop": "d"})
    dialog = DocumentDetailsDialog(info, ["other"])
    assert dialog.table.rowCount() == 2  # keep, drop: the others have fields
    assert not dialog.change()
    drop_row = next(r for r in range(2) if dialog.table.item(r, 0).text() == "drop")
    dialog.table.setCurrentCell(drop_row, 0)
    dialog.remove_current_row()
    dialog.edits["outlet"].setText(" Outlet ")
    change = dialog.change()
    assert (change.document_id, change.name, change.set_attributes, change.unset) == (
        7, None, {"outlet": "Outlet"}, ("drop",))
    dialog.deleteLater()
