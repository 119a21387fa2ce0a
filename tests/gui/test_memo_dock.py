"""The memo dock in the real main window, driven offscreen: it follows what is selected,
saves as you type (one undo step per burst), never loses what was typed, and the lists mark
what has a memo."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kzcoder.core.records import MemoTarget
from kzcoder.db import engine as db_engine
from kzcoder.gui.memos import dock as memo_dock
from kzcoder.gui.memos.marks import MEMO_MARK
from kzcoder.gui.shell import layout
from kzcoder.gui.shell.settings import SavedLayout
from kzcoder.services.memos import get_memo
from tests.gui.conftest import open_window
from tests.gui.test_coding_loop import select_codepoints
from tests.gui.test_layout import _close, _start

H = Qt.Orientation.Horizontal


def _click_code(qtbot, window, code_id: int) -> None:
    view = window.codebook_dock.view
    rect = view.visualRect(window.codebook_dock.view_index(code_id))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _click_document(qtbot, window, row: int) -> None:
    view = window.documents_dock.view
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _type(qtbot, window, text: str) -> None:
    editor = window.memo_dock.editor
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, text)


def _in_file(path, sql: str):
    """What another program reading the project file sees."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def test_nothing_selected_shows_the_project_memo(window):
    dock = window.memo_dock
    dock.show_target(None)
    assert dock.target == MemoTarget("project")
    assert dock.heading.text() == "Memo of the project 'sample'"
    assert dock.editor.isEnabled() and not dock.editor.isReadOnly()
    assert window.actions_named("actionToggle_memoDock") is not None
    assert window.actions_named("actionFocusMemo").shortcut().toString() == "Ctrl+Shift+M"


def test_a_code_memo_typed_is_saved_after_a_pause(window, qtbot, sample_path):
    definition = window.session.codes[3].description
    _click_code(qtbot, window, 3)
    dock = window.memo_dock
    assert dock.heading.text() == "Memo of code 'Force'"
    _type(qtbot, window, "Too broad?")
    assert get_memo(window.session.project, "code", 3).text == ""  # not at every key
    qtbot.waitUntil(lambda: _in_file(sample_path, "SELECT memo FROM codes WHERE id = 3")
                    == "Too broad?", timeout=3000)
    assert window.session.codes[3].description == definition  # the definition stays
    assert window.codebook_dock.description.toPlainText() == definition


def test_a_burst_of_typing_is_one_undo_step(window, qtbot):
    session = window.session
    _click_code(qtbot, window, 3)
    steps = session.undo_stack.count()
    _type(qtbot, window, "first")
    qtbot.waitUntil(lambda: get_memo(session.project, "code", 3).text == "first", timeout=3000)
    _type(qtbot, window, " and more")  # typing again soon after a save: the same burst
    qtbot.waitUntil(lambda: get_memo(session.project, "code", 3).text == "first and more",
                    timeout=3000)
    assert session.undo_stack.count() == steps + 1
    assert window.undo_actions.undo.text() == "Undo Edit memo of code 'Force'"
    window.undo_actions.undo.trigger()
    assert get_memo(session.project, "code", 3).text == ""
    assert window.memo_dock.editor.toPlainText() == ""  # the panel shows what was undone
    window.undo_actions.redo.trigger()
    assert window.memo_dock.editor.toPlainText() == "first and more"


def test_a_long_pause_starts_another_undo_step(window, qtbot, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(memo_dock, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    session, dock = window.session, window.memo_dock
    dock.show_target(MemoTarget("document", 1))
    steps = session.undo_stack.count()
    _type(qtbot, window, "one")
    dock.save()
    clock[0] += 10  # ten seconds without typing
    _type(qtbot, window, " two")
    dock.save()
    assert session.undo_stack.count() == steps + 2
    window.undo_actions.undo.trigger()
    assert dock.editor.toPlainText() == "one"


def test_choosing_something_else_mid_typing_keeps_the_text(window, qtbot):
    project = window.session.project
    _click_code(qtbot, window, 3)
    _type(qtbot, window, "half a tho")
    _click_code(qtbot, window, 2)  # before the pause is over
    assert get_memo(project, "code", 3).text == "half a tho"
    assert window.memo_dock.heading.text() == "Memo of code 'Dissent'"
    assert window.memo_dock.editor.toPlainText() == ""
    _click_code(qtbot, window, 3)
    assert window.memo_dock.editor.toPlainText() == "half a tho"
    _type(qtbot, window, "ught")
    window.memo_dock.project_button.click()
    assert get_memo(project, "code", 3).text == "half a thought"
    assert window.memo_dock.target == MemoTarget("project")


def test_choosing_without_typing_saves_nothing(window, qtbot):
    steps = window.session.undo_stack.count()
    for code_id in (3, 2, 3, 1):
        _click_code(qtbot, window, code_id)
        qtbot.mouseClick(window.memo_dock.editor.viewport(), Qt.MouseButton.LeftButton)
    assert window.memo_dock.heading.text() == "Memo of code 'State justification'"
    assert window.session.undo_stack.count() == steps


def test_typing_during_an_import_is_saved_after_it(window, qtbot, monkeypatch):
    from kzcoder.gui.operations.session import ProjectSession

    _click_code(qtbot, window, 3)
    busy = ProjectSession.busy
    monkeypatch.setattr(ProjectSession, "busy", property(lambda _self: True))
    _type(qtbot, window, "while importing")
    assert not window.memo_dock.save()  # quietly: no message (a box would fail this test)
    _click_code(qtbot, window, 2)
    assert window.memo_dock.target == MemoTarget("code", 3)  # the text stays shown
    monkeypatch.setattr(ProjectSession, "busy", busy)  # the import is over
    qtbot.waitUntil(lambda: get_memo(window.session.project, "code", 3).text
                    == "while importing", timeout=3000)


def test_closing_the_window_saves_what_was_typed(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    _click_document(qtbot, window, 0)
    target = window.memo_dock.target
    assert target.kind == "document"
    _type(qtbot, window, "last words")
    window.close()
    assert _in_file(sample_path, f"SELECT memo FROM documents WHERE id = {target.id}") \
        == "last words"


def test_the_dock_follows_the_panes_and_the_segments(window, qtbot):
    dock, project = window.memo_dock, window.session.project
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 10, 20)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    [coding] = pane.view.codings_at(12)
    select_codepoints(pane.view, 12, 12)  # the cursor inside the coding
    assert dock.target == MemoTarget("coding", coding.id)
    assert dock.heading.text() == "Memo of coding 'Force' in 'Kazak Security Forces Bracing " \
                                  "for Trouble'"
    _type(qtbot, window, "irony")
    dock.save()
    assert get_memo(project, "coding", coding.id).text == "irony"
    assert "irony" in pane.view.tooltip_html_at(12)
    segments = window.segments_dock.model
    qtbot.waitUntil(lambda: segments.rowCount() == 1 and segments.segment(0).memo == "irony")
    select_codepoints(pane.view, 200, 200)  # no coding there: the pane's document
    assert dock.target == MemoTarget("document", 1)
    view = window.segments_dock.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 3))
    assert dock.target == MemoTarget("coding", coding.id)
    assert dock.editor.toPlainText() == "irony"
    pane.view.setFocus()
    window.undo_actions.undo.trigger()  # the memo
    assert dock.target == MemoTarget("document", 1)
    window.undo_actions.undo.trigger()  # the coding: its memo is gone with it
    assert pane.view.coding_count() == 0


def test_the_documents_list_and_the_codebook_mark_memos(window, qtbot):
    _click_document(qtbot, window, 0)
    document_id = window.memo_dock.target.id
    _type(qtbot, window, "Source: wire copy")
    _click_code(qtbot, window, 3)  # saves the document's memo
    _type(qtbot, window, "Overlaps Dissent")
    window.memo_dock.save()
    documents = window.documents_dock.model
    row = next(r for r in range(documents.rowCount()) if documents.document(r).id == document_id)
    title = documents.index(row, 1)
    assert title.data(Qt.ItemDataRole.DecorationRole) is not None  # the ✎ before the title
    assert MEMO_MARK not in title.data()  # the title itself, as it sorts
    assert "Source: wire copy" in title.data(Qt.ItemDataRole.ToolTipRole)
    assert documents.index(row + 1 if row == 0 else 0, 1).data(
        Qt.ItemDataRole.DecorationRole) is None
    codes = window.codebook_dock.model
    name = codes.index_of(3, 0)
    assert name.data() == f"Force {MEMO_MARK}"
    assert name.data(Qt.ItemDataRole.EditRole) == "Force"  # renaming starts from the name
    assert "Overlaps Dissent" in name.data(Qt.ItemDataRole.ToolTipRole)
    assert codes.index_of(2, 0).data() == "Dissent"
    window.undo_actions.undo.trigger()
    assert codes.index_of(3, 0).data() == "Force"


def test_a_read_only_project_shows_the_memo_read_only(qtbot, sample_path, monkeypatch):
    from kzcoder.services.memos import set_memo
    from kzcoder.services.project import Project

    with Project.open(sample_path) as project:
        set_memo(project, "project", None, "written before")
    real = db_engine.may_write
    monkeypatch.setattr(db_engine, "may_write", lambda p: p != sample_path and real(p))
    window = open_window(qtbot, sample_path)
    try:
        dock = window.memo_dock
        dock.show_target(None)
        assert dock.editor.isReadOnly() and dock.editor.toPlainText() == "written before"
        assert dock.heading.text().endswith("(read-only)")
        qtbot.keyClicks(dock.editor, "more")
        assert dock.save() and dock.editor.toPlainText() == "written before"
        assert window.session.undo_stack.count() == 0
    finally:
        window.close()


def test_a_layout_saved_before_the_memo_dock_keeps_its_panes_and_shows_the_dock(
        qtbot, sample_path):
    window = _start(qtbot, sample_path, size=(1400, 900))
    assert window.dockWidgetArea(window.memo_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert abs(window.memo_dock.width() - 1400 * layout.MEMO_SHARE) <= 12  # the default
    assert window.memo_dock.y() == window.segments_dock.y()  # beside the segments
    window.removeDockWidget(window.memo_dock)  # the docks as an older kzcoder saved them
    window.resizeDocks([window.documents_dock], [300], H)
    QApplication.processEvents()
    older = SavedLayout(None, window.saveState(), [p.width() for p in window.workspace.panes()])
    _close(window)
    window = _start(qtbot, sample_path, size=(1400, 900), saved=older)
    QApplication.processEvents()
    assert window.memo_dock.isVisible() and not window.memo_dock.isFloating()
    assert window.dockWidgetArea(window.memo_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert abs(window.documents_dock.width() - 300) <= 3  # the saved layout stands
    assert layout.layout_is_readable(window)
    _close(window)
