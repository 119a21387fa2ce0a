"""Child process for the start-up and memory figures (run by run.py, one measurement each).

    probe.py app       kzcoder's own start-up path on the default project; prints 'shown' at
                       the window's first paint and 'ready' when the articles are displayed
    probe.py baseline  a bare QApplication + QMainWindow, measured the same way
    probe.py rss PROJECT DOC_ID   open DOC_ID in a pane; prints peak RSS in MB
"""

from __future__ import annotations

import sys


def _report_first_paint(app, window_type, ready) -> None:  # noqa: ANN001
    """Print 'shown' at the first paint of a *window_type* window, then 'ready' once
    ``ready(window)`` holds, and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        window = None

        def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
            if (self.window is None and event.type() == QEvent.Type.Paint
                    and isinstance(watched.window(), window_type)):
                self.window = watched.window()
                print("shown", flush=True)
                self.poll.start(1)
            return False

        def check(self) -> None:
            if ready(self.window):
                self.poll.stop()
                print("ready", flush=True)
                app.exit(0)

    watcher = FirstPaint()
    watcher.poll = QTimer()
    watcher.poll.timeout.connect(watcher.check)
    app._first_paint = watcher  # keep a reference
    app.installEventFilter(watcher)


def _peak_rss_mb() -> float:
    """This process's peak resident memory. (Not getrusage's ru_maxrss: on Linux it survives
    exec, so a child started by a big parent reports the parent's peak.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # not Linux: the best there is

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    if mode == "baseline":
        _report_first_paint(app, QMainWindow, lambda window: True)
        window = QMainWindow()
        window.resize(1600, 1000)
        window.show()
        return app.exec()
    if mode == "app":
        from kzcoder.gui.shell.app import run_gui
        from kzcoder.gui.shell.main_window import MainWindow

        def ready(window) -> bool:  # noqa: ANN001 - the project is open and its articles shown
            panes = window.workspace.panes() if window.session is not None else []
            return bool(panes) and all(p.view.document_id is not None for p in panes)

        _report_first_paint(app, MainWindow, ready)
        return run_gui(None)
    if mode == "rss":
        from pathlib import Path

        from benchmarks.gui_bench import open_window

        window = open_window(Path(sys.argv[2]))
        pane = window.workspace.panes()[0]
        window.workspace.open_document(pane, int(sys.argv[3]))
        pane.view.viewport().repaint()
        app.processEvents()
        print(_peak_rss_mb(), flush=True)
        window.close()
        return 0
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main())
