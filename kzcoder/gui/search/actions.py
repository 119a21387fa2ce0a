"""The window's search: the Search dock (Ctrl+Shift+F), the find bar (Ctrl+F, F3,
Shift+F3), Word frequencies and Name variants, and the Search menu that holds them. Hits of
the corpus search are marked in every pane showing their document."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar

from kzcoder.core.search.hits import Hit
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.search.dock import SearchDock
from kzcoder.gui.search.find_bar import FindBar
from kzcoder.gui.search.marks import mark_spans
from kzcoder.gui.search.syntax import show_syntax
from kzcoder.gui.search.words_view import WordsView


class SearchActions:
    def __init__(self, window: QMainWindow, current: CurrentSession, workspace,  # noqa: ANN001
                 tell: Callable[[str], None]) -> None:
        self.window, self.current, self.workspace, self.tell = window, current, workspace, tell
        self.dock = SearchDock(current, window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.words = WordsView(current)
        self.words_dock = QDockWidget("Word frequencies", window, objectName="wordsDock")
        self.words_dock.setWidget(self.words)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.words_dock)
        segments = getattr(window, "segments_dock", None)
        if segments is not None:
            window.tabifyDockWidget(segments, self.dock)
            window.tabifyDockWidget(self.dock, self.words_dock)
            segments.raise_()
        self.dock.hide()  # until asked for (Ctrl+Shift+F): the window's minimum stays as it was
        self.words_dock.hide()
        self.find_bar = FindBar(current, self._active_view, window)
        self.find_toolbar = QToolBar("Find", window, objectName="findToolBar", movable=False)
        self.find_toolbar.addWidget(self.find_bar)
        window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.find_toolbar)
        self.find_toolbar.hide()
        self.find_bar.sig_closed.connect(self._find_closed)

        self.menu = QMenu("&Search", window, objectName="menuSearch")
        self.find_action = self._add("&Find in document…", "actionFind", self.find,
                                     QKeySequence.StandardKey.Find)
        self._add("Find &next", "actionFindNext", self.find_next, "F3")
        self._add("Find &previous", "actionFindPrevious", self.find_previous, "Shift+F3")
        self.menu.addSeparator()
        self.search_action = self._add("&Search all documents…", "actionSearchCorpus",
                                       self.search_corpus, "Ctrl+Shift+F")
        self._add("Code &all hits as…", "actionCodeAllHits",
                  lambda: self.dock.code_hits(selected_only=False))
        self._add("Code s&elected hits as…", "actionCodeSelectedHits",
                  lambda: self.dock.code_hits(selected_only=True))
        self.menu.addSeparator()
        self._add("&Word frequencies", "actionWordFrequencies", self.show_words)
        self._add("Name &variants…", "actionNameVariants", self.edit_variants)
        help_menu = window.findChild(QMenu, "menuHelp")
        bar = window.menuBar()
        if help_menu is not None:
            bar.insertMenu(help_menu.menuAction(), self.menu)
            syntax = QAction("Search s&yntax", window, objectName="actionSearchSyntax")
            syntax.triggered.connect(lambda: show_syntax(window))
            about = window.findChild(QAction, "actionAbout")
            if about is not None:
                help_menu.insertAction(about, syntax)
            else:
                help_menu.addAction(syntax)
        else:
            bar.addMenu(self.menu)

        self.dock.sig_message.connect(tell)
        self.dock.sig_hit_activated.connect(self.open_hit)
        self.dock.sig_hits_changed.connect(self.mark_panes)
        self.dock.sig_words_requested.connect(self.show_words)
        self.words.sig_word_clicked.connect(self.search_word)
        workspace.sig_document_shown.connect(lambda pane: self.mark_panes())

    def _add(self, text: str, name: str, slot: Callable[[], object],
             key: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self.window, objectName=name)
        if key is not None:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.window.addAction(action)
        return action

    def _active_view(self):  # noqa: ANN202 - DocumentView or None
        pane = self.workspace.active_pane()
        return pane.view if pane is not None else None

    # --- find in the document -------------------------------------------------------------
    def find(self) -> None:
        self.find_toolbar.show()
        self.find_bar.open_bar()

    def find_next(self) -> None:
        if not self.find_toolbar.isVisible():
            self.find()
            return
        self.find_bar.next()

    def find_previous(self) -> None:
        if not self.find_toolbar.isVisible():
            self.find()
            return
        self.find_bar.previous()

    def _find_closed(self) -> None:
        self.find_toolbar.hide()
        self.mark_panes()

    # --- the corpus -----------------------------------------------------------------------
    def _bring(self, dock: QDockWidget) -> None:
        """Show *dock* as a tab beside the coded segments (where a restored layout may not
        have put it), in front."""
        segments = getattr(self.window, "segments_dock", None)
        if not dock.isVisible() and segments is not None and segments.isVisible():
            self.window.tabifyDockWidget(segments, dock)  # a hidden tab comes back beside it
        dock.show()
        dock.raise_()

    def search_corpus(self) -> None:
        self._bring(self.dock)
        view = self._active_view()
        selected = view.selected_text().strip() if view is not None else ""
        if selected and "\n" not in selected and not self.dock.query.text():
            self.dock.query.setText(selected)
        self.dock.query.setFocus()
        self.dock.query.selectAll()

    def search_word(self, word: str) -> None:
        self._bring(self.dock)
        self.dock.regex.setChecked(False)
        self.dock.set_query(word)

    def open_hit(self, hit: Hit) -> None:
        self.workspace.show_segment(hit.document_id, hit.start, hit.end)
        self.mark_panes()

    def mark_panes(self) -> None:
        """Mark the corpus search's hits in every pane (unless the find bar marks its own)."""
        by_document: dict[int, list[tuple[int, int]]] = {}
        for hit in self.dock.model.hits:
            by_document.setdefault(hit.document_id, []).append((hit.start, hit.end))
        finding = self.find_toolbar.isVisible()
        active = self._active_view()
        for pane in self.workspace.panes():
            if finding and pane.view is active:
                continue
            mark_spans(pane.view, by_document.get(pane.view.document_id, []))

    def show_words(self) -> None:
        self._bring(self.words_dock)
        self.words.fill_codes()
        self.words.count()

    def edit_variants(self) -> None:
        if self.current.session is None:
            return
        from kzcoder.gui.search.variants_dialog import VariantsDialog

        dialog = VariantsDialog(self.current, self.window)
        dialog.finished.connect(lambda _r: self.dock.search_now())
        dialog.open()
        self.variants_dialog = dialog
