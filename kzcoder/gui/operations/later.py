"""Changes applied on the next event-loop turn, merged."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kzcoder.core.changes import Changes


class Later(QObject):
    """Collects ``Changes`` and hands them, merged into one, to *apply* on the next turn of the
    event loop.

    Docks use it for codings: the pane the researcher is looking at repaints first, in the
    same frame as the keypress, and a burst of changes costs the dock one refresh.
    """

    def __init__(self, parent: QObject, apply: Callable[[Changes], None]) -> None:
        super().__init__(parent)
        self._apply = apply
        self._pending: Changes | None = None

    def add(self, changes: Changes) -> None:
        if self._pending is None:
            self._pending = changes
            QTimer.singleShot(0, self, self.flush)
        else:
            self._pending |= changes

    def flush(self) -> None:
        """Apply what is pending now (before a change that must not overtake it)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self._apply(pending)
