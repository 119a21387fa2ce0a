"""Ctrl+M: the memo dialog names its coding and, where codings overlap, lets the researcher
choose which coding's memo to write."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kzcoder.gui.coding.memo_dialog import CodingMemoDialog, excerpt
from kzcoder.services.segments import list_segments
from tests.gui.test_coding_loop import select_codepoints


def _when_shown(act) -> None:
    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, CodingMemoDialog):
            act(dialog)
        else:
            QTimer.singleShot(20, check)
    QTimer.singleShot(20, check)


def _memos(window):
    return {(s.code, s.start): s.memo for s in list_segments(window.session.project)}


def test_ctrl_m_names_the_coding_and_offers_each_overlapping_one(window, qtbot):
    pane = window.workspace.panes()[0]
    text = pane.view.stored_text
    select_codepoints(pane.view, 0, 21)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    select_codepoints(pane.view, 6, 14)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    select_codepoints(pane.view, 8, 8)
    seen = []

    def answer(dialog: CodingMemoDialog) -> None:
        seen.append((dialog.which.isVisibleTo(dialog), dialog.which.count(),
                     dialog.about.text()))
        dialog.which.setCurrentIndex(1)  # the older, wider coding
        seen.append(dialog.about.text())
        qtbot.keyClicks(dialog.editor, "official framing")
        dialog.accept()

    _when_shown(answer)
    qtbot.keyClick(pane.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert seen[0] == (True, 2, f"Memo of the coding 'Force' by tester on “{text[6:14]}”")
    assert seen[1] == f"Memo of the coding 'State justification' by tester on “{text[0:21]}”"
    assert _memos(window) == {("State justification", 0): "official framing", ("Force", 6): ""}
    window.undo_actions.undo.trigger()
    assert _memos(window)[("State justification", 0)] == ""


def test_a_single_coding_has_no_choice_and_cancel_changes_nothing(window, qtbot):
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 5)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    select_codepoints(pane.view, 2, 2)
    seen = []

    def answer(dialog: CodingMemoDialog) -> None:
        seen.append(dialog.which.isVisibleTo(dialog))
        qtbot.keyClicks(dialog.editor, "not kept")
        dialog.reject()

    _when_shown(answer)
    qtbot.keyClick(pane.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert seen == [False]
    assert _memos(window) == {("State justification", 0): ""}


def test_excerpt_is_one_line_and_ends_with_an_ellipsis_when_cut():
    assert excerpt("a\nb  c") == "a b c"
    assert excerpt("word " * 40, 20) == "word word word word…"
