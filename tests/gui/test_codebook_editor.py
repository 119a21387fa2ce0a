"""The codebook dock as an editor, driven through its real widgets: add, rename in place,
recolour, move by drop, merge, delete, describe — each undone and redone, with the panes'
highlights following."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QColorDialog, QInputDialog, QLineEdit

from kzcoder.gui.mime import CODE_MIME
from kzcoder.services.segments import list_segments
from tests.gui.test_coding_loop import select_codepoints


def _names(window):
    codes = window.session.codes
    return [(c.name, codes[c.parent_id].name if c.parent_id else None)
            for c in window.session.code_list()]


def _undo_redo(window, check_before, check_after):
    window.undo_actions.undo.trigger()
    check_before()
    window.undo_actions.redo.trigger()
    check_after()


def _select(window, code_id):
    dock = window.codebook_dock
    dock.view.setFocus()
    dock.view.setCurrentIndex(dock.view_index(code_id))


def test_new_code_and_sub_code(window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Police", True))
    _select(window, 3)
    assert window.codebook_actions.new_sub_code()
    assert ("Police", "Force") in _names(window)
    assert window.codebook_dock.current_code() == max(window.session.codes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Economy", True))
    window.actions_named("actionNewCode").trigger()
    assert ("Economy", None) in _names(window)
    _undo_redo(window, lambda: ("Economy", None) not in _names(window),
               lambda: ("Economy", None) in _names(window))


def test_rename_in_place_updates_tooltips_and_undoes(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    dock = window.codebook_dock
    _select(window, 3)
    qtbot.keyClick(dock.view, Qt.Key.Key_F2)  # rename in place
    editor = dock.view.findChild(QLineEdit)
    qtbot.waitUntil(lambda: editor is not None and editor.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, "Violence")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.codes[3].name == "Violence")
    assert "Violence" in pane.view.tooltip_html_at(2)
    assert dock.view_index(3).data() == "Violence"
    assert window.undo_actions.undo.text() == "Undo Rename code to Violence"
    _undo_redo(window, lambda: "Force" in pane.view.tooltip_html_at(2),
               lambda: "Violence" in pane.view.tooltip_html_at(2))


def test_recolour_follows_in_the_panes(window, qtbot, monkeypatch):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#112233"))
    _select(window, 3)
    window.actions_named("actionRecolorCode").trigger()
    assert pane.view.layer.color(3) == "#112233"
    _undo_redo(window, lambda: pane.view.layer.color(3) == "#CC79A7",
               lambda: pane.view.layer.color(3) == "#112233")


def test_dropping_a_code_on_another_moves_it_under_it(window):
    dock = window.codebook_dock
    mime = QMimeData()
    mime.setData(CODE_MIME, b"4")
    target = dock.proxy.mapToSource(dock.view_index(3))
    dock.model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target)  # as the view does
    assert ("International reaction", "Force") in _names(window)
    assert "Moved 'International reaction'" in window.status.currentMessage()
    _undo_redo(window, lambda: ("International reaction", None) in _names(window),
               lambda: ("International reaction", "Force") in _names(window))


def test_merge_moves_the_highlights_and_undoes(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    window.codebook_actions.pick = lambda _parent, _title, items: dict(items)["Force"]
    _select(window, 2)
    window.actions_named("actionMergeCode").trigger()
    assert [c.code_id for c in pane.view.codings_at(3)] == [3]
    assert 2 not in window.session.codes
    _undo_redo(window, lambda: [c.code_id for c in pane.view.codings_at(3)] == [2],
               lambda: [c.code_id for c in pane.view.codings_at(3)] == [3])


def test_delete_keeping_sub_codes_after_the_question(window, qtbot, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Police", True))
    _select(window, 3)
    window.codebook_actions.new_sub_code()
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    questions = []
    window.codebook_actions.ask = lambda _p, text, below: questions.append(below) or "lift"
    _select(window, 3)
    qtbot.keyClick(window.codebook_dock.view, Qt.Key.Key_Delete)
    assert questions == [True]
    assert ("Police", None) in _names(window) and 3 not in window.session.codes
    assert pane.view.coding_count() == 0
    _undo_redo(window, lambda: pane.view.coding_count() == 1 and 3 in window.session.codes,
               lambda: pane.view.coding_count() == 0)


def test_the_description_is_saved_as_typed_one_undo_step_per_burst(window, qtbot):
    dock = window.codebook_dock
    _select(window, 3)
    assert dock.description.toPlainText().startswith("Code: coercion")
    dock.description.setFocus()
    dock.description.selectAll()
    qtbot.keyClicks(dock.description, "Any coercion.")
    qtbot.waitUntil(lambda: window.session.codes[3].description == "Any coercion.",
                    timeout=3000)
    assert window.undo_actions.undo.text() == "Undo Edit code description"
    window.undo_actions.undo.trigger()
    assert window.session.codes[3].description.startswith("Code: coercion")
    assert dock.description.toPlainText().startswith("Code: coercion")


def test_the_filter_keeps_the_ancestors_of_what_matches(window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Riot police", True))
    _select(window, 3)
    window.codebook_actions.new_sub_code()
    dock = window.codebook_dock
    dock.filter.setText("riot")
    QApplication.processEvents()
    assert dock.proxy.rowCount() == 1  # Force, kept for its matching sub-code
    force = dock.proxy.index(0, 0)
    assert force.data() == "Force" and dock.proxy.rowCount(force) == 1
    assert list_segments(window.session.project) == []


def test_export_then_import_a_codebook_from_the_menu(window, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    out = tmp_path / "book.qdc"
    assert window.codebook_actions.export_codebook(out)
    assert out.read_bytes().startswith(b"<?xml")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Police", True))
    _select(window, 3)
    window.codebook_actions.new_sub_code()
    target = tmp_path / "with_police.qdc"
    window.codebook_actions.export_codebook(target)
    window.undo_actions.undo.trigger()  # no Police here any more
    assert ("Police", "Force") not in _names(window)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    assert window.codebook_actions.import_codebook(target)
    assert ("Police", "Force") in _names(window)
    assert "added 1 code(s), matched 4" in window.status.currentMessage()
    window.undo_actions.undo.trigger()
    assert ("Police", "Force") not in _names(window)
