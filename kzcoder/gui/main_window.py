"""The main window: documents and codebook docks, panes side by side, coded segments below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from kzcoder.gui.lazy import lazy_import

if TYPE_CHECKING:
    from kzcoder.gui.project_session import ProjectSession
    from kzcoder.gui.settings import Settings
    from kzcoder.services.dto import Changes, CodeInfo, DocumentInfo, Segment

codebook = lazy_import("kzcoder.services.codebook")
codings = lazy_import("kzcoder.services.codings")
documents = lazy_import("kzcoder.services.documents")
segments = lazy_import("kzcoder.services.segments")

SHOW_ALL_SEGMENTS_UP_TO = 5_000  # codings; above that the segments dock waits for a code
OPEN_REGION = 30_000  # code points either side of where a document opens: more than a screen


class MainWindow(QMainWindow):
    def __init__(self, session: ProjectSession | None, settings: Settings,
                 parent: QWidget | None = None, *, build: bool = True) -> None:
        """*session* may come later (set_session). With ``build=False`` only the frame (title,
        status bar) exists until ``build()``: kzcoder shows that at start-up, because the Qt
        classes of the docks and panes cost more to load than the bare window."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.session: ProjectSession | None = None
        self._documents: dict[int, DocumentInfo] = {}
        self._codes: dict[int, CodeInfo] = {}
        self._segments_code: int | None = None
        self._segments_loaded = False
        self.built = False
        self._build_status_bar()
        if build:
            self.build()
        if session is not None:
            self.set_session(session)

    def build(self) -> None:
        """Create the docks, panes and menus (once)."""
        if self.built:
            return
        from kzcoder.gui.codebook.codebook_dock import CodebookDock
        from kzcoder.gui.coding_actions import CodingActions
        from kzcoder.gui.documents.documents_dock import DocumentsDock
        from kzcoder.gui.menus import build_menus
        from kzcoder.gui.segments.segments_dock import SegmentsDock
        from kzcoder.gui.workspace import Workspace

        self.built = True
        self.workspace = Workspace(self)
        self.setCentralWidget(self.workspace)
        self.documents_dock = DocumentsDock(self)
        self.codebook_dock = CodebookDock(self)
        self.segments_dock = SegmentsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.codebook_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.segments_dock)
        self.resizeDocks([self.documents_dock], [440], Qt.Orientation.Horizontal)
        self.resizeDocks([self.segments_dock], [220], Qt.Orientation.Vertical)

        self.coding = CodingActions(self)
        self.undo_actions = build_menus(self)
        self.documents_dock.sig_open_requested.connect(self.open_document)
        self.codebook_dock.sig_code_clicked.connect(self._on_code_clicked)
        self.segments_dock.sig_segment_activated.connect(self.show_segment)
        self.segments_dock.sig_show_all.connect(lambda: self.show_segments_of(None))
        self.workspace.sig_active_changed.connect(lambda _pane: self._update_status())
        self.workspace.sig_open_in_pane.connect(self.open_document)

    def show_opening(self, path) -> None:  # noqa: ANN001 - pathlib.Path
        """Name the project being opened while the data layer loads."""
        self.setWindowTitle(f"{path.name} — kzcoder  (opening…)")
        self.status_document.setText(f"Opening {path}…")

    # --- project ------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession) -> None:
        """Show *session*'s project: reload the docks and reopen its documents in panes."""
        self.build()
        if self.session is not None:
            self._save_open_documents()
            self.session.sig_changed.disconnect(self._on_changed)
            self.session.sig_error.disconnect(self.show_error)
            self.session.close()
            self.session.deleteLater()  # with its undo stack: the old project is gone
        self.session = session
        session.setParent(self)
        session.sig_changed.connect(self._on_changed)
        session.sig_error.connect(self.show_error)
        self.setWindowTitle(f"{session.project.path.name} — kzcoder  ({session.project.path})")
        self.status_coder.setText(f"Coder: {session.coder}")
        self.settings.add_recent(session.project.path)
        self.undo_actions.bind(session.undo_stack)
        self._reload_all()

    def _reload_all(self) -> None:
        project = self.session.project
        docs = documents.list_documents(project)
        self._documents = {d.id: d for d in docs}
        self.documents_dock.set_documents(docs)
        self._reload_codes()
        for pane in self.workspace.panes()[1:]:
            self.workspace.close_pane(pane)
        if not self.workspace.panes():
            self.workspace.add_pane()
        self.workspace.panes()[0].view.clear_document()
        wanted = self.settings.open_documents(project.path)
        if wanted is None:  # first time: two articles side by side
            wanted = [d.id for d in docs[:2]]
        wanted = [i for i in wanted if i in self._documents][:4] or [d.id for d in docs[:1]]
        for index, document_id in enumerate(wanted):
            pane = self.workspace.panes()[0] if index == 0 else self.workspace.add_pane()
            self.open_document(pane, document_id)
        if len(wanted) < 2 and len(self.workspace.panes()) < 2:
            self.workspace.add_pane()
        if sum(self._counts.values()) <= SHOW_ALL_SEGMENTS_UP_TO:
            self.show_segments_of(None)
        else:  # a big project: opening it should not wait for every segment
            self._segments_loaded = False
            self.segments_dock.set_segments("Click a code to list its segments", [], {}, {})
        self._update_status()

    def _reload_codes(self) -> None:
        codes = codebook.list_codes(self.session.project)
        self._codes = {c.id: c for c in codes}
        self._counts = codings.code_counts(self.session.project)
        self.codebook_dock.set_codes(codes, self._counts)
        self.coding.rebuild_code_actions(codes)
        for pane in self.workspace.panes():
            pane.view.set_codes(self._codes)

    def actions_named(self, name: str):  # noqa: ANN201 - QAction | None
        """The window's action with this objectName (for tests and accessibility tools)."""
        from PySide6.QtGui import QAction

        return self.findChild(QAction, name)

    def codes(self) -> dict[int, CodeInfo]:
        return self._codes

    # --- documents and segments -------------------------------------------------------------
    def open_document(self, pane_or_id, document_id: int | None = None, *,  # noqa: ANN001
                      anchor: int = 0) -> None:
        """Open a document in the given pane, or (one argument) in the active pane.

        The first paint needs only the codings around *anchor* (where the view will be); the
        rest follow one event-loop turn later, so a document with 10,000 codings opens about as
        fast as Qt shows its plain text.
        """
        if document_id is None:
            pane, document_id = self.workspace.active_pane(), pane_or_id
        else:
            pane = pane_or_id
        info = self._documents.get(document_id)
        if info is None or pane is None:
            return
        project = self.session.project
        nearby = codings.document_spans(project, info.id, start=max(0, anchor - OPEN_REGION),
                                        end=anchor + OPEN_REGION)
        pane.view.set_document(info.id, documents.document_text(project, info.id), nearby,
                               self._codes)
        QTimer.singleShot(0, lambda: self._load_all_codings(pane, info.id))
        pane.set_title(info.title or info.name, info.name)
        pane.view.setFocus()
        self.workspace.set_active(pane)
        self._update_status()

    def _load_all_codings(self, pane, document_id: int) -> None:  # noqa: ANN001
        # The pane may have been closed or shown another document meanwhile.
        if pane in self.workspace.panes() and pane.view.document_id == document_id:
            pane.view.replace_codings(codings.document_spans(self.session.project, document_id))
            self._update_status()

    def reload_documents(self) -> None:
        """Re-read the documents list (after an import)."""
        docs = documents.list_documents(self.session.project)
        self._documents = {d.id: d for d in docs}
        self.documents_dock.set_documents(docs)

    def add_pane(self) -> None:
        pane = self.workspace.add_pane()
        if pane is None:
            self.statusBar().showMessage("At most four panes can be open.", 4000)
            return
        pane.view.set_codes(self._codes)
        self.workspace.set_active(pane)
        self.documents_dock.view.setFocus()

    def next_pane(self) -> None:
        panes = self.workspace.panes()
        pane = panes[(panes.index(self.workspace.active_pane()) + 1) % len(panes)]
        self.workspace.set_active(pane)
        pane.view.setFocus()

    def show_segment(self, segment: Segment) -> None:
        """Bring the segment's document into view (its pane, or the active one) and select it."""
        pane = self.workspace.pane_showing(segment.document_id)
        if pane is None:
            self.open_document(segment.document_id, anchor=segment.start)
            pane = self.workspace.active_pane()
        pane.view.select_span(segment.start, segment.end)
        pane.view.setFocus()
        self.workspace.set_active(pane)

    def show_segments_of(self, code_id: int | None) -> None:
        self._segments_code = code_id
        self._segments_loaded = True
        code = self._codes.get(code_id) if code_id is not None else None
        found = segments.list_segments(self.session.project, code=code_id)
        self.segments_dock.set_segments(
            code.name if code else "All codes", found,
            {d.id: d.title or d.name for d in self._documents.values()},
            {c.id: c.color for c in self._codes.values()})
        self.codebook_dock.select_code(code_id)

    def _on_code_clicked(self, code_id: int) -> None:
        pane = self.workspace.active_pane()
        if pane is not None and pane.view.selection_span() is not None:
            self.coding.code_selection(code_id)
        self.show_segments_of(code_id)

    # --- changes -------------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        """Refresh only what *changes* names: the panes' codings, counts, segment rows."""
        project = self.session.project
        if changes.codings:
            current = segments.segments_by_id(project, changes.codings)
            codings_now = {i: s.span() for i, s in current.items()}
            for pane in self.workspace.panes():
                if pane.view.document_id in changes.documents:
                    pane.view.apply_coding_changes(changes.codings, codings_now)
            if self._segments_loaded:
                self.segments_dock.apply_changes(changes.codings, current, self._segments_code)
        if changes.codes:
            self.codebook_dock.model.set_counts(codings.code_counts(project, changes.codes))
        self._update_status()

    # --- status bar ----------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.status_coder = QLabel(objectName="statusCoder")
        self.status_document = QLabel(objectName="statusDocument")
        self.status_selection = QLabel(objectName="statusSelection")
        self.status_codings = QLabel(objectName="statusCodings")
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        bar.addWidget(self.status_document, 1)
        metrics = self.fontMetrics()
        # Fixed widths: a label that grows with its text would re-lay out (and repaint) the
        # whole window on every coding.
        for label, sample in ((self.status_selection, "Selection: 1,000,000 characters"),
                              (self.status_codings, "100,000 codings in this document"),
                              (self.status_coder, "Coder: a fairly long coder name")):
            label.setFixedWidth(metrics.horizontalAdvance(sample) + 12)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bar.addPermanentWidget(label)

    def _update_status(self, *_args: object) -> None:
        if not self.built:
            return
        pane = self.workspace.active_pane()
        view = pane.view if pane is not None else None
        info = self._documents.get(view.document_id) if view is not None else None
        span = view.selection_span() if view is not None else None
        for label, text in (
                (self.status_document, info.title or info.name if info else "No document open"),
                (self.status_selection, f"Selection: {span[1] - span[0]:,} characters"
                 if span else "No selection"),
                (self.status_codings, f"{view.coding_count():,} codings in this document"
                 if info else "")):
            if label.text() != text:
                label.setText(text)

    def show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, "kzcoder", message)

    # --- closing -------------------------------------------------------------------------------
    def _save_open_documents(self) -> None:
        self.settings.set_open_documents(self.session.project.path, self.workspace.document_ids())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.session is not None:
            self._save_open_documents()
            self.session.close()
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        super().closeEvent(event)
