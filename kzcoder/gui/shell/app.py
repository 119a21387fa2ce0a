"""Wires the application together and runs the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: how long a change made in the window waits for another program's lock (a few frames)
GUI_BUSY_TIMEOUT_MS = 100
#: the freedesktop/AppStream id (resources/io.github.kzcoder.KzCoder.desktop)
DESKTOP_ID = "io.github.kzcoder.KzCoder"


def run_gui(project_path: Path | str | None) -> int:
    """Open the main window on *project_path* (else the last or the default project).

    *project_path* may be a ``postgresql://`` URL: it is opened once the application exists,
    so that a password the server wants can be asked for in a dialog; a refusal is still one
    line on stderr before any window shows.

    A project named on the command line is opened first, so that a bad file is one line on
    stderr. The window's frame is shown at once; its docks and panes are built, and the project
    opened, right after that first paint: loading the data layer (SQLAlchemy) and the Qt
    classes of the workbench takes several times as long as showing a window.

    The layout comes back in steps (gui/shell/layout.py): the geometry before the window is shown,
    the docks once they are built, the pane widths once the panes are open; then it is checked
    for readable panes.

    The window waits at most ``GUI_BUSY_TIMEOUT_MS`` for another program's lock on the project,
    then says the project is busy and that nothing was saved: it never freezes for seconds
    (``KZCODER_BUSY_TIMEOUT_MS`` still overrides it).
    """
    os.environ.setdefault("KZCODER_BUSY_TIMEOUT_MS", str(GUI_BUSY_TIMEOUT_MS))
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from kzcoder.gui.protection.passphrase_dialog import install_window_source
    from kzcoder.gui.shell import layout
    from kzcoder.gui.shell.main_window import MainWindow
    from kzcoder.gui.shell.settings import Settings
    from kzcoder.paths import default_project_path, resource
    from kzcoder.services.coders import default_coder_name

    install_window_source()  # an encrypted project's passphrase: asked in a dialog
    session = None
    server_url = project_path if isinstance(project_path, str) else None
    if project_path is not None and server_url is None:
        from kzcoder.gui.operations.session import open_session

        # opened before any window, so that a bad file is one line on stderr (KzError)
        session = open_session(project_path, "")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if server_url is not None:
        from kzcoder.gui.server.open_url import open_url_session

        session = open_url_session(None, server_url, "")  # KzError: one line on stderr
        if session is None:  # the password prompt was cancelled
            return 1
    app.setApplicationName("kzcoder")
    app.setApplicationDisplayName("kzcoder")
    app.setDesktopFileName(DESKTOP_ID)  # Wayland matches the window to its .desktop file by it
    app.setWindowIcon(QIcon(str(resource("resources", "kzcoder.svg"))))
    settings = Settings()
    coder = settings.coder()
    if not coder:
        from kzcoder.gui.shell.file_actions import ask_coder_name  # dialogs load only when needed

        coder = ask_coder_name(None) or default_coder_name()
        settings.set_coder(coder)
    window = MainWindow(None, settings, build=False)
    from kzcoder.gui.shell import uncaught

    uncaught.install(lambda line: window.status.tell(line, 10_000))
    saved = settings.saved_layout()
    layout.restore_geometry(window, saved)
    last = settings.last_project()
    path = session.project.path if session else (
        last if last is not None and last.exists() else default_project_path())
    window.show_opening(path)

    def finish() -> None:
        """After the first paint: the docks and panes, then the project."""
        from kzcoder.core.errors import KzError
        from kzcoder.gui.operations.session import default_session, open_session

        window.build()
        docks = layout.restore_docks(window, saved)  # before the panes show any text
        opened = session
        if opened is None:
            try:
                opened = open_session(path, coder) if path.exists() else default_session(coder)
            except KzError as exc:
                QMessageBox.warning(window, "kzcoder", str(exc))
                opened = default_session(coder)
        if not opened.project.is_server:  # on a server the coder is the login role
            opened.coder = coder
        window.set_session(opened)
        window.watch.install_quit_handlers(app)  # SIGTERM, logout: checkpoint and close
        layout.restore_panes(window, saved, docks)  # their widths; defaults if unreadable
        layout.report_later(window)  # a test hook, off unless KZCODER_LAYOUT_REPORT is set

    _after_first_paint(window, finish)
    window.show()
    return app.exec()


def _after_first_paint(window, action) -> None:  # noqa: ANN001
    """Run *action* once *window* has painted (or after a second, if it never does)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Once(QObject):
        done = False

        def eventFilter(self, _watched, event) -> bool:  # noqa: ANN001, N802
            if event.type() == QEvent.Type.Paint:
                self.fire()
            return False

        def fire(self) -> None:
            if not self.done:
                self.done = True
                window.removeEventFilter(self)
                QTimer.singleShot(0, action)

    once = Once(window)
    window.installEventFilter(once)
    QTimer.singleShot(1000, once.fire)
