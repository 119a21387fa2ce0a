"""The main window: documents and codebook docks, panes side by side, coded segments and the
memo of the selected item below.

It builds the parts and wires the gestures that join them (a document chosen in one dock opens
in a pane, a code clicked lists its segments); it does not route changes: every part
subscribes to the project's changes itself.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from kzcoder.gui.operations.session import CurrentSession, ProjectSession
from kzcoder.gui.shell.layout import save_layout, set_pane_minimum
from kzcoder.gui.shell.settings import Settings
from kzcoder.gui.shell.status_bar import StatusBar


class MainWindow(QMainWindow):
    #: the active document filter's documents (ids), None when nothing is filtered
    filtered_documents: set[int] | None = None

    def __init__(self, session: ProjectSession | None, settings: Settings,
                 parent: QWidget | None = None, *, build: bool = True) -> None:
        """*session* may come later (set_session). With ``build=False`` only the frame (title,
        status bar) exists until ``build()``: kzcoder shows that at start-up, because the Qt
        classes of the docks and panes cost more to load than the bare window."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.current = CurrentSession(self)
        self.current.sig_error.connect(self.show_error)
        self.status = StatusBar(self.current, self)
        self.setStatusBar(self.status)
        self.built = False
        if build:
            self.build()
        if session is not None:
            self.set_session(session)

    @property
    def session(self) -> ProjectSession | None:
        """The open project's session (None before one is opened)."""
        return self.current.session

    def build(self) -> None:
        """Create the docks, panes and menus (once)."""
        if self.built:
            return
        from PySide6.QtCore import Qt  # here: its namespace costs 25 ms before the first paint

        from kzcoder.gui.analysis.actions import add_analysis_menu, show_in_segments
        from kzcoder.gui.analysis.area import AnalysisDock
        from kzcoder.gui.codebook.actions import CodebookActions
        from kzcoder.gui.codebook.dock import CodebookDock
        from kzcoder.gui.coding.actions import CodingActions
        from kzcoder.gui.documents.dock import DocumentsDock
        from kzcoder.gui.memos.dock import MemoDock
        from kzcoder.gui.segments.dock import SegmentsDock
        from kzcoder.gui.shell.export_actions import ExportActions
        from kzcoder.gui.shell.file_actions import FileActions
        from kzcoder.gui.shell.menus import build_menus
        from kzcoder.gui.shell.workspace import Workspace
        from kzcoder.gui.team.team_actions import TeamActions

        self.built = True
        current = self.current
        self.workspace = Workspace(current, self)
        self.setCentralWidget(self.workspace)
        set_pane_minimum(self)  # docks cannot crush the text panes
        self.documents_dock = DocumentsDock(current, self)
        self.codebook_dock = CodebookDock(current, self)
        self.segments_dock = SegmentsDock(current, self)
        self.memo_dock = MemoDock(current, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.codebook_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.segments_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.memo_dock)  # beside it
        self.analysis_dock = AnalysisDock(current, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.analysis_dock)
        self.analysis_dock.hide()  # Analysis ▸ opens it
        self.resizeDocks([self.documents_dock], [440], Qt.Orientation.Horizontal)
        self.resizeDocks([self.segments_dock], [220], Qt.Orientation.Vertical)
        self.status.watch(self.workspace)

        self.coding = CodingActions(self, current, self.workspace, self.status.tell)
        self.coding.snap_action.setChecked(self.settings.snap_words())
        self.coding.snap_action.toggled.connect(self.settings.set_snap_words)
        from kzcoder.gui.documents.pane_details import add_pane_details_action

        add_pane_details_action(self.workspace, self.documents_dock)  # Ctrl+E in a pane
        self.codebook_actions = CodebookActions(self, current, self.codebook_dock,
                                                self.status.tell)
        self.codebook_actions.folders = self.settings  # exports open where the last went
        self.file_actions = FileActions(self, current, self.settings, self.set_session)
        self.export_actions = ExportActions(self, current, self.segments_dock.shown_coding_ids,
                                            self.file_actions.open_project, self.status.tell,
                                            folders=self.settings,
                                            shown_name=self.segments_dock.describe_view,
                                            filtered_documents=lambda: self.filtered_documents)
        self.team_actions = TeamActions(self, current, self.workspace, self.status.tell)
        self.undo_actions = build_menus(
            self, current, self.file_actions, self.export_actions, self.coding,
            self.codebook_actions,
            self.documents_dock, self.workspace,
            [self.documents_dock, self.codebook_dock, self.segments_dock, self.memo_dock,
             self.analysis_dock],
            {"documents": self.documents_dock.view.setFocus,
             "codebook": self.codebook_dock.view.setFocus,
             "segments": self.segments_dock.view.setFocus,
             "memo": self.memo_dock.editor.setFocus,
             "close_project": self.close_project, "reset_layout": self.reset_layout,
             "shortcuts": self.show_shortcuts, "about": self.show_about,
             "merge": lambda: self.team_actions.merge(),
             "agreement": self.team_actions.agreement},
            self.status.tell)
        analysis_menu = add_analysis_menu(self, self.analysis_dock)
        self.analysis_dock.sig_segments.connect(
            lambda found, title: show_in_segments(self.segments_dock, found, title))
        self.analysis_dock.sig_message.connect(self.status.tell)
        # the active document filter is the window's, not only the analysis area's
        self.analysis_dock.sig_documents_filtered.connect(self._keep_filtered_documents)
        self.documents_dock.sig_filter_typed.connect(self.analysis_dock.filter_by)
        self.analysis_dock.sig_documents_filtered.connect(self.documents_dock.show_only)
        self.analysis_dock.sig_documents_filtered.connect(
            self.segments_dock.show_only_documents)

        workspace = self.workspace
        self.documents_dock.sig_open_requested.connect(
            lambda document_id: workspace.open_document(None, document_id))
        # a plain click on a code retrieves; coding from the codebook is its own gesture
        self.codebook_dock.sig_code_clicked.connect(self.segments_dock.show_code)
        self.codebook_dock.sig_code_chosen.connect(self.coding.code_selection)
        self.segments_dock.sig_scope_changed.connect(self.codebook_dock.select_code)
        self.segments_dock.sig_message.connect(self.status.tell)
        # checkpoints when idle, rolling backups, other programs' changes (operations/watch.py)
        from kzcoder.gui.operations.watch import ProjectWatch

        self.watch = ProjectWatch(current, self)  # checkpoints, rolling backups, other programs
        self.watch.sig_message.connect(self.status.tell)
        from kzcoder.gui.server.live import LiveFeed  # other coders' changes, on a server

        self.live = LiveFeed(current, self)
        self.live.sig_state.connect(self.status.show_connection)
        self.segments_dock.sig_segment_activated.connect(
            lambda s: workspace.show_segment(s.document_id, s.start, s.end))
        from kzcoder.gui.search.actions import SearchActions  # the search dock, Ctrl+F

        self.search_actions = SearchActions(self, current, workspace, self.status.tell)
        # the search's word-frequency view, as a tab of the analysis area; a word clicked
        # there is searched
        words = QAction("&Word frequencies…", self, objectName="actionAnalysisWords")
        words.triggered.connect(lambda _checked=False: self.analysis_dock.show_words())
        analysis_menu.addAction(words)
        self.analysis_dock.sig_word_clicked.connect(self.search_actions.search_word)
        self.analysis_dock.sig_documents_filtered.connect(
            self.search_actions.dock.show_only_documents)
        # the memo shown is that of what is chosen in these
        self.memo_dock.follow(self.documents_dock, self.codebook_dock, self.segments_dock,
                              workspace)

    def _keep_filtered_documents(self, documents: set[int] | None) -> None:
        self.filtered_documents = documents
        # the bar over Documents shows the conditions in force, wherever they were typed
        if self.documents_dock.filter_bar.text() != self.analysis_dock.where.text():
            self.documents_dock.filter_bar.setText(self.analysis_dock.where.text())

    def show_opening(self, path) -> None:  # noqa: ANN001 - pathlib.Path
        """Name the project being opened while the data layer loads."""
        self.setWindowTitle(f"{path.name} (opening…)")
        self.status.show_opening(path)

    # --- project ------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession) -> None:
        """Show *session*'s project: every view reloads, and the documents open when it was
        last closed come back in the panes."""
        self.build()
        if self.session is not None:
            self._save_open_documents()
        self.current.set(session)
        path = session.project.path
        # Qt adds " — kzcoder" (the application's display name) itself
        project = session.project
        read_only = " — read-only" if project.read_only else ""
        where = path if project.is_server else path.parent  # a URL shows no password
        self.setWindowTitle(f"{path.name} ({where}){read_only}")
        self.settings.add_recent(path)
        wanted = self.settings.open_documents(path)
        docs = list(session.documents)
        if wanted is None:  # first time: two articles side by side
            wanted = docs[:2]
        wanted = [i for i in wanted if i in session.documents][:4] or docs[:1]
        self.workspace.show_documents(wanted)
        from kzcoder.gui.shell import view_state

        view_state.restore(self)  # active pane, scroll, cursor, segments' sort
        self.status.refresh()
        if project.read_only:
            self.status.tell(f"Read-only: {project.read_only_reason}; changes are refused", 15000)

    def actions_named(self, name: str) -> QAction | None:
        """The window's action with this objectName (for tests and accessibility tools)."""
        return self.findChild(QAction, name)

    def close_project(self) -> None:
        """Close the project; the window stays, empty, until another one is opened."""
        if self.session is None:
            return
        self._save_open_documents()
        self.current.set(None)
        self.setWindowTitle("No project")
        self.status.refresh()

    def reset_layout(self) -> None:
        """View ▸ Reset layout: docks and panes at their default sizes."""
        from kzcoder.gui.shell.layout import reset_layout

        reset_layout(self)

    def show_shortcuts(self) -> None:
        from kzcoder.gui.shell.help import ShortcutsDialog

        ShortcutsDialog(self).open()

    def show_about(self) -> None:
        from kzcoder.gui.shell.help import show_about

        show_about(self)

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "kzcoder", message)

    # --- closing -------------------------------------------------------------------------------
    def _save_open_documents(self) -> None:
        from kzcoder.gui.shell import view_state

        self.settings.set_open_documents(self.session.project.path, self.workspace.document_ids())
        view_state.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        save_layout(self, self.settings)  # before closing the project empties the panes
        if self.built:
            self.live.stop()
        if self.session is not None:
            if self.built:
                self._save_open_documents()
            self.current.close()
        self.settings.sync()
        super().closeEvent(event)
