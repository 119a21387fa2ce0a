"""A long service call in a worker thread, with a progress dialog that can stop it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

# progress(done, total, current item) -> False to stop; what the long services accept
Progress = Callable[[int, int, str], bool]


class _Worker(QThread):
    sig_progress = Signal(int, int, str)

    def __init__(self, call: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._call = call
        self.stop = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def _progress(self, done: int, total: int, name: str) -> bool:
        self.sig_progress.emit(done, total, name)
        return not self.stop.is_set()

    def run(self) -> None:
        try:
            self.result = self._call(self._progress)
        except BaseException as exc:  # reported on the GUI thread by the job
            self.error = exc


class BackgroundJob(QObject):
    """Runs ``call(progress)`` in a worker; ``sig_finished(result, error)`` on the GUI thread.

    The window-modal progress dialog appears after *show_after_ms*, so a short job does not
    flash one; its Stop button makes ``progress`` return False.
    """

    sig_finished = Signal(object, object)  # result, exception (or None)

    def __init__(self, call: Callable[[Progress], Any], parent: QWidget | None, label: str,
                 show_after_ms: int = 300) -> None:
        super().__init__(parent)
        self._worker = _Worker(call)
        self.dialog = QProgressDialog(label, "Stop", 0, 0, parent)
        self.dialog.setObjectName("progressDialog")
        self.dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(show_after_ms)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._worker.stop.set)
        self._label = label
        self._worker.sig_progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)

    def start(self) -> None:
        self.dialog.setValue(0)
        self._worker.start()

    def is_running(self) -> bool:
        return self._worker.isRunning()

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the worker ends (for shutdown and tests)."""
        return self._worker.wait(ms)

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        if name:  # "Importing file 3 of 200: name.pdf"
            self.dialog.setLabelText(f"{self._label} {done + 1} of {total}: {name}")
        self.dialog.setValue(min(done, total))

    def _on_finished(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()
        self.sig_finished.emit(self._worker.result, self._worker.error)
        self._worker.deleteLater()
        self.deleteLater()
