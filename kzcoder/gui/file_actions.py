"""File menu: new, open, recent, import (with progress and one summary), coder name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog

from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.project_session import ProjectSession
from kzcoder.services.coders import default_coder_name
from kzcoder.services.dto import ImportReport

documents = lazy_import("kzcoder.services.documents")
project_file = lazy_import("kzcoder.services.project")
sample = lazy_import("kzcoder.services.sample")

if TYPE_CHECKING:
    from kzcoder.gui.main_window import MainWindow

PROJECT_FILTER = "kzcoder projects (*.kzc)"
TEXT_FILTER = "Text files (*.txt *.md)"
_PROGRESS_FROM = 20  # files; smaller imports finish before a dialog would be readable


class FileActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _start_dir(self) -> str:
        return str(self.window.session.project.path.parent) if self.window.session else ""

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "New project", self._start_dir(),
                                              PROJECT_FILTER)
        if not path:
            return
        path = path if path.endswith(".kzc") else path + ".kzc"
        try:
            project = sample.create_project(path)
        except KzError as exc:
            self.window.show_error(str(exc))
            return
        self.window.set_session(ProjectSession(project, self._coder()))

    def _coder(self) -> str:
        session = self.window.session
        return session.coder if session else self.window.settings.coder() or default_coder_name()

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", self._start_dir(),
                                              PROJECT_FILTER)
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> bool:
        """Open *path* in this window; a bad file gets a message and changes nothing."""
        try:
            project = project_file.Project.open(path)
        except KzError as exc:
            self.window.show_error(str(exc))
            return False
        self.window.set_session(ProjectSession(project, self._coder()))
        return True

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        for number, path in enumerate(self.window.settings.recent_projects(), start=1):
            action = menu.addAction(str(path))
            action.setObjectName(f"actionRecent_{number}")
            action.setEnabled(path.exists())
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import documents",
                                                self._start_dir(), TEXT_FILTER)
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "Import a folder", self._start_dir())
        if path:
            self.import_paths([Path(path)])

    def import_paths(self, paths: list[Path], *, quiet: bool = False) -> ImportReport:
        """Import with a progress dialog for many files, then one summary of what happened."""
        if self.window.session is None:
            return ImportReport()
        dialog: QProgressDialog | None = None

        def progress(done: int, total: int, name: str) -> bool:
            nonlocal dialog
            if dialog is None and total >= _PROGRESS_FROM:
                dialog = QProgressDialog("Importing…", "Stop", 0, total, self.window)
                dialog.setObjectName("importProgress")
                dialog.setWindowModality(Qt.WindowModality.WindowModal)
                dialog.setMinimumDuration(300)
            if dialog is not None:
                dialog.setLabelText(f"Importing {name}")
                dialog.setValue(done)
                return not dialog.wasCanceled()
            return True

        report = documents.import_paths(self.window.session.project, paths,
                                        progress=progress).value
        if dialog is not None:
            dialog.close()
        self.window.reload_documents()
        if not quiet:
            self._summary(report)
        return report

    def _summary(self, report: ImportReport) -> None:
        lines = report.summary_lines()
        box = QMessageBox(self.window)
        box.setObjectName("importSummary")
        box.setWindowTitle("Import")
        box.setText(lines[-1])
        if len(lines) > 1:
            icon = QMessageBox.Icon.Warning if report.refused else QMessageBox.Icon.Information
            box.setIcon(icon)
            box.setDetailedText("\n".join(lines[:-1]))
        box.exec()

    def ask_coder(self) -> None:
        name = ask_coder_name(self.window, self._coder())
        if name and self.window.session is not None:
            self.window.session.coder = name
            self.window.settings.set_coder(name)
            self.window.status_coder.setText(f"Coder: {name}")


def ask_coder_name(parent, current: str = "") -> str:  # noqa: ANN001
    """Ask who is coding; the login name is offered. Returns '' if cancelled."""
    name, ok = QInputDialog.getText(parent, "Coder", "Your name as a coder (saved with every "
                                    "coding):", text=current or default_coder_name())
    return name.strip() if ok else ""
