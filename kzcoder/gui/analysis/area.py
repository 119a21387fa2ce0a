"""The analysis area: one dock of tabs (code matrix, co-occurrence) under a document filter
bar that says how many documents it keeps ("3 of 5 documents").

It follows the project: a change to codings, codes, documents or sets recomputes the tab in
view one event-loop turn later (merged, so a burst costs one refresh); hidden tabs recompute
when they are next shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    # the tabs load QtCharts: only when a tab is first opened, not at the window's start-up
    from kzcoder.gui.analysis.tabs import AnalysisTab, CooccurrenceTab, MatrixTab
    from kzcoder.services.analysis import filters as filters_service
    from kzcoder.services.analysis import sets as sets_service
else:
    filters_service = lazy_import("kzcoder.services.analysis.filters")
    sets_service = lazy_import("kzcoder.services.analysis.sets")

ALL = "All documents"


def split_conditions(text: str) -> list[str]:
    """The conditions typed in the filter bar: separated by ';' or ' AND '."""
    parts = text.replace(" AND ", ";").replace(" and ", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


class AnalysisDock(QDockWidget):
    """``sig_segments(list[Segment], title)``: a cell was clicked; ``sig_message``: one line
    for the status bar."""

    sig_segments = Signal(object, str)
    sig_message = Signal(str)
    #: the documents the active filter keeps (a set of ids), or None when nothing is filtered:
    #: the Documents list and Coded segments follow it (gui/shell/main_window.py)
    sig_documents_filtered = Signal(object)
    #: a word clicked in the Word frequencies tab (the window searches it)
    sig_word_clicked = Signal(str)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Analysis", parent)
        self.setObjectName("analysisDock")
        self._current = current
        self.documents: set[int] | None = None
        self._dirty: set[AnalysisTab] = set()  # to count again whole when next in view
        self._touched: set[int] = set()  # documents whose codings changed since
        self.where = QLineEdit(objectName="analysisWhere")
        self.where.setPlaceholderText("Filter documents: outlet=IWPR; published=2005..2011; "
                                      "text~shoot")
        self.where.setClearButtonEnabled(True)
        self.where.returnPressed.connect(self.apply_filter)
        self.docset = QComboBox(objectName="analysisDocset")
        self.docset.addItem(ALL, None)
        self.docset.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.kept = QLabel(objectName="analysisKept")
        self.save_set = QPushButton("Save as set…", objectName="analysisSaveSet")
        self.save_set.setToolTip("Keep this filter under a name (a dynamic document set)")
        self.save_set.clicked.connect(self.save_filter_as_set)
        self.tabs = QTabWidget(objectName="analysisTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_shown())
        self.matrix_tab: MatrixTab | None = None
        self.cooccurrence_tab: CooccurrenceTab | None = None
        self.words_tab: QWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._refresh_shown)
        bar = QHBoxLayout()
        bar.addWidget(self.where, 3)
        bar.addWidget(self.docset, 1)
        bar.addWidget(self.save_set)
        bar.addWidget(self.kept)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.setWidget(body)
        self.visibilityChanged.connect(lambda _shown: self._refresh_shown())
        current.sig_changed.connect(self._on_changed)

    # --- tabs ----------------------------------------------------------------------------------
    def _tabs(self) -> list[AnalysisTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def _add(self, tab: AnalysisTab) -> AnalysisTab:
        tab.sig_segments.connect(self.sig_segments)
        tab.sig_error.connect(self._current.sig_error)
        self.tabs.addTab(tab, tab.title)
        tab.project = self._project()
        tab.documents = self.documents
        self._dirty.add(tab)
        return tab

    def show_matrix(self) -> MatrixTab:
        """Analysis ▸ Code matrix: show (or open) the matrix tab."""
        if self.matrix_tab is None:
            from kzcoder.gui.analysis.tabs import MatrixTab

            self.matrix_tab = self._add(MatrixTab())
            self._offer_attributes()
        return self._show(self.matrix_tab)

    def show_cooccurrence(self) -> CooccurrenceTab:
        """Analysis ▸ Co-occurrence: show (or open) the co-occurrence tab."""
        if self.cooccurrence_tab is None:
            from kzcoder.gui.analysis.tabs import CooccurrenceTab

            self.cooccurrence_tab = self._add(CooccurrenceTab())
        return self._show(self.cooccurrence_tab)

    def show_words(self) -> QWidget:
        """Analysis ▸ Word frequencies: show (or open) the word-frequency tab."""
        if self.words_tab is None:
            from kzcoder.gui.analysis.words_tab import WordsTab

            self.words_tab = self._add(WordsTab(self._current))
            self.words_tab.sig_word_clicked.connect(self.sig_word_clicked)
        return self._show(self.words_tab)

    _sized = False

    def _show(self, tab: AnalysisTab) -> AnalysisTab:
        self.show()
        self.raise_()
        window = self.parentWidget()
        if not self._sized and isinstance(window, QMainWindow) and not self.isFloating():
            self._sized = True  # room for a table beside its chart, the first time
            window.resizeDocks([self], [int(window.width() * 0.45)], Qt.Orientation.Horizontal)
        self.tabs.setCurrentWidget(tab)
        self._refresh_shown()
        return tab

    def _close_tab(self, index: int) -> None:
        tab = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self._dirty.discard(tab)
        if tab is self.matrix_tab:
            self.matrix_tab = None
        if tab is self.words_tab:
            self.words_tab = None
        if tab is self.cooccurrence_tab:
            self.cooccurrence_tab = None
        tab.deleteLater()

    # --- the filter ------------------------------------------------------------------------------
    def _project(self):  # noqa: ANN202
        session = self._current.session
        return session.project if session is not None else None

    def filter_by(self, text: str) -> None:
        """Apply the conditions *text* (typed in the filter bar over Documents) as if typed
        here."""
        self.where.setText(text)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Keep the documents the filter bar and the chosen set keep, in every tab."""
        project = self._project()
        if project is None:
            self.documents = None
            self.kept.setText("")
            self.sig_documents_filtered.emit(None)
            return
        try:
            self.documents = filters_service.filtered_documents(
                project, split_conditions(self.where.text()), self.docset.currentData())
        except Exception as exc:  # noqa: BLE001 - a bad condition: one line, nothing kept
            self.sig_message.emit(str(exc))
            self.kept.setText("filter not applied")
            self.where.setStyleSheet("color: #D55E00")
            return
        self.where.setStyleSheet("")
        total = filters_service.document_count(project)
        shown = total if self.documents is None else len(self.documents)
        self.kept.setText(f"{shown} of {total} documents")
        self.sig_documents_filtered.emit(self.documents)
        for tab in self._tabs():
            tab.project, tab.documents = project, self.documents
            self._dirty.add(tab)
        self._refresh_shown()

    def save_filter_as_set(self) -> None:
        """Keep the filter bar's conditions as a dynamic set, under a name asked for."""
        session = self._current.session
        conditions = split_conditions(self.where.text())
        if session is None or not conditions:
            self.sig_message.emit("Type a filter first (outlet=IWPR; published=2005..2011).")
            return
        name, ok = QInputDialog.getText(self, "Save as document set",
                                        f"Name for the set of {' AND '.join(conditions)}:")
        if ok and session.run(sets_service.add_dynamic_set, name, conditions) is not None:
            self.docset.setCurrentIndex(self.docset.findData(name.strip()))
            self.where.clear()
            self.apply_filter()

    def _offer_sets(self) -> None:
        project = self._project()
        wanted = self.docset.currentData()
        self.docset.blockSignals(True)
        self.docset.clear()
        self.docset.addItem(ALL, None)
        if project is not None:
            for found in sets_service.list_sets(project):
                self.docset.addItem(f"Set: {found.name} ({len(found.documents)})", found.name)
        self.docset.setCurrentIndex(max(self.docset.findData(wanted), 0))
        self.docset.blockSignals(False)

    def _offer_attributes(self) -> None:
        project = self._project()
        if self.matrix_tab is None or project is None:
            return
        names, dates = filters_service.attribute_names(project)
        self.matrix_tab.set_attributes(names, dates)
        session = self._current.session
        self.matrix_tab.code_colors = {c.id: c.color for c in session.codes.values()}

    # --- following the project ----------------------------------------------------------------
    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.project or changes.document_sets:
            self._offer_sets()
        if changes.project or changes.documents or changes.document_list or changes.codes:
            self._offer_attributes()
        if changes.project or changes.documents or changes.document_list \
                or changes.document_sets:
            self.apply_filter()  # marks every tab
            return
        if changes.code_tree or changes.codes or changes.coders:
            self._dirty.update(self._tabs())
            self._timer.start()
        elif changes.codings:
            # the tab in view swaps in the numbers of the documents touched, if it can; the
            # pane repaints first, and a burst of codings costs one update
            shown = self.tabs.currentWidget()
            for tab in self._tabs():
                if tab is shown and hasattr(tab, "update_documents"):
                    self._touched |= set(changes.coded_documents)
                else:
                    self._dirty.add(tab)
            self._timer.start()

    def _refresh_shown(self) -> None:
        tab = self.tabs.currentWidget()
        touched, self._touched = self._touched, set()
        if tab is None or not self.isVisible():
            if tab is not None and touched:
                self._dirty.add(tab)
            return
        if tab in self._dirty:
            self._dirty.discard(tab)
            tab.project = self._project()
            tab.refresh()
        elif touched:
            tab.update_documents(touched)
