"""A narrow codebook: sub-code names end in "…" (never cut off bare or reduced to nothing),
Key and Docs give the names their room, and the tooltip names the code whole with its key and
counts. The text is measured as the view paints it: the style's text rectangle of the item,
less the style's text margins, elided by the font's metrics."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from kzcoder.core.changes import Changes
from kzcoder.services.codebook.editing import add_code

LONG = ("Terrorist / foreign-plot framing", "Economic grievance of oil workers")


def painted_text(view, index) -> str:
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    style = view.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return option.fontMetrics.elidedText(option.text, option.textElideMode,
                                         rect.width() - 2 * margin)


def _with_subcodes(window):
    project = window.session.project
    add_code(project, LONG[0], "#336699", parent="State justification")
    add_code(project, LONG[1], "#996633", parent="Dissent")
    window.session.announce(Changes.everything())
    QApplication.processEvents()
    dock = window.codebook_dock
    dock.filter.clear()
    dock.view.expandAll()
    return dock


def _subcode_indexes(dock):
    found = []
    proxy = dock.view.model()
    for row in range(proxy.rowCount()):
        parent = proxy.index(row, 0)
        found += [proxy.index(r, 0, parent) for r in range(proxy.rowCount(parent))]
    return found


def test_sub_code_names_in_a_narrow_codebook_end_in_an_ellipsis(window, qtbot):
    dock = _with_subcodes(window)
    window.resizeDocks([dock], [200], Qt.Orientation.Horizontal)
    header = dock.view.header()
    qtbot.waitUntil(lambda: dock.view.width() <= 210 and header.isSectionHidden(1))
    assert header.isSectionHidden(3) and not header.isSectionHidden(2)
    subcodes = _subcode_indexes(dock)
    assert sorted(i.data() for i in subcodes) == sorted(LONG)
    for index in subcodes:
        shown = painted_text(dock.view, index)
        name = index.data()
        assert shown.endswith("…"), shown
        assert len(shown) >= 9 and name.startswith(shown[:-1]), shown  # a readable start
        assert dock.view.visualRect(index).right() <= dock.view.viewport().width()
        assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(f"{name}\n0 codings in 0 "
                                                                   "documents")
    # what the layout report tells the real-window test (tests/realwindow) is this text
    assert {n: shown for depth, n, shown in dock.shown_names() if depth == 1} == {
        i.data(): painted_text(dock.view, i) for i in subcodes}


def test_wide_enough_the_columns_come_back_and_names_are_whole(window, qtbot):
    dock = _with_subcodes(window)
    window.resizeDocks([dock], [200], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: dock.view.header().isSectionHidden(1))
    window.resizeDocks([dock], [560], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: not dock.view.header().isSectionHidden(1))
    assert not dock.view.header().isSectionHidden(3)
    for index in _subcode_indexes(dock):
        assert painted_text(dock.view, index) == index.data()
    key_index = dock.view.model().index(0, 0)
    assert "\nKey 1 · " in key_index.data(Qt.ItemDataRole.ToolTipRole)
