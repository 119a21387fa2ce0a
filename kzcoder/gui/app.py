"""Wires the application together and runs the window."""

from __future__ import annotations

from pathlib import Path


def run_gui(project_path: Path | None) -> int:
    """Open the main window on *project_path* (default project when None); returns exit code."""
    from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow

    from kzcoder.services.documents import list_documents
    from kzcoder.services.project import Project
    from kzcoder.services.sample import open_default_project

    project = Project.open(project_path) if project_path else open_default_project()
    app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    window.setWindowTitle(f"kzcoder — {project.path}")
    documents = QListWidget()
    documents.addItems([f"{d.name} — {d.title}" for d in list_documents(project)])
    window.setCentralWidget(documents)
    window.resize(900, 600)
    window.show()
    try:
        return app.exec()
    finally:
        project.close()
