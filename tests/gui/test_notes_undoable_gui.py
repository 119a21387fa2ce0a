"""Issue 24 in the window, undoable: the Journal tab's add, edit and remove; annotating the
selected text of a pane (shown in the margin, removed from the cursor or the context menu);
code sets made, changed and removed from the codebook. Each through the actions a user
triggers, each undone and redone with Edit ▸ Undo/Redo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from kzcoder.services.annotation import list_annotations
from kzcoder.services.code_sets import list_code_sets
from kzcoder.services.documents import document_text
from kzcoder.services.journal import list_entries
from tests.gui.test_coding_loop import select_codepoints
from tests.gui.test_export_actions import trigger


def _undo(window):
    window.undo_actions.undo.trigger()


def _redo(window):
    window.undo_actions.redo.trigger()


def test_journal_add_edit_remove_are_undone_and_redone(window, qtbot, monkeypatch):
    dock = window.memo_dock
    dock.tabs.setCurrentWidget(dock.journal)
    panel = dock.journal
    project = window.session.project
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Plan", True))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.editor, "fir")
    panel.save()
    qtbot.keyClicks(panel.editor, "st")  # the same burst of typing: one undo step
    panel.save()
    assert [(e.title, e.text) for e in list_entries(project)] == [("Plan", "first")]
    assert list_entries(project)[0].modified  # an edit gives it a modification time
    assert window.session.undo_stack.count() == 2  # the entry, the typing
    _undo(window)  # the edit
    assert [(e.title, e.text, e.modified) for e in list_entries(project)] == [("Plan", "", "")]
    assert panel.editor.toPlainText() == ""
    _undo(window)  # the entry
    assert list_entries(project) == [] and panel.entries.count() == 0
    _redo(window)
    _redo(window)
    assert [(e.title, e.text) for e in list_entries(project)] == [("Plan", "first")]
    assert panel.entries.count() == 1
    panel.entries.setCurrentRow(0)
    assert panel.editor.toPlainText() == "first"
    entry = list_entries(project)[0]
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)  # no question: undoable
    assert list_entries(project) == []
    _undo(window)
    assert list_entries(project) == [entry]  # its id, GUID and times as they were
    assert panel.entries.count() == 1


def test_annotating_the_selection_marks_the_margin_and_undoes(window, qtbot, monkeypatch):
    project = window.session.project
    pane = window.workspace.panes()[0]
    window.workspace.open_document(pane, 1)
    qtbot.waitUntil(lambda: pane.view.document_id == 1, timeout=5_000)
    text = document_text(project, 1)
    start = text.index(" ") + 1
    select_codepoints(pane.view, start - 1, start + 8)  # a space at the front is left out
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("who said this? 😀", True))
    trigger(window, "actionAnnotate")
    [note] = list_annotations(project, 1)
    assert (note.start, note.end, note.text) == (start, start + 8, "who said this? 😀")
    assert note.author == window.session.coder
    margin = pane.view.margin
    qtbot.waitUntil(lambda: bool(margin.note_rects()), timeout=5_000)
    assert [t for _r, t in margin.note_rects()] == ["who said this? 😀"]
    _undo(window)
    assert list_annotations(project, 1) == [] and margin.note_rects() == []
    _redo(window)
    assert list_annotations(project, 1) == [note]  # back under its id and GUID
    assert [t for _r, t in margin.note_rects()] == ["who said this? 😀"]
    menu = window.coding.build_context_menu(pane, start + 2, [])
    remove = menu.findChild(type(menu.actions()[0]), f"actionRemoveAnnotation_{note.id}")
    remove.trigger()
    assert list_annotations(project, 1) == [] and margin.note_rects() == []
    _undo(window)
    select_codepoints(pane.view, start + 3, start + 3)
    assert window.coding.remove_annotation_at_cursor()
    assert list_annotations(project, 1) == []


def test_code_sets_from_the_codebook_are_undoable(window, qtbot, monkeypatch):
    dock = window.codebook_dock
    project = window.session.project
    names = {c.id: c.name for c in window.session.code_list()}
    dock.view.setFocus()
    dock.view.setCurrentIndex(dock.view_index(1))
    # a new set's name is typed; then the first choice offered is taken
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Actors", True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    trigger(window, "actionAddToCodeSet")
    assert [(s.name, s.codes) for s in list_code_sets(project)] == [("Actors", (1,))]
    dock.view.setCurrentIndex(dock.view_index(2))
    trigger(window, "actionAddToCodeSet")
    assert [(s.name, s.codes) for s in list_code_sets(project)] == [("Actors", (1, 2))]
    tip = dock.model.data(dock.model.index_of(2), Qt.ItemDataRole.ToolTipRole)
    assert dock.model.code_sets_of(2) == ["Actors"] and "In code sets: Actors" in tip
    _undo(window)
    assert [(s.name, s.codes) for s in list_code_sets(project)] == [("Actors", (1,))]
    assert dock.model.code_sets_of(2) == []
    _redo(window)
    trigger(window, "actionTakeFromCodeSet")  # the pick answers its first: Actors
    assert [(s.name, s.codes) for s in list_code_sets(project)] == [("Actors", (1,))]
    trigger(window, "actionRemoveCodeSet")
    assert list_code_sets(project) == []
    _undo(window)
    assert [(s.name, s.codes) for s in list_code_sets(project)] == [("Actors", (1,))]
    assert names[1] in [c.name for c in window.session.code_list()]  # the code stays
