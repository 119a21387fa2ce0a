"""Two coders' readings of one article side by side: the same document in two panes, a
different coder in each (the pane's coder filter), margins and tooltips naming the coder, and
the segments dock filtered by coder."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project
from tests.gui.conftest import open_window
from tests.gui.test_coding_loop import select_codepoints

SPANS = {"ana": [(0, 20), (40, 80)], "bek": [(10, 30), (100, 140), (200, 210)]}


def _coded(path):
    with Project.open(path) as project:
        for coder, spans in SPANS.items():
            for start, end in spans:
                add_coding(project, 1, "Force", start, end, coder=coder, memo="")
    return path


def _pick(box, text: str) -> None:
    """Choose an item as a user does: the combo box's activated signal."""
    index = next(i for i in range(box.count()) if box.itemText(i).startswith(text))
    box.setCurrentIndex(index)
    box.activated.emit(index)


def _coders_shown(pane) -> list[tuple[str, int, int]]:
    return sorted((c.coder, c.start, c.end) for c in pane.view.layer.codings.values())


def test_one_document_in_two_panes_one_coder_in_each(qtbot, sample_path):
    window = open_window(qtbot, _coded(sample_path))
    left, right = window.workspace.panes()[:2]
    window.workspace.open_document(left, 1)
    window.workspace.open_document(right, 1)
    qtbot.waitUntil(lambda: len(right.view.layer.codings) == 5)
    assert [left.coder_box.itemText(i) for i in range(left.coder_box.count())] == [
        "All coders", "Only mine (tester)", "ana", "bek"]
    _pick(left.coder_box, "ana")
    _pick(right.coder_box, "bek")
    assert _coders_shown(left) == [("ana", s, e) for s, e in SPANS["ana"]]
    assert _coders_shown(right) == [("bek", s, e) for s, e in SPANS["bek"]]
    assert "bek" in right.view.tooltip_html_at(15) and "ana" not in right.view.tooltip_html_at(15)
    assert "ana" in left.view.tooltip_html_at(15)
    # the margin's bar names its code and coder
    rect, _code = left.view.margin.bar_rects()[0]
    tip = left.view.margin.bar_tooltip(rect.center())
    assert "Force" in tip and "ana" in tip and "bek" not in tip
    assert left.view.margin.bar_tooltip(rect.topRight() + QPoint(20, 0)) == ""  # off the bars

    # coding by key in the right pane: mine, so not shown there (bek's pane) but in mine
    select_codepoints(right.view, 300, 320)
    qtbot.keyClick(right.view, Qt.Key.Key_3)
    assert ("tester", 300, 320) not in _coders_shown(right)
    _pick(left.coder_box, "Only mine")
    assert _coders_shown(left) == [("tester", 300, 320)]
    _pick(left.coder_box, "All coders")
    assert len(_coders_shown(left)) == 6
    # undo takes it away from the pane that shows it
    window.undo_actions.undo.trigger()
    assert len(_coders_shown(left)) == 5


def test_the_segments_dock_lists_one_coders_segments(qtbot, sample_path):
    window = open_window(qtbot, _coded(sample_path))
    dock = window.segments_dock
    dock.show_code(None)
    assert dock.model.rowCount() == 5
    _pick(dock.coder_box, "bek")
    shown = [dock.proxy.index(r, 2).data() for r in range(dock.proxy.rowCount())]
    assert shown == ["bek"] * 3
    assert "3 of 5" in dock.scope.text()
    dock.filter.setText("no such text anywhere")
    assert dock.proxy.rowCount() == 0
    dock.filter.setText("")
    _pick(dock.coder_box, "All coders")
    assert dock.proxy.rowCount() == 5 and "3 of" not in dock.scope.text()
