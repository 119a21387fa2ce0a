"""The adapter between Qt's undo stack and Qt-free commands."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class UndoStep(QUndoCommand):
    """One Qt-free command on the undo stack. Its first redo (at push) has already run."""

    def __init__(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._do()

    def undo(self) -> None:
        self._undo()
