"""Analysis ▸ Code matrix…, Co-occurrence…: the menu that opens the analysis area's tabs, and
the gesture that lists a clicked cell's segments in *Coded segments*."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from kzcoder.gui.analysis.area import AnalysisDock


def add_analysis_menu(window: QMainWindow, dock: AnalysisDock) -> QMenu:
    """The Analysis menu, placed before Help (or last)."""
    menu = QMenu("&Analysis", window, objectName="menuAnalysis")
    for text, name, slot in (("Code &matrix…", "actionCodeMatrix", dock.show_matrix),
                             ("&Co-occurrence…", "actionCooccurrence", dock.show_cooccurrence)):
        action = QAction(text, window, objectName=name)
        action.triggered.connect(lambda _checked=False, call=slot: call())
        menu.addAction(action)
    bar = window.menuBar()
    help_menu = next((a for a in bar.actions()
                      if a.menu() is not None and a.menu().objectName() == "menuHelp"), None)
    if help_menu is None:
        bar.addMenu(menu)
    else:
        bar.insertMenu(help_menu, menu)
    return menu


def show_in_segments(segments_dock, segments: list, title: str) -> None:  # noqa: ANN001
    """List *segments* (a clicked cell's) in the *Coded segments* dock under *title*."""
    segments_dock.loaded = True
    segments_dock.set_segments(segments)
    segments_dock.scope.setText(f"{title}: {len(segments)} segment(s)")
    segments_dock.show()
    segments_dock.raise_()
