"""Docks, panes, status bar, file actions and persistence of the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kzcoder.services.documents import document_text
from kzcoder.services.segments import list_segments
from tests.gui.conftest import import_and_wait, open_window
from tests.gui.test_coding_loop import select_codepoints


def test_segments_dock_lists_filters_and_jumps_to_a_segment(window, qtbot):
    left, right = window.workspace.panes()
    select_codepoints(left.view, 0, 41)
    qtbot.keyClick(left.view, Qt.Key.Key_3)
    text4 = document_text(window.session.project, 4)
    start = text4.index("kill without warning")
    window.workspace.open_document(right, 4)
    select_codepoints(right.view, start, start + 20)
    qtbot.keyClick(right.view, Qt.Key.Key_3)
    window.workspace.open_document(right, 2)  # segment's document is no longer open anywhere

    dock = window.segments_dock
    qtbot.waitUntil(lambda: dock.proxy.rowCount() == 2)
    assert dock.scope.text().startswith("All codes: 2")
    dock.filter.setText("WITHOUT warn")
    assert dock.proxy.rowCount() == 1
    index = dock.proxy.index(0, 3)
    assert index.data() == "kill without warning"
    dock.view.doubleClicked.emit(index)
    pane = window.workspace.active_pane()
    assert pane.view.document_id == 4
    assert pane.view.selection_span() == (start, start + 20)
    assert pane.view.textCursor().selectedText() == "kill without warning"


def test_panes_add_up_to_four_and_close(window):
    for _ in range(3):
        window.workspace.add_pane()
    assert len(window.workspace.panes()) == 4
    window.actions_named("actionAddPane").trigger()
    assert len(window.workspace.panes()) == 4
    window.workspace.set_active(window.workspace.panes()[3])
    window.actions_named("actionClosePane").trigger()
    assert len(window.workspace.panes()) == 3
    pane = window.workspace.panes()[2]
    pane.findChild(QWidget, "paneCloseButton").click()
    assert len(window.workspace.panes()) == 2


def test_status_bar_names_document_selection_and_coder(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 12)
    window.status.refresh()
    assert window.status.selection.text() == "Selection: 12 characters"
    assert window.status.document.text() == "Kazak Security Forces Bracing for Trouble"
    assert window.status.coder.text() == "Coder: tester"
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    assert window.status.codings.text() == "1 coding in this document"


def test_everything_is_as_it_was_after_closing_and_reopening(qtbot, window, sample_path):
    pane = window.workspace.panes()[1]
    select_codepoints(pane.view, 5, 8)
    qtbot.keyClick(pane.view, Qt.Key.Key_4)
    window.workspace.open_document(window.workspace.panes()[0], 5)
    window.close()
    again = open_window(qtbot, sample_path)
    assert [p.view.document_id for p in again.workspace.panes()] == [5, 2]
    assert [(s.start, s.end, s.code) for s in list_segments(again.session.project)] == [
        (5, 8, "International reaction")]
    assert again.workspace.panes()[1].view.coding_count() == 1
    again.close()


def test_import_reports_refusals_and_lists_new_documents(qtbot, window, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "new.txt").write_text("a new report", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    report = import_and_wait(qtbot, window, [folder])
    assert [d.name for d in report.imported] == ["new"]
    assert [r.reason for r in report.refused] == ["empty.txt: empty file"]
    assert window.documents_dock.model.rowCount() == 6


def test_opening_a_bad_project_shows_one_message_and_keeps_the_current(window, tmp_path,
                                                                        monkeypatch):
    bad = tmp_path / "bad.kzc"
    bad.write_bytes(b"garbage")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert not window.file_actions.open_project(bad)
    assert shown == [f"{bad}: not a kzcoder project file"]
    assert window.session.project.path.name == "sample.kzc"
    assert bad.read_bytes() == b"garbage"


def test_widgets_and_actions_have_object_names(window):
    for name in ("documentsDock", "documentsView", "codebookDock", "codebookView",
                 "segmentsDock", "segmentsView", "segmentsFilter", "workspace", "statusCoder",
                 "statusSelection", "statusDocument", "statusCodings"):
        assert window.findChild(QWidget, name) is not None, name
    for name in ("actionNewProject", "actionOpenProject", "actionImportDocuments",
                 "actionQuit", "actionCloseProject", "actionUndo", "actionRedo", "actionAddPane",
                 "actionClosePane",
                 "actionCode_1", "actionCode_4", "actionRemoveCodingAtCursor",
                 "actionToggle_documentsDock", "actionToggle_segmentsDock", "actionNextPane",
                 "actionFocusDocuments", "actionFocusCodebook", "actionDeleteCode",
                 "actionRenameCode", "actionRecolorCode", "actionRemoveSelectedSegments",
                 "actionEditMemoAtCursor", "actionShortcuts", "actionAbout",
                 "actionResetLayout"):
        assert window.actions_named(name) is not None, name
    pane = window.workspace.panes()[0]
    for name in ("documentView", "codingMargin", "paneTitle", "paneCloseButton"):
        assert pane.findChild(QWidget, name) is not None or pane.objectName() == name, name


def test_delete_key_removes_the_coding_under_the_cursor(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    select_codepoints(pane.view, 4, 4)
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert list_segments(window.session.project) == []
    assert window.undo_actions.undo.text() == "Undo Remove coding"


def _rows(window):
    QApplication.processEvents()  # the dock follows codings one event-loop turn after the pane
    model = window.segments_dock.model
    return [(model.segment(r).code, model.segment(r).start) for r in range(model.rowCount())]


def test_segments_dock_follows_codings_in_place(window, qtbot):
    pane = window.workspace.panes()[0]
    for start, key in ((30, Qt.Key.Key_3), (10, Qt.Key.Key_3), (20, Qt.Key.Key_1)):
        select_codepoints(pane.view, start, start + 5)
        qtbot.keyClick(pane.view, key)
    assert _rows(window) == [("Force", 10), ("State justification", 20), ("Force", 30)]
    window.segments_dock.show_code(3)
    assert _rows(window) == [("Force", 10), ("Force", 30)]
    [coding] = pane.view.codings_at(12)
    # Force -> Dissent: it leaves the list
    window.coding.change_code(coding.id, window.session.codes[2])
    assert _rows(window) == [("Force", 30)]
    assert window.segments_dock.scope.text() == "Force: 1 segment(s)"
    window.undo_actions.undo.trigger()
    assert _rows(window) == [("Force", 10), ("Force", 30)]
    window.coding.set_memo(coding.id, "a memo")
    qtbot.waitUntil(lambda: window.segments_dock.model.segment(0).memo == "a memo")


def test_a_big_project_does_not_list_every_segment_on_opening(qtbot, sample_path, monkeypatch):
    from kzcoder.gui.segments import dock as segments_dock

    monkeypatch.setattr(segments_dock, "SHOW_ALL_SEGMENTS_UP_TO", -1)
    window = open_window(qtbot, sample_path)
    assert window.segments_dock.model.rowCount() == 0
    assert window.segments_dock.scope.text().startswith("Click a code")
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 5)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert window.segments_dock.model.rowCount() == 0  # still waiting for a code
    window.segments_dock.show_code(1)
    assert _rows(window) == [("State justification", 0)]
    window.close()


def test_open_recent_lists_and_opens_earlier_projects(window, tmp_path, sample_template, qtbot):
    import shutil

    other = tmp_path / "other.kzc"
    shutil.copy(sample_template, other)
    assert window.file_actions.open_project(other)
    window.file_actions.fill_recent_menu()
    entries = [a for a in window.file_actions.recent_menu.actions()
               if a.objectName().startswith("actionRecent")]
    first_project = window.settings.recent_projects()[1]
    assert [a.text() for a in entries][:2] == [str(other), str(first_project)]
    old_session = window.session
    entries[1].trigger()  # back to the first project
    assert window.session.project.path.name == "sample.kzc"
    assert not window.undo_actions.undo.isEnabled()  # a fresh undo history per project
    session_type = type(old_session)
    qtbot.waitUntil(lambda: window.findChildren(session_type) == [window.session])  # freed
