"""Keys act where the focus is; coding and retrieving are separate gestures; the menus a QDA
user recognises; Help lists every key from the actions themselves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from kzcoder.gui.shell.help import ShortcutsDialog, shortcut_rows
from kzcoder.services.segments import list_segments
from tests.gui.test_coding_loop import select_codepoints


def _code(qtbot, pane, start, end, key):
    select_codepoints(pane.view, start, end)
    qtbot.keyClick(pane.view, key)


def _spans(window):
    return [(s.code, s.start, s.end) for s in list_segments(window.session.project)]


def _focus(qtbot, widget):
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_delete_in_a_pane_removes_the_coding_seen_under_the_cursor(window, qtbot):
    pane = window.workspace.panes()[0]
    _code(qtbot, pane, 0, 20, Qt.Key.Key_1)
    _code(qtbot, pane, 5, 10, Qt.Key.Key_3)  # newer, on top: its colour is what shows
    select_codepoints(pane.view, 7, 7)
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert _spans(window) == [("State justification", 0, 20)]
    message = window.status.currentMessage()
    assert "'Force' by tester" in message and "newest of 2" in message
    assert "Ctrl+Z undoes it" in message
    window.undo_actions.undo.trigger()
    assert len(_spans(window)) == 2


def test_delete_in_the_codebook_deletes_that_code_after_asking(window, qtbot):
    pane = window.workspace.panes()[0]
    _code(qtbot, pane, 0, 20, Qt.Key.Key_1)
    _code(qtbot, pane, 30, 40, Qt.Key.Key_3)
    select_codepoints(pane.view, 32, 32)  # a coding under the pane's cursor: not touched
    asked = []
    window.codebook_actions.ask = lambda _parent, text, _below: asked.append(text) and None
    dock = window.codebook_dock
    _focus(qtbot, dock.view)
    dock.view.setCurrentIndex(dock.view_index(1))
    qtbot.keyClick(dock.view, Qt.Key.Key_Delete)
    assert asked == ["Delete the code 'State justification', and its 1 coding in 1 document?"
                     "\n\nCtrl+Z undoes it."]  # answered Cancel
    assert len(_spans(window)) == 2 and 1 in window.session.codes
    window.codebook_actions.ask = lambda *_args: "all"
    qtbot.keyClick(dock.view, Qt.Key.Key_Delete)
    assert _spans(window) == [("Force", 30, 40)]  # the pane's coding under the cursor stays
    assert 1 not in window.session.codes
    assert pane.view.coding_count() == 1
    assert "Deleted the code 'State justification'" in window.status.currentMessage()
    window.undo_actions.undo.trigger()
    assert len(_spans(window)) == 2 and window.session.codes[1].name == "State justification"
    assert pane.view.coding_count() == 2


def test_delete_in_the_segments_list_removes_the_selected_segments(window, qtbot):
    pane = window.workspace.panes()[0]
    for start in (0, 30, 60):
        _code(qtbot, pane, start, start + 5, Qt.Key.Key_3)
    select_codepoints(pane.view, 31, 31)  # under the pane's cursor: the middle one
    dock = window.segments_dock
    qtbot.waitUntil(lambda: dock.proxy.rowCount() == 3)
    _focus(qtbot, dock.view)
    dock.view.selectRow(0)
    dock.view.selectionModel().select(
        dock.proxy.index(2, 0), dock.view.selectionModel().SelectionFlag.Select
        | dock.view.selectionModel().SelectionFlag.Rows)
    qtbot.keyClick(dock.view, Qt.Key.Key_Delete)
    assert _spans(window) == [("Force", 30, 35)]  # the selected rows went, not the cursor's
    assert window.status.currentMessage() == "Removed 2 codings. Ctrl+Z undoes it."
    assert window.undo_actions.undo.text() == "Undo Remove 2 codings"
    window.undo_actions.undo.trigger()
    assert len(_spans(window)) == 3


def test_the_segments_count_follows_the_filter(window, qtbot):
    pane = window.workspace.panes()[0]
    for start in (0, 60):
        _code(qtbot, pane, start, start + 25, Qt.Key.Key_3)
    dock = window.segments_dock
    qtbot.waitUntil(lambda: dock.scope.text() == "All codes: 2 segment(s)")
    dock.filter.setText(pane.view.stored_text[60:85])
    assert dock.scope.text() == "All codes: 1 of 2 segment(s)"


def test_the_menus_a_qda_user_expects(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Code", "Code&book", "&Team", "&View", "&Analysis",
                      "&Search", "&Help"]
    code_menu = window.coding.code_menu
    entries = [a.text() for a in code_menu.actions() if not a.isSeparator()]
    assert entries == ["Code &as", "Code &with…", "&Remove coding", "Edit &memo…",
                       "C&hange code…", "Ann&otate selection…", "Remove a&nnotation",
                       "&Snap selections to whole words"]
    assert window.actions_named("actionQuit").shortcut().toString() == "Ctrl+Q"
    assert window.actions_named("actionCloseProject").shortcut().isEmpty()


def test_keyboard_shortcuts_are_generated_from_the_actions(window, qtbot):
    rows = shortcut_rows(window)
    listed = {(what, key) for _where, what, key in rows}
    for action in window.findChildren(QAction):
        if action.shortcut().isEmpty() or not action.text():
            continue
        text = action.text().split("\t")[0].replace("&", "")
        assert any(what == text and action.shortcut().toString() in key
                   for what, key in listed), text
    assert ("Code as", "State justification", "1") in rows or any(
        r[1] == "State justification" and r[2] == "1" for r in rows)
    assert ("Code", "Remove coding", "Del") in rows
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() > len(rows)  # the keys, then the mouse gestures


def test_closing_the_project_leaves_an_empty_window(window, qtbot, sample_path):
    window.actions_named("actionCloseProject").trigger()
    assert window.session is None
    assert window.documents_dock.model.rowCount() == 0
    assert window.codebook_dock.model.rowCount() == 0
    assert window.status.document.text() == "No project open"
    assert not window.undo_actions.undo.isEnabled()
    assert window.coding.code_selection(1) is False
    assert window.file_actions.open_project(sample_path)
    assert window.documents_dock.model.rowCount() == 5
    assert [p.view.document_id for p in window.workspace.panes()] == [1, 2]


def test_the_active_pane_is_marked_and_an_empty_pane_says_what_to_do(window, qtbot):
    left, right = window.workspace.panes()
    window.workspace.set_active(right)
    assert right.is_active_look() and not left.is_active_look()
    pane = window.workspace.add_pane()
    assert "Double-click a document" in pane.view.placeholderText()


def test_the_import_dialog_opens_where_the_last_import_came_from(window, tmp_path,
                                                                 monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("An article.", encoding="utf-8")
    started = []

    def fake_dialog(_parent, _title, start, _filter):
        started.append(start)
        return [str(folder / "a.txt")], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_dialog)
    monkeypatch.setattr(window.file_actions, "import_paths", lambda paths, **_kw: None)
    window.file_actions.import_files()
    window.file_actions.import_files()
    assert started[1] == str(folder)
