"""Sub-codes in the window: the segments list can include them, the codebook rolls counts up."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_coding_loop import select_codepoints


def _add_sub_code(window, qtbot, parent_id: int, name: str) -> int:
    window.codebook_actions.add(name, parent_id)
    return next(c.id for c in window.session.codes.values() if c.name == name)


def _code(qtbot, window, code_id, start, end, pane_index=0):
    pane = window.workspace.panes()[pane_index]
    select_codepoints(pane.view, start, end)
    window.coding.code_selection(code_id)


def test_segments_with_sub_codes_and_rolled_up_counts(window, qtbot):
    strike = _add_sub_code(window, qtbot, 2, "Strike")
    sit_in = _add_sub_code(window, qtbot, strike, "Sit-in")
    _code(qtbot, window, 2, 0, 10)
    _code(qtbot, window, strike, 20, 30)
    _code(qtbot, window, sit_in, 40, 50, pane_index=1)
    _code(qtbot, window, 1, 60, 70)  # another root: never listed with Dissent
    model = window.codebook_dock.model
    qtbot.waitUntil(lambda: model.data(model.index_of(2, 2)) == "1 (3)")
    assert model.data(model.index_of(strike, 2)) == "1 (2)"
    assert model.data(model.index_of(sit_in, 2)) == "1"  # a leaf: its own count only
    assert "3 with its sub-codes" in model.data(model.index_of(2, 2),
                                                Qt.ItemDataRole.ToolTipRole)

    dock = window.segments_dock
    dock.show_code(2)
    assert [(s.code, s.start) for s in _rows(dock)] == [("Dissent", 0)]
    qtbot.mouseClick(dock.subcodes, Qt.MouseButton.LeftButton)
    assert dock.subcodes.isChecked()
    assert sorted((s.code, s.start) for s in _rows(dock)) == [
        ("Dissent", 0), ("Sit-in", 40), ("Strike", 20)]
    assert dock.scope.text() == "Dissent and sub-codes: 3 segment(s)"
    _code(qtbot, window, sit_in, 80, 90)  # a new coding of a sub-code joins the list
    qtbot.waitUntil(lambda: len(_rows(dock)) == 4)
    qtbot.waitUntil(lambda: model.data(model.index_of(2, 2)) == "1 (4)")
    window.undo_actions.undo.trigger()
    qtbot.waitUntil(lambda: len(_rows(dock)) == 3)
    assert model.data(model.index_of(2, 2)) == "1 (3)"
    qtbot.mouseClick(dock.subcodes, Qt.MouseButton.LeftButton)
    assert [(s.code, s.start) for s in _rows(dock)] == [("Dissent", 0)]


def _rows(dock):
    return [dock.model.segment(dock.proxy.mapToSource(dock.proxy.index(row, 0)).row())
            for row in range(dock.proxy.rowCount())]
