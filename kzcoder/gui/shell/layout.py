"""The main window's layout: remembered on close, restored at start, checked, and the defaults.

What is remembered: the window's geometry (``saveGeometry``), its docks (``saveState``) and the
widths of the text panes (the workspace splitter's sizes), in ``settings.ini``.

Why the layout used to be crushed on every restart. kzcoder shows the bare window first and adds
its docks, central widget and menu bar afterwards (gui/shell/app.py). A widget added to a window
that is already visible is not shown at once: Qt queues its ``show()`` for the next event-loop
turn (``QLayout::addChildWidget``). ``restoreState`` called in the same turn therefore laid the
window out without a central widget and without a menu bar: the left docks received the whole
width, and when the workspace appeared a moment later it got only its minimum (two 70 px panes);
the bottom dock grew by the menu bar's height. Closing saved that crushed layout, so it came
back on every start, growing each time. ``restore_layout`` first shows those widgets and lays
the window out at its real size (``_settle``), then restores, then checks the result.

Rules (all in pixels of the window's client area):

- A text pane is never narrower than ``PANE_MIN_WIDTH`` (a widget minimum, so dragging a dock
  separator cannot crush the panes either).
- A restored layout is kept only if every text pane is at least ``readable_width`` wide and
  the panes at least ``readable_height`` high. ``readable_width`` is 300 px; in a window too
  narrow to give every pane 300 px beside the default docks, it is 90 % of the width the
  default layout gives each pane (never less than ``PANE_MIN_WIDTH``). Otherwise the defaults
  apply: Documents above Codebook on the left (27 % of the width, split in half), Coded
  segments along the bottom (25 % of the height) with the Memo beside them (30 % of the
  width), the panes sharing the rest equally. The same check applies to a layout saved on a
  larger screen. A dock missing from a saved state (saved before that dock existed, as the
  Memo) keeps the area it was built in: Qt's ``restoreState`` puts it back there, beside
  what the state restored.
- Saved pane widths are applied as proportions, and only to the same number of panes.

``reset_layout(window)`` applies the defaults (View ▸ Reset layout).

Test hook: when the environment variable ``KZCODER_LAYOUT_REPORT`` names a file, the app writes
there (JSON) the window's geometry, each dock's and each pane's, a few hundred ms after the
project opened (``"opened"``), after the panes were resized (``"latest"``) and on close
(``"closed"``). Off by default; used by ``tests/realwindow``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QWidget

from kzcoder.gui.shell.settings import SavedLayout, Settings

PANE_MIN_WIDTH = 160  #: no text pane is ever narrower (about 20 characters)
READABLE_WIDTH = 300  #: a restored layout must give each pane this much, if the window allows
READABLE_HEIGHT = 250
LEFT_SHARE = 0.27  #: the default width of the left docks (Documents, Codebook)
BOTTOM_SHARE = 0.25  #: the default height of the bottom docks (Coded segments, Memo)
MEMO_SHARE = 0.3  #: the default width of the Memo dock, right of Coded segments
DEFAULT_SIZE = (1400, 900)  #: a first start's window, made smaller to fit a small screen
REPORT_ENV = "KZCODER_LAYOUT_REPORT"
REPORT_DELAY_MS = 400

# Qt's enums are read only inside functions, as ``QtCore.Qt``: this module loads before the
# window's first paint, and creating PySide6's ``Qt`` namespace costs about 25 ms.
LEFT, BOTTOM = "left", "bottom"
#: where reset_layout puts each dock (by objectName), in order
DEFAULT_AREAS = (("documentsDock", LEFT), ("codebookDock", LEFT), ("segmentsDock", BOTTOM),
                 ("memoDock", BOTTOM))


def _dock_area(side: str):  # noqa: ANN202 - QtCore.Qt.DockWidgetArea
    area = QtCore.Qt.DockWidgetArea
    return area.LeftDockWidgetArea if side == LEFT else area.BottomDockWidgetArea


# --- geometry (before the window is shown) ---------------------------------------------------
def restore_geometry(window: QMainWindow, saved: SavedLayout) -> None:
    """Give *window* its saved geometry before it is shown (Qt accounts for the window
    manager's frame and moves a window saved on a larger screen onto this one); on a first
    start, ``DEFAULT_SIZE`` or 90 % of a smaller screen."""
    if saved.geometry is not None and window.restoreGeometry(saved.geometry):
        return
    width, height = DEFAULT_SIZE
    screen = window.screen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * 0.9))
        height = min(height, int(available.height() * 0.9))
    window.resize(width, height)


# --- restoring ---------------------------------------------------------------------------------
def restore_layout(window: QMainWindow, saved: SavedLayout) -> bool:
    """Restore the docks and pane widths of *saved* into the built, visible *window*, whose
    panes are open (both steps below at once). Returns False (and applies the defaults) when
    there was nothing to restore or the result would leave a text pane too narrow or too low
    to read."""
    return restore_panes(window, saved, restore_docks(window, saved))


def restore_docks(window: QMainWindow, saved: SavedLayout) -> bool:
    """Step 1, in the built and visible *window*, best before its panes show their texts
    (then no text is laid out at a width it will not keep): the docks as *saved*, else the
    default docks. Returns whether the saved docks were applied."""
    set_pane_minimum(window)
    _settle(window)
    if saved.state is not None and window.restoreState(saved.state):
        _settle(window)
        return True
    reset_layout(window)
    return False


def restore_panes(window: QMainWindow, saved: SavedLayout, docks_restored: bool) -> bool:
    """Step 2, once the panes are open: their saved widths, then the check. A layout that
    leaves a pane unreadable gives way to the defaults. Returns whether the saved layout
    stands."""
    set_pane_minimum(window)
    _settle(window)
    if not docks_restored:  # the default docks are in place already
        _apply_pane_sizes(window, [])
        return False
    _apply_pane_sizes(window, saved.pane_sizes)
    if layout_is_readable(window):
        return True
    reset_layout(window)
    return False


def reset_layout(window: QMainWindow) -> None:
    """The default layout of the visible *window* (View ▸ Reset layout): Documents above
    Codebook on the left (``LEFT_SHARE`` of the width, half each), Coded segments along the
    bottom (``BOTTOM_SHARE`` of the height) with the Memo right of them (``MEMO_SHARE`` of the
    width), every dock shown and docked, the text panes sharing the rest equally."""
    _settle(window)
    docks = {dock.objectName(): dock for dock in _docks(window)}
    for name, area in DEFAULT_AREAS:
        dock = docks.get(name)
        if dock is not None:
            dock.setFloating(False)
            # moves it, untabified: the left docks one above the other, the bottom ones side
            # by side
            window.addDockWidget(_dock_area(area), dock, QtCore.Qt.Orientation.Vertical
                                 if area == LEFT else QtCore.Qt.Orientation.Horizontal)
            dock.show()
    defaults = dict(DEFAULT_AREAS)
    for name, dock in docks.items():
        if name not in defaults:  # Search, Word frequencies, Analysis: opened from their menus
            dock.setFloating(False)
            dock.hide()
    _settle(window)
    width, height = window.width(), window.height()
    left = [docks[n] for n, area in DEFAULT_AREAS if area == LEFT and n in docks]
    bottom = [docks[n] for n, area in DEFAULT_AREAS if area == BOTTOM and n in docks]
    if left:
        window.resizeDocks(left[:1], [round(width * LEFT_SHARE)], QtCore.Qt.Orientation.Horizontal)
    if bottom:
        window.resizeDocks(bottom[:1], [round(height * BOTTOM_SHARE)],
                           QtCore.Qt.Orientation.Vertical)
    if len(bottom) > 1:
        memo = round(width * MEMO_SHARE)
        window.resizeDocks(bottom[:2], [width - memo, memo], QtCore.Qt.Orientation.Horizontal)
    window.layout().activate()
    if len(left) > 1:
        column = sum(d.height() for d in left)
        window.resizeDocks(left, [column // len(left)] * len(left), QtCore.Qt.Orientation.Vertical)
        window.layout().activate()
    _apply_pane_sizes(window, [])


def layout_is_readable(window: QMainWindow) -> bool:
    """Every text pane is at least ``readable_width`` wide and ``readable_height`` high."""
    panes = _panes(window)
    if not panes:
        return True
    need = readable_width(window, len(panes))
    return (all(pane.width() >= need for pane in panes)
            and _workspace(window).height() >= readable_height(window))


def readable_width(window: QMainWindow, panes: int) -> int:
    """300 px; in a window too narrow for that beside the default docks, 90 % of what the
    default layout gives each of *panes* panes (never less than ``PANE_MIN_WIDTH``)."""
    return max(PANE_MIN_WIDTH, min(READABLE_WIDTH, int(default_pane_width(window, panes) * 0.9)))


def readable_height(window: QMainWindow) -> int:
    """250 px, or half the window's height in a lower window."""
    return min(READABLE_HEIGHT, window.height() // 2)


def default_pane_width(window: QMainWindow, panes: int) -> int:
    """The width each of *panes* text panes has in the default layout of *window*."""
    separator = window.style().pixelMetric(window.style().PixelMetric.PM_DockWidgetSeparatorExtent)
    workspace = _workspace(window)
    handle = workspace.handleWidth() if workspace is not None else 5
    free = window.width() - round(window.width() * LEFT_SHARE) - separator
    return max(0, (free - handle * (panes - 1)) // max(1, panes))


def set_pane_minimum(window: QMainWindow) -> None:
    """Give every text pane the minimum width; panes added later get it too (one event-loop
    turn after they are added)."""
    workspace = _workspace(window)
    if workspace is None:
        return
    for pane in _panes(window):
        if pane.minimumWidth() < PANE_MIN_WIDTH:
            pane.setMinimumWidth(PANE_MIN_WIDTH)
    if workspace.property("kzPaneMinimum") is None:
        workspace.setProperty("kzPaneMinimum", True)
        workspace.installEventFilter(_PaneMinimum(window, workspace))


class _PaneMinimum(QObject):
    """Watches the workspace for new panes and gives them the minimum width."""

    def __init__(self, window: QMainWindow, parent: QObject) -> None:
        super().__init__(parent)
        self._window = window
        self._pending = False

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ChildAdded and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._apply)
        return False

    def _apply(self) -> None:
        self._pending = False
        set_pane_minimum(self._window)


# --- saving ------------------------------------------------------------------------------------
def save_layout(window: QMainWindow, settings: Settings) -> None:
    """Remember *window*'s geometry, docks and pane widths (only the geometry if its docks
    were never built: a state without them would be worth nothing). Call it before the
    project's panes close. Writes the ``"closed"`` report when the test hook is on."""
    write_report(window, "closed")
    if _workspace(window) is None:
        settings.set_layout(window.saveGeometry())
        return
    sizes = [pane.width() for pane in _panes(window)]
    settings.set_layout(window.saveGeometry(), window.saveState(), sizes)


# --- helpers -----------------------------------------------------------------------------------
def _settle(window: QMainWindow) -> None:
    """Show now what Qt would show on the next event-loop turn, and lay the window out.

    Children added to a visible window wait for a queued show (``_q_showIfNotHidden``); until
    then the main window's layout treats them as absent. This does what that queued call does
    (show unless hidden on purpose) for the central widget, the menu bar, the docks and the
    panes, then lays the window out at its current size.
    """
    if not window.isVisible():
        return
    widgets: list[QWidget | None] = [window.menuWidget(), window.centralWidget(), *_docks(window)]
    workspace = _workspace(window)
    if workspace is not None:
        widgets += [workspace.widget(i) for i in range(workspace.count())]
    for widget in widgets:
        if widget is not None and widget.isHidden() and not widget.testAttribute(
                QtCore.Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            widget.setVisible(True)
    window.layout().activate()


def _docks(window: QMainWindow) -> list[QDockWidget]:
    return window.findChildren(QDockWidget,
                               options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)


def _workspace(window: QMainWindow) -> QSplitter | None:
    """The splitter of text panes (None before the window is built)."""
    workspace = window.centralWidget()
    return workspace if isinstance(workspace, QSplitter) else None


def _panes(window: QMainWindow) -> list[QWidget]:
    workspace = _workspace(window)
    if workspace is None:
        return []
    return [workspace.widget(i) for i in range(workspace.count())
            if not workspace.widget(i).isHidden()]


def _apply_pane_sizes(window: QMainWindow, sizes: list[int]) -> None:
    """Saved widths as proportions when they fit the open panes; else equal widths."""
    workspace = _workspace(window)
    count = workspace.count() if workspace is not None else 0
    if count == 0:
        return
    if len(sizes) != count or min(sizes, default=0) <= 0:
        sizes = [1] * count
    total = sum(sizes)
    room = max(0, workspace.width() - workspace.handleWidth() * (count - 1))
    workspace.setSizes([max(1, round(room * s / total)) for s in sizes])


# --- the test hook -------------------------------------------------------------------------------
def report_path() -> Path | None:
    """The file named by ``KZCODER_LAYOUT_REPORT`` (None: the hook is off)."""
    value = os.environ.get(REPORT_ENV, "")
    return Path(value) if value else None


def report_later(window: QMainWindow, delay_ms: int = REPORT_DELAY_MS) -> None:
    """If the hook is on: write the ``"opened"`` report *delay_ms* after now, and a
    ``"latest"`` one whenever the panes have been resized (after a pause of *delay_ms*)."""
    if report_path() is None:
        return
    QTimer.singleShot(delay_ms, window, lambda: write_report(window, "opened"))
    workspace = _workspace(window)
    if workspace is not None:
        watcher = _ReportOnResize(window, delay_ms)
        workspace.installEventFilter(watcher)
        workspace.splitterMoved.connect(watcher.changed)


class _ReportOnResize(QObject):
    def __init__(self, window: QMainWindow, delay_ms: int) -> None:
        super().__init__(window)
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(lambda: write_report(window, "latest"))

    def changed(self) -> None:
        self._timer.start()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._timer.start()
        return False


def write_report(window: QMainWindow, event: str) -> None:
    """Add *event*'s description of the layout to the report file, if the hook is on.

    The file holds one JSON object, ``{event: {...}}`` for each event written so far, each
    with a ``serial`` that grows with every write. Geometry is ``[x, y, width, height]``, in
    global screen coordinates for the window, its frame, the docks, the panes and the panes'
    text areas (where a test can point the mouse)."""
    path = report_path()
    if path is None:
        return
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {}
    serial = 1 + max((v.get("serial", 0) for v in report.values() if isinstance(v, dict)),
                     default=0)
    report[event] = {"serial": serial, **describe(window)}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(report, indent=1), encoding="utf-8")
    temporary.replace(path)


def describe(window: QMainWindow) -> dict:
    """The layout as numbers (for the report and for tests)."""

    def rect(widget: QWidget) -> list[int]:
        origin = widget.mapToGlobal(widget.rect().topLeft())
        return [origin.x(), origin.y(), widget.width(), widget.height()]

    def plain(r: QRect) -> list[int]:
        return [r.x(), r.y(), r.width(), r.height()]

    screen = window.screen()
    result: dict = {
        "window": plain(window.geometry()),
        "frame": plain(window.frameGeometry()),
        "screen": plain(screen.geometry()) if screen is not None else None,
        "docks": {}, "panes": [], "splitter": [],
    }
    for dock in _docks(window):
        result["docks"][dock.objectName()] = {
            "visible": dock.isVisible(), "floating": dock.isFloating(),
            "area": window.dockWidgetArea(dock).name, "rect": rect(dock)}
    workspace = _workspace(window)
    if workspace is not None:
        result["splitter"] = workspace.sizes()
        result["readable_width"] = readable_width(window, max(1, len(_panes(window))))
        for pane in _panes(window):
            view = getattr(pane, "view", None)
            text = view.viewport() if view is not None else pane
            result["panes"].append({
                "width": pane.width(), "height": pane.height(), "rect": rect(pane),
                "text": rect(text),
                "document_id": getattr(view, "document_id", None),
                "codings": view.coding_count() if view is not None else 0})
    codebook = getattr(window, "codebook_dock", None)
    if codebook is not None:
        header = codebook.view.header()
        result["codebook"] = {
            "width": codebook.view.viewport().width(),
            "hidden_columns": [c for c in range(header.count()) if header.isSectionHidden(c)],
            "names": codebook.shown_names()}
    status = getattr(window, "status", None)
    if status is not None and hasattr(status, "connection"):  # a server project's connection
        result["connection"] = status.connection.text()
    return result
