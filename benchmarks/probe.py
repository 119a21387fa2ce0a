"""Child process for the start-up and memory figures (run by run.py, one measurement each).

    probe.py app       kzcoder's own start-up path on the default project; prints 'shown'
    probe.py baseline  a bare QApplication + QMainWindow, measured the same way
    probe.py rss PROJECT DOC_ID   open DOC_ID in a pane; prints peak RSS in MB
"""

from __future__ import annotations

import sys


def _quit_on_first_paint(app, window_type) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
            if (not self.done and event.type() == QEvent.Type.Paint
                    and isinstance(watched.window(), window_type)):
                self.done = True
                QTimer.singleShot(0, lambda: (print("shown", flush=True), app.exit(0)))
            return False

    app._first_paint = FirstPaint()  # keep a reference
    app.installEventFilter(app._first_paint)


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    if mode == "baseline":
        _quit_on_first_paint(app, QMainWindow)
        window = QMainWindow()
        window.resize(1600, 1000)
        window.show()
        return app.exec()
    if mode == "app":
        from kzcoder.gui.app import run_gui
        from kzcoder.gui.main_window import MainWindow

        _quit_on_first_paint(app, MainWindow)
        return run_gui(None)
    if mode == "rss":
        import resource
        from pathlib import Path

        from benchmarks.gui_bench import open_window

        window = open_window(Path(sys.argv[2]))
        pane = window.workspace.panes()[0]
        window.open_document(pane, int(sys.argv[3]))
        pane.view.viewport().repaint()
        app.processEvents()
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
        window.close()
        return 0
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main())
