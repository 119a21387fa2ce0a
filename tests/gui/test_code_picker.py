"""The type-to-filter code picker: Code ▸ Code with… (Ctrl+K) and Change code…
(Ctrl+Shift+K), driven by keys as a user would."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kzcoder.gui.coding.code_picker import CodePicker
from kzcoder.services.segments import list_segments
from tests.gui.test_coding_loop import select_codepoints


def _type_in_picker(qtbot, keys: list, seen: list) -> None:
    """When the picker shows, type *keys* into it (strings are typed, keys pressed)."""
    def answer() -> None:
        picker = QApplication.activeModalWidget()
        if not isinstance(picker, CodePicker):
            QTimer.singleShot(20, answer)
            return
        seen.append([picker.list.item(r).text() for r in range(picker.list.count())
                     if not picker.list.item(r).isHidden()])
        for key in keys:
            if isinstance(key, str):
                qtbot.keyClicks(picker.search, key)
                seen.append([picker.list.item(r).text() for r in range(picker.list.count())
                             if not picker.list.item(r).isHidden()])
            else:
                qtbot.keyClick(picker.search, key)
    QTimer.singleShot(20, answer)


def test_code_with_filters_by_typing_and_change_code_picks_another(window, qtbot):
    window.codebook_actions.add("Strike", 2)
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 5)
    seen: list = []
    _type_in_picker(qtbot, ["dis", Qt.Key.Key_Down, Qt.Key.Key_Return], seen)
    qtbot.keyClick(pane.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert seen[0][:2] == ["State justification", "Dissent"] and "Dissent / Strike" in seen[0]
    assert seen[1] == ["Dissent", "Dissent / Strike"]  # any part of the path matches
    [segment] = list_segments(window.session.project)
    assert (segment.code, segment.start, segment.end) == ("Strike", 0, 5)

    select_codepoints(pane.view, 2, 2)
    window.activateWindow()  # back from the dialog
    qtbot.waitUntil(lambda: window.isActiveWindow() and pane.view.hasFocus())
    seen.clear()
    _type_in_picker(qtbot, ["reac", Qt.Key.Key_Return], seen)
    qtbot.keyClick(pane.view, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Dissent / Strike" not in seen[0]  # its own code is not offered
    assert seen[1] == ["International reaction"]
    assert [s.code for s in list_segments(window.session.project)] == ["International reaction"]
    assert window.undo_actions.undo.text() == "Undo Change code to International reaction"
