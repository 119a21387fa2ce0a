"""Searches in a worker thread: typing never waits for one. A newer search stops the one
before it (through its progress callback); only the newest one's hits are shown."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class _Run(QThread):
    sig_progress = Signal(int, int, int)  # generation, done, total
    sig_partial = Signal(int, object)  # generation, a part of the result

    def __init__(self, generation: int, call: Callable[..., Any]) -> None:
        super().__init__()
        self.generation = generation
        self._call = call
        self.stop = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def _progress(self, done: int, total: int, _name: str) -> bool:
        self.sig_progress.emit(self.generation, done, total)
        return not self.stop.is_set()

    def _partial(self, part: object) -> None:
        if not self.stop.is_set():
            self.sig_partial.emit(self.generation, part)

    def run(self) -> None:
        try:
            self.result = self._call(self._progress, self._partial)
        except BaseException as exc:  # handed to the GUI thread
            self.error = exc


class SearchRunner(QObject):
    """``start(call)`` runs ``call(progress, partial)``; ``sig_done(result, error)`` for the
    newest call only; ``sig_partial(part)`` for each ``partial(part)`` it makes on the way,
    ``sig_progress(done, total)`` while it runs; ``stop()`` stops it."""

    sig_done = Signal(object, object)
    sig_partial = Signal(object)
    sig_progress = Signal(int, int)
    sig_busy = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._runs: set[_Run] = set()

    def start(self, call: Callable[..., Any]) -> None:
        self.stop()
        self._generation += 1
        run = _Run(self._generation, call)
        run.sig_progress.connect(self._on_progress)
        run.sig_partial.connect(self._on_partial)
        run.finished.connect(lambda: self._finished(run))
        self._runs.add(run)
        self.sig_busy.emit(True)
        run.start()

    def stop(self) -> None:
        """Stop every search still running (their results are dropped)."""
        for run in self._runs:
            run.stop.set()

    def busy(self) -> bool:
        return any(run.isRunning() for run in self._runs)

    def wait(self, ms: int = 30_000) -> None:
        """Block until every run has ended (closing, tests)."""
        for run in list(self._runs):
            run.wait(ms)

    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.sig_progress.emit(done, total)

    def _on_partial(self, generation: int, part: object) -> None:
        if generation == self._generation:
            self.sig_partial.emit(part)

    def _finished(self, run: _Run) -> None:
        self._runs.discard(run)
        if run.generation != self._generation:
            return
        self.sig_busy.emit(False)
        if not run.stop.is_set():
            self.sig_done.emit(run.result, run.error)
        run.deleteLater()
