"""Issue 24 in the window: the codebook's Codable box (a category is never coded with), the
memo dock's Journal tab, and the export dialog's "for NVivo" choice, driven as a user does."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from kzcoder.exchange.refi.extra import NVIVO
from kzcoder.gui.shell.export_actions import QDPX_NVIVO_FILTER
from kzcoder.services.codebook.editing import get_code
from kzcoder.services.journal import list_entries
from kzcoder.services.segments import list_segments
from tests.gui.test_coding_loop import select_codepoints
from tests.gui.test_export_actions import boxes, trigger


def test_the_codable_box_makes_a_category_that_is_never_coded_with(window, qtbot,
                                                                   monkeypatch):
    dock = window.codebook_dock
    dock.view.setFocus()
    dock.view.setCurrentIndex(dock.view_index(4))
    assert dock.codable.isChecked() and dock.codable.isEnabled()
    qtbot.mouseClick(dock.codable, Qt.MouseButton.LeftButton)
    project = window.session.project
    assert get_code(project, 4).codable is False
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_4)  # the category's key
    assert list_segments(project) == []
    assert "is a category" in window.statusBar().currentMessage()
    window.undo_actions.undo.trigger()
    assert get_code(project, 4).codable is True and dock.codable.isChecked()
    qtbot.keyClick(pane.view, Qt.Key.Key_4)
    assert len(list_segments(project)) == 1
    # a code with codings cannot become a category: the box shows what the project says
    errors = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: errors.append(text))
    qtbot.mouseClick(dock.codable, Qt.MouseButton.LeftButton)
    assert get_code(project, 4).codable is True and dock.codable.isChecked()
    assert errors and "has codings" in errors[0]


def test_the_journal_tab_adds_saves_and_removes_entries(window, qtbot, monkeypatch):
    dock = window.memo_dock
    dock.tabs.setCurrentWidget(dock.journal)
    panel = dock.journal
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Research plan", True))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.entries.count() == 1 and panel.editor.isEnabled()
    qtbot.keyClicks(panel.editor, "Interview the editors ")
    panel.editor.insertPlainText("😀")  # as an input method does (QTest cannot type it)
    project = window.session.project
    qtbot.waitUntil(lambda: [e.text for e in list_entries(project)] ==
                    ["Interview the editors 😀"], timeout=5_000)
    assert list_entries(project)[0].title == "Research plan"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert list_entries(project) == [] and panel.entries.count() == 0


def test_the_export_dialog_offers_for_nvivo(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "for-nvivo.qdpx"
    offered = []

    def save_dialog(*args, **kwargs):
        offered.append(args[3])
        return str(target), QDPX_NVIVO_FILTER

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    opened = boxes(monkeypatch)
    trigger(window, "actionExport_qdpx")
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert QDPX_NVIVO_FILTER in offered[0]
    assert f'"positions": "{NVIVO}"' in zipfile.ZipFile(target).read("kzcoder.json").decode()


def test_an_annotation_is_marked_in_the_margin_with_its_text(window, qtbot):
    from PySide6.QtCore import QPoint

    from kzcoder.services.annotation import add_annotation

    project = window.session.project
    add_annotation(project, 1, 0, 10, "check this claim", author="ana")
    pane = window.workspace.panes()[0]
    margin = pane.view.margin
    before = margin.required_width()
    window.workspace.open_document(pane, 1)
    qtbot.waitUntil(lambda: bool(margin.note_rects()), timeout=5_000)
    assert margin.required_width() > before
    rect, text = margin.note_rects()[0]
    assert text == "check this claim"
    assert "check this claim" in margin.bar_tooltip(rect.center())
    assert "check this claim" not in margin.bar_tooltip(
        QPoint(rect.center().x(), rect.bottom() + 200))  # off the mark
