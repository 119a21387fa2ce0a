"""The Search dock (Ctrl+Shift+F): a query over the whole corpus, searched as you type in a
worker thread, its hits as a keyword-in-context table. Double-click opens a hit in the active
pane; *Code all hits as…* / *Code selected hits as…* code them (grown to their word, sentence
or paragraph if asked) as one undo step, after saying how many codings that adds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.core.search.hits import Hit
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.search.model import HIT_ROLE, SORT_ROLE, HitsModel
from kzcoder.gui.search.worker import SearchRunner

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services.search import autocode, searching
    from kzcoder.services.search import undoable as search_commands
else:
    autocode = lazy_import("kzcoder.services.search.autocode")
    searching = lazy_import("kzcoder.services.search.searching")
    search_commands = lazy_import("kzcoder.services.search.undoable")

TYPING_PAUSE_MS = 40  # a search starts this long after the last key
EXPANSIONS = (("the hit itself", "hit"), ("its whole word", "word"),
              ("its sentence", "sentence"), ("its paragraph", "paragraph"))


class SearchDock(QDockWidget):
    """``sig_hit_activated(Hit)`` on double-click or Enter; ``sig_hits_changed(query)`` when
    new hits are shown (panes mark them); ``sig_message`` says what happened."""

    sig_hit_activated = Signal(object)
    sig_hits_changed = Signal()
    sig_message = Signal(str)
    sig_words_requested = Signal()

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Search", parent)
        self.setObjectName("searchDock")
        self._current = current
        self.compiled = None  # the query the hits shown came from (for marking panes)
        self.runner = SearchRunner(self)
        self.runner.sig_done.connect(self._on_done)
        self.runner.sig_partial.connect(self._on_partial)
        self.runner.sig_progress.connect(self._on_progress)
        self.runner.sig_busy.connect(self._on_busy)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.search_now)
        current.sig_changed.connect(self._on_changed)

        self.query = QLineEdit(objectName="searchQuery")
        self.query.setPlaceholderText('Search: words, OR, -word, "a phrase", prefix*')
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(lambda _t: self._typing.start())
        self.query.returnPressed.connect(self.search_now)
        # options and the coding commands sit behind two buttons: the dock stays narrow
        self.regex = QAction("Regular expression (over the raw text)", self, checkable=True,
                             objectName="searchRegex")
        self.forms = QAction("Word forms (terrorist = terrorists)", self, checkable=True,
                             objectName="searchForms")
        self.variants = QAction("Name variants as one term", self, checkable=True,
                                checked=True, objectName="searchVariants")
        options_menu = QMenu(self)
        for action in (self.regex, self.forms, self.variants):
            options_menu.addAction(action)
            action.toggled.connect(lambda _on: self.search_now())
        self.options = QToolButton(objectName="searchOptions", text="Options",
                                   popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.options.setMenu(options_menu)
        self.status = QLabel("Type to search every document", objectName="searchStatus")
        self.progress = QProgressBar(objectName="searchProgress", visible=False)
        self.progress.setMaximumWidth(160)
        self.stop_button = QPushButton("Stop", objectName="searchStop", visible=False)
        self.stop_button.clicked.connect(self._stop)

        self.model = HitsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView(objectName="searchView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)

        code_menu = QMenu(self)
        self.code_all = code_menu.addAction("Code all hits as…")
        self.code_all.triggered.connect(lambda: self.code_hits(selected_only=False))
        self.code_selected = code_menu.addAction("Code selected hits as…")
        self.code_selected.triggered.connect(lambda: self.code_hits(selected_only=True))
        code_menu.addSection("Code")
        self._expansions = QActionGroup(self)
        for text, value in EXPANSIONS:
            action = code_menu.addAction(text)
            action.setCheckable(True)
            action.setData(value)
            action.setChecked(value == "hit")
            self._expansions.addAction(action)
        self.code_button = QToolButton(objectName="searchCode", text="Code hits",
                                       popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.code_button.setMenu(code_menu)
        self.words_button = QPushButton("Words", objectName="searchWords")
        self.words_button.setToolTip("Word frequencies")
        self.words_button.clicked.connect(self.sig_words_requested)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.options)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.stop_button)
        bottom.addWidget(self.code_button)
        bottom.addWidget(self.words_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.setWidget(body)

    # --- searching ------------------------------------------------------------------------
    def set_query(self, text: str) -> None:
        """Search *text* now (a word clicked in Word frequencies, a test)."""
        self.query.setText(text)
        self.search_now()

    #: the active document filter's documents (None: every document); hits, and so the
    #: hits coded from here, come only from these
    documents: frozenset[int] | None = None

    def show_only_documents(self, documents: set[int] | None) -> None:
        """Search only *documents* (ids; None: all), the active document filter; a query in
        the box is searched again."""
        self.documents = None if documents is None else frozenset(documents)
        if self.query.text().strip():
            self.search_now()

    def search_now(self) -> None:
        self._typing.stop()
        session = self._current.session
        text = self.query.text()
        if session is None or not text.strip():
            self.runner.stop()
            self._show([], None, "Type to search every document")
            return
        project = session.project
        options = {"regex": self.regex.isChecked(), "forms": self.forms.isChecked(),
                   "variants": self.variants.isChecked()}
        documents = self.documents

        def call(progress, partial):  # noqa: ANN001, ANN202 - in the worker thread
            compiled = searching.compile_query(project, text, **options)
            partial(None)  # the query is good: the table empties for its hits
            found = []
            for batch in searching.iter_hits(project, text, progress=progress,
                                             documents=documents, **options):
                found += batch
                partial(batch)
            return compiled, found

        self.runner.start(call)

    def _stop(self) -> None:
        self.runner.stop()
        self._on_busy(False)
        self.status.setText("Search stopped")

    def wait(self) -> None:
        """Block until the search running has ended and its hits are shown (tests)."""
        from PySide6.QtWidgets import QApplication

        self.runner.wait()
        QApplication.processEvents()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _on_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)

    def _on_partial(self, batch: list[Hit] | None) -> None:
        """The first hits while the rest are searched (None: a new search begins)."""
        if batch is None:
            self._show([], None, "Searching…")
        else:
            first = not self.model.hits
            self.model.add_hits(batch)
            if first:
                self._widths()
            self.status.setText(f"{self.model.rowCount()} hit(s) so far…")

    def _on_done(self, result, error: BaseException | None) -> None:  # noqa: ANN001
        if error is not None:
            self._show([], None, str(error).splitlines()[0] if str(error) else "search failed")
            return
        compiled, hits = result
        documents = len({h.document_id for h in hits})
        status = f"{len(hits)} hit(s) in {documents} document(s)"
        if self.model.hits == hits:  # all shown already, batch by batch: keep the scroll
            self.compiled = compiled
            self.status.setText(status)
            self.sig_hits_changed.emit()
        else:
            self._show(hits, compiled, status)

    def _show(self, hits: list[Hit], compiled, status: str) -> None:  # noqa: ANN001
        session = self._current.session
        titles = {d.id: d.title or d.name for d in session.documents.values()} if session \
            else {}
        dates = {d.id: d.attributes.get("published", "") for d in session.documents.values()
                 } if session else {}
        self.model.set_hits(hits, titles, dates)
        self.compiled = compiled
        self.status.setText(status)
        if hits:
            self._widths()
        self.sig_hits_changed.emit()

    def _widths(self) -> None:
        for column, width in ((0, 260), (1, 140), (2, 260), (3, 180)):
            self.view.setColumnWidth(column, width)

    def hits(self) -> list[Hit]:
        """The hits shown, in the table's order."""
        return [self.proxy.index(row, 0).data(HIT_ROLE) for row in range(self.proxy.rowCount())]

    def selected_hits(self) -> list[Hit]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.proxy.index(row, 0).data(HIT_ROLE) for row in rows]

    def _activate(self, index) -> None:  # noqa: ANN001
        hit = self.proxy.index(index.row(), 0).data(HIT_ROLE)
        if hit is not None:
            self.sig_hit_activated.emit(hit)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if self._current.session is None:
            self.runner.stop()
            self._show([], None, "No project open")
        elif (changes.project or changes.document_list) and self.query.text().strip():
            self.search_now()  # the documents changed: so may the hits

    # --- coding hits ----------------------------------------------------------------------
    def expansion(self) -> str:
        """What a hit is grown to when coded: hit, word, sentence or paragraph."""
        return self._expansions.checkedAction().data()

    def set_expansion(self, unit: str) -> None:
        for action in self._expansions.actions():
            action.setChecked(action.data() == unit)

    def choose_code(self) -> tuple[int, str] | None:
        """Ask which code to apply; (id, name) or None."""
        session = self._current.session
        codes = session.code_list()
        if not codes:
            self.sig_message.emit("The codebook is empty: add a code first.")
            return None
        names = [c.name for c in codes]
        name, ok = QInputDialog.getItem(self, "Code hits", "Code as:", names, 0, False)
        if not ok:
            return None
        code = codes[names.index(name)]
        return code.id, code.name

    def code_hits(self, *, selected_only: bool) -> bool:
        """Code every hit shown (or the selected ones) as a code the user picks, grown as the
        expansion box says, after a preview of how many codings that adds: one undo step."""
        session = self._current.session
        hits = self.selected_hits() if selected_only else self.hits()
        if session is None or not hits:
            self.sig_message.emit("Select the hits to code first." if selected_only
                                  else "There are no hits to code.")
            return False
        chosen = self.choose_code()
        if chosen is None:
            return False
        code_id, name = chosen
        unit = self.expansion()
        spans = autocode.expand_hits(session.project,
                                     [(h.document_id, h.start, h.end) for h in hits], unit)
        new, there = autocode.count_new(session.project, spans, code_id, coder=session.coder)
        if new == 0:
            self.sig_message.emit(f"Nothing to add: all {there} are coded as {name} already.")
            return False
        answer = QMessageBox.question(
            self, "Code hits", f"Code {len(hits)} hit(s) as {name}: adds {new} coding(s)"
            + (f"; {there} already there" if there else "") + ". One undo step.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if not session.run_command(search_commands.CodeHits(tuple(spans), code_id,
                                                            session.coder, name)):
            return False
        self.sig_message.emit(f"Added {new} coding(s) as {name}. Ctrl+Z undoes it.")
        return True
