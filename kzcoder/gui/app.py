"""Wires the application together and runs the window."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(project_path: Path | None) -> int:
    """Open the main window on *project_path* (else the last or default project)."""
    from PySide6.QtWidgets import QApplication

    from kzcoder.gui import file_actions
    from kzcoder.gui.main_window import MainWindow
    from kzcoder.gui.project_session import ProjectSession
    from kzcoder.gui.settings import Settings
    from kzcoder.services.coders import default_coder_name
    from kzcoder.services.project import Project
    from kzcoder.services.sample import open_default_project

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kzcoder")
    app.setApplicationDisplayName("kzcoder")
    settings = Settings()
    if project_path is not None:
        project = Project.open(project_path)
    else:
        last = settings.last_project()
        project = Project.open(last) if last and last.exists() else open_default_project()
    coder = settings.coder()
    if not coder:
        coder = file_actions.ask_coder_name(None) or default_coder_name()
        settings.set_coder(coder)
    window = MainWindow(ProjectSession(project, coder), settings)
    geometry, state = settings.window_state()
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1400, 900)
    if state is not None:
        window.restoreState(state)
    window.show()
    return app.exec()
