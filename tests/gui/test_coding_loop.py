"""The coding loop in the real main window, driven offscreen: select, code, undo, redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from kzcoder.gui.mime import CODE_MIME
from kzcoder.services.documents import document_text, import_paths
from kzcoder.services.segments import list_segments
from tests.gui.conftest import open_window


def select_codepoints(view, start: int, end: int) -> None:
    """Select with a QTextCursor in Qt's own (UTF-16) positions, as a user's drag would."""
    text = view.toPlainText()
    to16 = lambda cp: len(text[:cp].encode("utf-16-le")) // 2  # noqa: E731
    cursor = view.textCursor()
    cursor.setPosition(to16(start))
    cursor.setPosition(to16(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.setFocus()


def segments(window):
    return [(s.document_id, s.code, s.start, s.end, s.text)
            for s in list_segments(window.session.project)]


def test_first_start_shows_two_articles_side_by_side(window):
    panes = window.workspace.panes()
    assert len(panes) == 2
    assert [p.view.document_id for p in panes] == [1, 2]
    assert panes[0].view.toPlainText().startswith("Kazak Security Forces")
    assert panes[0].isVisible() and panes[1].isVisible()
    assert panes[0].geometry().right() < panes[1].geometry().left()
    assert window.documents_dock.model.rowCount() == 5
    assert window.codebook_dock.model.rowCount() == 4
    assert "sample.kzc" in window.windowTitle()


def test_shortcut_codes_exact_selection_and_undo_redo(window, qtbot):
    pane = window.workspace.panes()[1]
    text = document_text(window.session.project, 2)
    start = text.index("live firearms")
    select_codepoints(pane.view, start, start + len("live firearms"))
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert segments(window) == [(2, "State justification", start, start + 13, "live firearms")]
    assert window.undo_actions.undo.text() == "Undo Code as State justification"
    window.undo_actions.undo.trigger()
    assert segments(window) == []
    window.undo_actions.redo.trigger()
    assert segments(window) == [(2, "State justification", start, start + 13, "live firearms")]
    assert pane.view.coding_count() == 1
    qtbot.waitUntil(lambda: window.codebook_dock.model.data(
        window.codebook_dock.model.index_of(1, 2)) == "1")


def test_overlapping_codes_show_both_in_the_tooltip(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 20)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    select_codepoints(pane.view, 10, 30)
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    html = pane.view.tooltip_html_at(15)
    assert "Force" in html and "Dissent" in html and "tester" in html
    assert "Dissent" not in pane.view.tooltip_html_at(5)


def test_exact_text_is_coded_after_emoji(qtbot, tmp_path, sample_path):
    source = tmp_path / "emoji.txt"
    source.write_text("Crowd 😀😀 in Жаңаөзен 𝕏 said: e\u0301nough is enough", encoding="utf-8")
    from kzcoder.services.project import Project

    with Project.open(sample_path) as project:
        [doc] = import_paths(project, [source]).value.imported
    window = open_window(qtbot, sample_path)
    window.workspace.open_document(window.workspace.panes()[0], doc.id)
    view = window.workspace.panes()[0].view
    text = document_text(window.session.project, doc.id)
    assert view.toPlainText() == text
    start = text.index("Жаңаөзен 𝕏 said: e\u0301nough")
    end = start + len("Жаңаөзен 𝕏 said: e\u0301nough")
    select_codepoints(view, start, end)
    assert view.selection_span() == (start, end)
    qtbot.keyClick(view, Qt.Key.Key_4)
    [segment] = list_segments(window.session.project, document=doc.id)
    assert segment.text == "Жаңаөзен 𝕏 said: e\u0301nough"
    assert (segment.start, segment.end) == (start, end)
    window.close()


def test_keyboard_only_loop(window, qtbot):
    docs = window.documents_dock.view
    docs.setFocus()
    qtbot.keyClick(docs, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(docs, Qt.Key.Key_Down)
    qtbot.keyClick(docs, Qt.Key.Key_Down)  # third article by date
    row = docs.currentIndex()
    expected = row.data(Qt.ItemDataRole.UserRole)
    window.workspace.set_active(window.workspace.panes()[1])
    qtbot.keyClick(docs, Qt.Key.Key_Return)
    view = window.workspace.panes()[1].view
    assert view.document_id == expected
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    word_select = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right, word_select)
    span = view.selection_span()
    assert span is not None and span[0] == 0 and span[1] > 5
    qtbot.keyClick(view, Qt.Key.Key_2)
    text = document_text(window.session.project, expected)
    coded = text[:span[1]].rstrip()  # the space after the last word is left out
    assert text[span[1] - 1] == " " and segments(window) == [
        (expected, "Dissent", 0, len(coded), coded)]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert segments(window) == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert len(segments(window)) == 1


def test_a_plain_click_on_a_code_retrieves_and_codes_nothing(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 5, 12)
    dock = window.codebook_dock
    rect = dock.view.visualRect(dock.view_index(4))
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert segments(window) == []  # a selection was present: still nothing is coded
    assert window.segments_dock.scope.text() == "International reaction: 0 segment(s)"
    assert pane.view.selection_span() == (5, 12)  # the selection stays for the next gesture


@pytest.mark.parametrize("gesture", ["ctrl-click", "enter"])
def test_coding_from_the_codebook_is_its_own_gesture(window, qtbot, gesture):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 6, 12)
    dock = window.codebook_dock
    index = dock.view_index(4)
    rect = dock.view.visualRect(index)
    viewport = dock.view.viewport()
    if gesture == "ctrl-click":
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier, rect.center())
    else:
        dock.view.setFocus()
        dock.view.setCurrentIndex(index)
        qtbot.keyClick(dock.view, Qt.Key.Key_Return)
    assert [s[1:4] for s in segments(window)] == [("International reaction", 6, 12)]


def test_dropping_a_code_on_the_selection_codes_it(window):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 40, 50)
    mime = QMimeData()
    mime.setData(CODE_MIME, b"3")
    viewport = pane.view.viewport()
    for event_type in ("enter", "drop"):
        if event_type == "enter":
            from PySide6.QtGui import QDragEnterEvent
            event = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        else:
            event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                               Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    assert [s[1:4] for s in segments(window)] == [("Force", 40, 50)]
    assert pane.view.selection_span() == (40, 50)


def test_context_menu_remove_memo_and_change_code(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 10)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    [coding] = pane.view.codings_at(3)
    menu = window.coding.build_context_menu(pane, 3, [coding.id])
    assert menu.findChild(type(menu), "menuCodeAs").isEnabled()
    window.coding.set_memo(coding.id, "official framing")
    assert list_segments(window.session.project)[0].memo == "official framing"
    assert "official framing" in pane.view.tooltip_html_at(3)
    menu = window.coding.build_context_menu(pane, 3, [coding.id])
    change = next(a for a in menu.findChildren(type(window.coding.remove_action))
                  if a.objectName() == f"actionChangeCodePick_{coding.id}")
    asked = []
    window.coding.pick = lambda _w, _t, prompt, codes, exclude=None: (
        asked.append((prompt, exclude, len(codes))) or 3)
    change.trigger()
    assert asked == [("Change the coding 'State justification' by tester to:", 1, 4)]
    assert segments(window)[0][1] == "Force"
    window.undo_actions.undo.trigger()
    assert segments(window)[0][1] == "State justification"
    menu = window.coding.build_context_menu(pane, 3, [coding.id])
    remove = next(a for a in menu.findChildren(type(window.coding.remove_action))
                  if a.objectName() == f"actionRemoveCoding_{coding.id}")
    remove.trigger()
    assert segments(window) == []
    assert pane.view.codings_at(3) == []
    window.undo_actions.undo.trigger()
    assert len(segments(window)) == 1 and len(pane.view.codings_at(3)) == 1


def test_a_long_document_paints_nearby_codings_first_then_loads_the_rest(qtbot, tmp_path,
                                                                          sample_path):
    from kzcoder.gui.shell import workspace
    from kzcoder.services.codings import add_codings
    from kzcoder.services.project import Project

    source = tmp_path / "long.txt"
    source.write_text("".join(f"Paragraph {i} 😀 of a long report.\n" for i in range(3000)),
                      encoding="utf-8")
    with Project.open(sample_path) as project:
        [doc] = import_paths(project, [source]).value.imported
        add_codings(project, [(doc.id, 1, 0, 10), (doc.id, 2, doc.length - 20, doc.length - 5),
                              (doc.id, 3, 5, doc.length - 1)], coder="ana")
    window = open_window(qtbot, sample_path)
    pane = window.workspace.panes()[0]
    window.workspace.open_document(pane, doc.id)
    assert len(pane.view.layer.codings) == 2  # the first paint needs only what is near the top
    assert len(pane.view.codings_at(7)) == 2
    qtbot.waitUntil(lambda: pane.view.coding_count() == 3)
    assert [c.code_id for c in pane.view.codings_at(doc.length - 10)] == [3, 2]

    [far] = [s for s in list_segments(window.session.project, document=doc.id) if s.code_id == 2]
    window.workspace.open_document(pane, 1)
    # opens at the segment: its coding is there on the first paint
    window.workspace.show_segment(far.document_id, far.start, far.end)
    assert pane.view.selection_span() == (far.start, far.end)
    assert [c.code_id for c in pane.view.codings_at(far.start)] == [3, 2]
    assert doc.length // 2 > workspace.OPEN_REGION
    window.close()
