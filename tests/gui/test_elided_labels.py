"""Titles and labels end in "…" when narrow, never clipped, with the whole text in the
tooltip: a pane's title (bold when active), the segments list's scope, the memo heading."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kzcoder.gui.elided_label import ElidedLabel


def test_elided_label_shows_what_fits_and_keeps_the_whole_text(qtbot):
    label = ElidedLabel("Terrorist / foreign-plot framing: 0 segment(s)")
    qtbot.addWidget(label)
    label.resize(120, 20)
    label.show()
    shown = label.shown_text()
    assert shown.endswith("…") and len(shown) < len(label.text())
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == label.text()
    label.resize(2000, 20)
    assert label.shown_text() == label.text()
    label.setToolTip("own tooltip")
    label.setText("another")
    assert label.toolTip() == "own tooltip"  # the owner's tooltip is kept


def test_the_active_pane_title_is_elided_in_bold_too(window, qtbot):
    pane = window.workspace.panes()[1]
    window.workspace.set_active(pane)
    QApplication.processEvents()
    label = pane._title_label
    assert label.font().bold()
    width = label.contentsRect().width()
    assert label.fontMetrics().horizontalAdvance(label.shown_text()) <= width
    full = pane.title()
    assert label.text() == full and full in label.toolTip()
    window.resize(700, 600)  # narrow: two panes of about 150 pixels
    qtbot.waitUntil(lambda: label.shown_text() != full)
    assert label.shown_text().endswith("…")
    scope = window.segments_dock.scope
    assert scope.fontMetrics().horizontalAdvance(scope.shown_text()) \
        <= scope.contentsRect().width()
