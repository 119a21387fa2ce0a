"""The adapter between Qt's undo stack and Qt-free commands.

A command that has an ``absorb(later) -> bool`` method (``services.memos.EditMemo``) becomes a
``MergingStep``: Qt offers it the next command pushed on the stack (``QUndoCommand.mergeWith``,
which Qt tries only on the step on top, never across another command), and it takes it in
when nothing was undone or redone in between and the command itself agrees
(``absorb``: the same memo, typed without a long pause). Typing that ends where it began
makes the step obsolete, and Qt drops it from the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

#: undo and redo steps taken so far, on any stack: a merge never reaches across one
_moves = 0
#: QUndoCommand.id() of steps that may merge (Qt merges only steps with the same id)
MERGE_ID = 0x4B5A


def _moved() -> None:
    global _moves
    _moves += 1


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
        _moved()
        self._do()

    def undo(self) -> None:
        _moved()
        self._undo()


class MergingStep(UndoStep):
    """A step whose command can take the next one in (see the module docstring)."""

    def __init__(self, command: Any, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(command.text, do, undo)
        self.command = command
        self._moves = _moves

    def id(self) -> int:
        return MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, MergingStep) or other._moves != self._moves \
                or type(other.command) is not type(self.command):
            return False
        if not self.command.absorb(other.command):
            return False
        self.setText(self.command.text)
        if getattr(self.command, "changes_nothing", False):
            self.setObsolete(True)  # Qt takes it off the stack
        return True


def make_step(command: Any, do: Callable[[], None], undo: Callable[[], None]) -> UndoStep:
    """The undo step of a *command* already done: a MergingStep if it can absorb others."""
    if callable(getattr(command, "absorb", None)):
        return MergingStep(command, do, undo)
    return UndoStep(command.text, do, undo)
