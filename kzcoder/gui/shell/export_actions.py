"""File ▸ Export ▸ … and File ▸ Import REFI-QDA project…: each runs in the background behind
a progress dialog, then names the written file with a button that shows it in its folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from kzcoder.core.changes import Changed, Changes
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.project_folder import project_folder

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import exports
    from kzcoder.services.refi import exporting as refi_export
    from kzcoder.services.refi import importing as refi_import
else:
    exports = lazy_import("kzcoder.services.exports")
    refi_export = lazy_import("kzcoder.services.refi.exporting")
    refi_import = lazy_import("kzcoder.services.refi.importing")

#: format -> (menu text, dialog filter, suffix)
SEGMENT_FORMATS = {
    "csv": ("Coded segments as &CSV…", "CSV, UTF-8 (*.csv)", ".csv"),
    "xlsx": ("Coded segments as E&xcel workbook…", "Excel workbook (*.xlsx)", ".xlsx"),
    "json": ("Coded segments as &JSON…", "JSON (*.json)", ".json"),
}
#: the report's choice of no groups
NO_GROUPS = "(no groups: one list)"
QDPX_FILTER = "REFI-QDA project (*.qdpx)"
#: the export dialog's second choice: positions as NVivo for Windows counts them
QDPX_NVIVO_FILTER = "REFI-QDA project for NVivo (Windows positions: UTF-16, CRLF) (*.qdpx)"


class ExportFolders(Protocol):
    """Where exports went last (the window's settings)."""

    def export_folder(self) -> Path | None: ...
    def set_export_folder(self, folder: Path) -> None: ...


def safe_file_stem(text: str, limit: int = 100) -> str:
    """*text* as a file name on every system: no path separators, reserved or control
    characters; at most *limit* characters."""
    cleaned = "".join(" " if c.isspace() else "_" if c in '<>:"/\\|?*' or ord(c) < 32
                      else c for c in text)
    return " ".join(cleaned.split())[:limit].strip(" .") or "segments"


class ExportActions(QObject):
    """The export and REFI-QDA import gestures of one main window. *shown_coding_ids* gives
    the codings the segments dock shows now (its filtered view), in its order; *open_project*
    opens a project file in the window."""

    def __init__(self, window: QWidget, current: CurrentSession,
                 shown_coding_ids: Callable[[], list[int]],
                 open_project: Callable[[Path], object],
                 tell: Callable[[str], None] = lambda _text: None, *,
                 folders: ExportFolders | None = None,
                 shown_name: Callable[[], str] | None = None,
                 filtered_documents: Callable[[], set[int] | None] | None = None) -> None:
        """*folders* remembers where the last export went (the dialogs open there);
        *shown_name* describes the segments dock's filter, for the name of its export;
        *filtered_documents* gives the active document filter's documents (None: all), which
        every segment export keeps to."""
        super().__init__(window)
        self._filtered = filtered_documents or (lambda: None)
        self._folders = folders
        self._shown_name = shown_name
        self._tell = tell
        self._window = window
        self._current = current
        self._shown = shown_coding_ids
        self._open_project = open_project
        self._chosen_filter = ""
        self.menu = QMenu("&Export", window)
        self.menu.setObjectName("menuExport")
        for fmt, (text, _filter, _suffix) in SEGMENT_FORMATS.items():
            self._add(text, f"actionExport_{fmt}", lambda f=fmt: self.export_segments(f))
        self._add("Coded segments &shown in the list as CSV…", "actionExportShown",
                  lambda: self.export_segments("csv", shown_only=True))
        self.menu.addSeparator()
        self._add("&REFI-QDA project (ATLAS.ti, NVivo, MAXQDA, QualCoder)…",
                  "actionExport_qdpx", self.export_qdpx)
        self._add("&HTML report…", "actionExport_html", self.export_report)
        self.menu.addSeparator()
        self._add("&Pseudonymised copy…", "actionExport_pseudonymised",
                  self.export_pseudonymised)

    def _add(self, text: str, name: str, slot: Callable[[], object]) -> None:
        action = self.menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())

    # --- choosing where --------------------------------------------------------------------
    def _ask_path(self, title: str, suffix: str, file_filter: str,
                  stem: str | None = None) -> tuple[Path, bool] | None:
        session = self._current.session
        if session is None:
            return None
        project = session.project.path
        folder = self._folders.export_folder() if self._folders is not None else None
        if folder is None or not folder.is_dir():
            folder = project_folder(session.project)
        name = safe_file_stem(stem) if stem else project.stem
        chosen, self._chosen_filter = QFileDialog.getSaveFileName(
            self._window, title, str(folder / f"{name}{suffix}"), file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        if self._folders is not None:
            self._folders.set_export_folder(path.parent)
        overwrite = path.exists()  # the dialog asked before choosing an existing file
        if path.suffix.lower() != suffix:
            path, overwrite = path.with_name(path.name + suffix), False
        return path, overwrite

    # --- exports ---------------------------------------------------------------------------
    def export_segments(self, fmt: str, *, shown_only: bool = False,
                        to: tuple[Path, bool] | None = None) -> bool:
        """Export every coded segment, or only those the segments dock shows, as *fmt*."""
        text, file_filter, suffix = SEGMENT_FORMATS[fmt]
        stem = None
        session = self._current.session
        documents = self._filtered()
        if shown_only and self._shown_name is not None and session is not None:
            stem = f"{session.project.path.stem} - {self._shown_name()}"
        elif documents is not None and session is not None:
            stem = f"{session.project.path.stem} - filtered documents"
        target = to or self._ask_path(text.replace("&", "").rstrip("…"), suffix, file_filter,
                                      stem)
        if target is None:
            return False
        ids = self._shown() if shown_only else None
        return self._run(exports.export_segments, target, fmt, coding_ids=ids,
                         documents=documents)

    def export_qdpx(self, to: tuple[Path, bool] | None = None, for_tool: str = "") -> bool:
        """The whole project as a REFI-QDA ``.qdpx``; the dialog's second file type (or
        *for_tool* "nvivo") writes positions as NVivo for Windows counts them."""
        if to is None:
            self._chosen_filter = ""
            to = self._ask_path("Export a REFI-QDA project", ".qdpx",
                                f"{QDPX_FILTER};;{QDPX_NVIVO_FILTER}")
            if self._chosen_filter == QDPX_NVIVO_FILTER:
                for_tool = "nvivo"
        return to is not None and self._run(refi_export.export_qdpx, to, for_tool=for_tool)

    def export_report(self, to: tuple[Path, bool] | None = None,
                      group_by: str | None | bool = False) -> bool:
        """An HTML report of the project that opens in any browser, its documents in groups
        by an attribute (*group_by*; ``year`` is the year of ``published``; None: no groups;
        asked when not given) as ``kzcoder export --format html --group-by`` makes them."""
        if group_by is False:
            group_by = self._ask_report_groups()
            if group_by is False:
                return False
        target = to or self._ask_path("Export an HTML report", ".html", "Web page (*.html)")
        return target is not None and self._run(exports.export_report, target,
                                                group_by=group_by or None)

    def _ask_report_groups(self) -> str | None | bool:
        """The attribute the report groups documents by, None for none, False if the user
        cancelled."""
        session = self._current.session
        if session is None:
            return False
        names = sorted({name for doc in session.documents.values() for name in doc.attributes
                        if name not in ("title", "year")}, key=str.casefold)
        items = [NO_GROUPS, "year", *names]
        chosen, ok = QInputDialog.getItem(
            self._window, "Export an HTML report",
            "List the documents in groups by (year: of the date published):", items, 0, False)
        if not ok:
            return False
        return None if chosen == NO_GROUPS else chosen

    def export_pseudonymised(self) -> QWidget | None:
        """A copy with names replaced, and its key apart (gui/protection)."""
        from kzcoder.gui.protection.pseudonymise_dialog import open_pseudonymise_dialog

        session = self._current.session
        return None if session is None else open_pseudonymise_dialog(self._window,
                                                                     session.project)

    def _run(self, export: Callable[..., Any], target: tuple[Path, bool], *args: Any,
             **kwargs: Any) -> bool:
        session = self._current.session
        if session is None:
            return False
        path, overwrite = target

        def call(project, *call_args: Any, progress, **call_kwargs: Any) -> Changed[Any]:  # noqa: ANN001
            written = export(project, path, *call_args, overwrite=overwrite,
                             progress=progress, **call_kwargs)
            if isinstance(written, Changed):
                written = written.value
            return Changed(written, Changes())  # an export changes nothing in the project

        job = session.run_in_background(call, *args, parent=self._window, label="Writing",
                                        on_done=lambda result: self._written(path, result),
                                        **kwargs)
        return job is not None

    def _written(self, path: Path, result: Any) -> None:
        if getattr(result, "stopped", False):
            self._tell(f"The export was stopped; nothing was written to {path}.")
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Export",
                          f"Wrote {path} ({result.describe()}).", parent=self._window)
        box.setObjectName("exportWritten")
        show = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(
            str(path.parent))))
        box.open()

    # --- REFI-QDA import -------------------------------------------------------------------
    def import_project(self, source: Path | None = None, dest: Path | None = None) -> bool:
        """File ▸ Import REFI-QDA project…: a ``.qdpx`` becomes a new project, which opens;
        what could not be imported is shown (and saved beside it)."""
        session = self._current.session
        if session is None:
            return False
        if source is None:
            chosen, _ = QFileDialog.getOpenFileName(self._window, "Import a REFI-QDA project",
                                                    str(project_folder(session.project)),
                                                    QDPX_FILTER)
            if not chosen:
                return False
            source = Path(chosen)
        if dest is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self._window, "The new kzcoder project",
                str(source.with_suffix(".kzc")), "kzcoder project (*.kzc)")
            if not chosen:
                return False
            dest = Path(chosen)
            if dest.suffix.lower() != ".kzc":
                dest = dest.with_name(dest.name + ".kzc")

        def call(_project, *, progress) -> Changed[Any]:  # noqa: ANN001
            return Changed(refi_import.import_qdpx(source, dest, progress=progress), Changes())

        job = session.run_in_background(call, parent=self._window, label="Importing",
                                        on_done=lambda report: self._imported(dest, report))
        return job is not None

    def _imported(self, dest: Path, report: Any) -> None:
        self._open_project(dest)
        lines = report.summary_lines()
        box = QMessageBox(QMessageBox.Icon.Information, "Import REFI-QDA project",
                          lines[0], parent=self._window)
        box.setObjectName("refiImported")
        if report.path is not None:
            box.setInformativeText(f"The report is saved as {report.path}.")
        if len(lines) > 1:
            box.setDetailedText("\n".join(lines[1:]))
        box.open()
