"""Progress on a terminal for the command line's long commands (import, export)."""

from __future__ import annotations

from typing import TextIO

from kzcoder.core.escaping import escape_controls


class TerminalProgress:
    """``file n of N: name`` on one line of a terminal, rewritten in place (never in a pipe:
    the caller only makes one for a TTY)."""

    def __init__(self, stream: TextIO, label: str = "importing file") -> None:
        self._stream = stream
        self._label = label
        self._width = 0

    def __call__(self, done: int, total: int, name: str) -> bool:
        if name:
            line = escape_controls(f"{self._label} {done + 1} of {total}: {name}")[:79]
            self._stream.write("\r" + line.ljust(self._width))
            self._stream.flush()
            self._width = len(line)
        return True

    def clear(self) -> None:
        """Blank the progress line, so that what follows starts on a clean line."""
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
