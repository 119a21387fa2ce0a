"""What a researcher was looking at, per project: which pane was active, where each pane was
scrolled to and where its cursor was, how the segments list was sorted, and which attribute
columns *Documents* shows. Saved when the
project is closed, restored when it is opened again (with the documents in the panes)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QTimer

if TYPE_CHECKING:
    from kzcoder.gui.coding.document_view import DocumentView

#: the main window (not imported: main_window imports this module)
MainWindow = Any


def capture(window: MainWindow) -> dict[str, object]:
    """The window's view state, as plain data."""
    panes = window.workspace.panes()
    active = window.workspace.active_pane()
    header = window.segments_dock.view.horizontalHeader()
    return {
        "active": panes.index(active) if active in panes else 0,
        "panes": [{"document": p.view.document_id,
                   "top": top_codepoint(p.view),
                   "cursor": p.view.cursor_codepoint()} for p in panes],
        "sort": [header.sortIndicatorSection(), header.sortIndicatorOrder().value],
        "attribute_columns": list(window.documents_dock.model.attribute_columns),
    }


def save(window: MainWindow) -> None:
    """Remember the view state of the window's open project."""
    if window.session is not None:
        window.settings.set_view_state(window.session.project.path,
                                       json.dumps(capture(window)))


def restore(window: MainWindow) -> None:
    """Bring back the saved view state of the open project, for the panes that show the same
    documents as then; the scrolling waits until the panes are laid out."""
    if window.session is None:
        return
    try:
        state = json.loads(window.settings.view_state(window.session.project.path) or "{}")
    except ValueError:
        return  # a hand-edited or damaged entry: the default view
    if not isinstance(state, dict):
        return
    columns = state.get("attribute_columns")
    window.documents_dock.model.set_attribute_columns(
        [c for c in columns if isinstance(c, str)] if isinstance(columns, list) else [])
    panes = window.workspace.panes()
    saved = [p for p in state.get("panes", []) if isinstance(p, dict)]
    pairs = [(pane, item) for pane, item in zip(panes, saved, strict=False)
             if item.get("document") == pane.view.document_id]
    active = state.get("active")
    if isinstance(active, int) and 0 <= active < len(panes):
        window.workspace.set_active(panes[active])
    sort = state.get("sort")
    if isinstance(sort, list) and len(sort) == 2 and all(isinstance(v, int) for v in sort):
        window.segments_dock.view.sortByColumn(sort[0], Qt.SortOrder(sort[1]))

    def scroll(tries: int) -> None:
        waiting = False
        for pane, item in pairs:
            cursor, top = item.get("cursor"), item.get("top")
            if isinstance(cursor, int) and tries == 20:
                pane.view.select_span(cursor, cursor)
            if isinstance(top, int) and not scroll_to(pane.view, top) and tries:
                waiting = True  # not laid out yet
        if waiting:
            QTimer.singleShot(50, lambda: scroll(tries - 1))

    QTimer.singleShot(0, lambda: scroll(20))


def top_codepoint(view: DocumentView) -> int:
    """The code point at the top left of *view*: what the researcher was reading."""
    position = view.cursorForPosition(QPoint(0, 0)).position()
    return view.layer.positions.to_codepoint(min(position, view.layer.positions.length16))


def scroll_to(view: DocumentView, codepoint: int) -> bool:
    """Scroll *view* so that the line holding *codepoint* is at the top; False while the
    document is not laid out far enough for that."""
    positions = view.layer.positions
    position = positions.to_utf16(min(max(codepoint, 0), positions.length))
    block = view.document().findBlock(position)
    layout = block.layout()
    if not block.isValid() or layout is None or layout.lineCount() == 0:
        return False
    line = layout.lineForTextPosition(position - block.position())
    value = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
    bar = view.verticalScrollBar()
    if bar.maximum() < value:
        return False
    bar.setValue(value)
    return True
