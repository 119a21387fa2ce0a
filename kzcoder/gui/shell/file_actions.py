"""File menu: new, open, recent, import (in the background, with one summary), coder name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from kzcoder.core.errors import KzError
from kzcoder.core.records import ImportReport
from kzcoder.exchange import readers
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.background import BackgroundJob
from kzcoder.gui.operations.session import (
    CurrentSession,
    ProjectSession,
    create_session,
    open_session,
)
from kzcoder.gui.shell.settings import Settings
from kzcoder.services.coders import default_coder_name

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import documents
else:
    documents = lazy_import("kzcoder.services.documents")


PROJECT_FILTER = "kzcoder projects (*.kzc)"


def documents_filter() -> str:
    """The import dialog's filter, from the registry of document readers."""
    return ";;".join(readers.dialog_filters())


class FileActions(QObject):
    """What the File menu does. *show_session* puts a newly opened project in the window;
    *window* parents the dialogs."""

    def __init__(self, window: QWidget, current: CurrentSession, settings: Settings,
                 show_session: Callable[[ProjectSession], None]) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._settings = settings
        self._show_session = show_session
        self.recent_menu = QMenu("Open &recent", window, objectName="menuRecent")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        from kzcoder.gui.server.open_url import ask_password

        #: asks for a server's password (tests and the self-test put their own here)
        self.ask_password = ask_password

    def _start_dir(self) -> str:
        session = self._current.session
        if session is None or session.project.is_server:
            return ""
        return str(session.project.path.parent)

    def _coder(self) -> str:
        session = self._current.session
        return session.coder if session else self._settings.coder() or default_coder_name()

    def _error(self, message: str) -> None:
        QMessageBox.warning(self._window, "kzcoder", message)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._window, "New project", self._start_dir(),
                                              PROJECT_FILTER)
        if not path:
            return
        path = path if path.endswith(".kzc") else path + ".kzc"
        try:
            session = create_session(Path(path), self._coder())
        except KzError as exc:
            self._error(str(exc))
            return
        self._show_session(session)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Open project", self._start_dir(),
                                              PROJECT_FILTER)
        if path:
            self.open_project(Path(path))

    def open_url_dialog(self) -> None:
        """File ▸ Open URL…: a server project by its postgresql:// URL."""
        from kzcoder.gui.server.open_url import ask_url

        recent = [p for p in self._settings.recent_projects() if isinstance(p, str)]
        url = ask_url(self._window, recent[0] if recent else "")
        if url:
            self.open_project(url)

    def open_project(self, path: Path | str) -> bool:
        """Open *path* (a file, or a server URL: a password is asked for if the server wants
        one) in this window; a refusal gets a message and changes nothing."""
        if isinstance(path, str):
            from kzcoder.core.locations import looks_like_server_url

            if looks_like_server_url(path):
                from kzcoder.gui.server.open_url import open_url_session

                session = open_url_session(self._window, path, self._coder(),
                                           asker=self.ask_password, error=self._error)
                if session is None:
                    return False
                self._show_session(session)
                return True
            path = Path(path)
        try:
            session = open_session(path, self._coder())
        except KzError as exc:
            self._error(str(exc))
            return False
        self._show_session(session)
        return True

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for number, path in enumerate(self._settings.recent_projects(), start=1):
            action = menu.addAction(str(path))
            action.setObjectName(f"actionRecent_{number}")
            action.setEnabled(isinstance(path, str) or path.exists())  # a URL: try it
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)

    def _import_dir(self) -> str:
        """Where the import dialogs open: the folder of the last import, else the project's."""
        last = self._settings.import_folder()
        return str(last) if last is not None and last.is_dir() else self._start_dir()

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self._window, "Import documents",
                                                self._import_dir(), documents_filter())
        if paths:
            self._settings.set_import_folder(Path(paths[0]).parent)
            self.import_paths([Path(p) for p in paths])

    def import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self._window, "Import a folder",
                                                self._import_dir())
        if path:
            self._settings.set_import_folder(Path(path).parent)
            self.import_paths([Path(path)])

    def import_paths(self, paths: list[Path], *, quiet: bool = False,
                     on_done: Callable[[ImportReport], None] | None = None
                     ) -> BackgroundJob | None:
        """Import in the background behind a progress dialog, then show one summary (unless
        *quiet*) and hand the report to *on_done*; the new documents reach the views through
        the session's change signal."""
        session = self._current.session
        if session is None:
            return None
        return session.run_in_background(
            documents.import_paths, paths, parent=self._window, label="Importing file",
            on_done=lambda report: self._finished(report, quiet, on_done))

    def _finished(self, report: ImportReport, quiet: bool,
                  on_done: Callable[[ImportReport], None] | None) -> None:
        if not quiet:
            self._summary(report)
        if on_done is not None:
            on_done(report)

    def _summary(self, report: ImportReport) -> None:
        lines = report.summary_lines()
        box = QMessageBox(self._window)
        box.setObjectName("importSummary")
        box.setWindowTitle("Import")
        box.setText(lines[-1])
        if len(lines) > 1:
            icon = QMessageBox.Icon.Warning if report.refused else QMessageBox.Icon.Information
            box.setIcon(icon)
            box.setDetailedText("\n".join(lines[:-1]))
        box.open()

    def _refuse_on_server(self, session: ProjectSession, what: str) -> bool:
        if not session.project.is_server:
            return False
        self._error(f"{session.project.path}: {what} works on a project file; a server "
                    "project is copied with kzcoder clone URL FILE, and backed up by its "
                    "administrator (docs/server.md)")
        return True

    def ask_coder(self) -> None:
        name = ask_coder_name(self._window, self._coder())
        session = self._current.session
        if name and session is not None:
            self._settings.set_coder(name)
            session.set_coder(name)

    # --- copies and backups (services.backup, docs/reliability.md) --------------------------
    def save_copy(self) -> BackgroundJob | None:
        """File ▸ Save a copy…: a consistent, checked copy of the open project (what its
        ``-wal`` holds included), written in the background."""
        session = self._current.session
        if session is None or self._refuse_on_server(session, "Save a copy"):
            return None
        path = session.project.path
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, "Save a copy", str(path.with_name(f"{path.stem} copy{path.suffix}")),
            PROJECT_FILTER)
        if not chosen:
            return None
        dest = Path(chosen)
        overwrite = dest.exists()  # the dialog asked before choosing an existing file
        if dest.suffix.lower() != ".kzc":
            dest, overwrite = dest.with_name(dest.name + ".kzc"), False
        return self.save_copy_to(dest, overwrite=overwrite)

    def save_copy_to(self, dest: Path, *, overwrite: bool = False, quiet: bool = False,
                     on_done: Callable[[Path], None] | None = None) -> BackgroundJob | None:
        """Write the copy to *dest* in the background, then say where (unless *quiet*); a
        failure is one message (the session's error signal)."""
        from kzcoder.services import backup

        session = self._current.session
        if session is None:
            return None
        name = session.project.path.name

        def done(written: Path) -> None:
            if not quiet:
                box = QMessageBox(QMessageBox.Icon.Information, "Save a copy",
                                  f"A copy of {name} was saved as {written} "
                                  f"({backup.human_size(written.stat().st_size)}).",
                                  parent=self._window)
                box.setObjectName("copySaved")
                box.open()
            if on_done is not None:
                on_done(written)

        return session.run_in_background(backup.copy_project, dest, overwrite=overwrite,
                                         parent=self._window, label="Saving a copy",
                                         on_done=done)

    def restore_from_backup(self) -> bool:
        """File ▸ Restore from a backup…: choose one of the project's rolling backups (by time
        and size), confirm; the project is closed, replaced by the backup (its current state
        kept as a backup first) and opened again. Returns whether it was restored."""
        from kzcoder.services import backup

        session = self._current.session
        if session is None or self._refuse_on_server(session, "Restore from a backup"):
            return False
        if session.busy:
            self._error("Wait until the running operation has finished.")
            return False
        path = session.project.path
        infos = backup.list_backups(path)
        if not infos:
            self._error(f"{path.name} has no backups yet; kzcoder keeps them in "
                        f"{backup.backup_folder(path)}.")
            return False
        labels = [f"{info.describe()}   {info.path.name}" for info in infos]
        label, ok = QInputDialog.getItem(self._window, "Restore from a backup",
                                         f"Backups of {path.name}, newest first:", labels, 0,
                                         False)
        if not ok or label not in labels:
            return False
        chosen = infos[labels.index(label)]
        try:
            backup.check_backup(chosen.path)
        except KzError as exc:
            self._error(str(exc))
            return False
        answer = QMessageBox.question(
            self._window, "Restore from a backup",
            f"Replace {path.name} by its backup of {chosen.taken:%Y-%m-%d %H:%M:%S}?\n\n"
            "The project as it is now is kept as a backup first: restoring that one undoes "
            "this.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        close_project = getattr(self._window, "close_project", None)
        if close_project is not None:
            close_project()  # the window's own: it remembers the open documents first
        else:
            self._current.set(None)
        try:
            kept = backup.restore(path, chosen.path)
        except KzError as exc:
            self.open_project(path)  # as it was
            self._error(str(exc))
            return False
        if not self.open_project(path):
            return False
        where = f" as {kept.name} in {kept.parent}" if kept is not None else ""
        box = QMessageBox(QMessageBox.Icon.Information, "Restore from a backup",
                          f"{path.name} is back as it was on "
                          f"{chosen.taken:%Y-%m-%d at %H:%M:%S}. The project as it was before "
                          f"is kept{where}.", parent=self._window)
        box.setObjectName("restoreDone")
        box.open()
        return True


def ask_coder_name(parent: QWidget | None, current: str = "") -> str:
    """Ask who is coding; the login name is offered. Returns '' if cancelled."""
    name, ok = QInputDialog.getText(parent, "Coder", "Your name as a coder (saved with every "
                                    "coding):", text=current or default_coder_name())
    return name.strip() if ok else ""
