"""Analysis ▸ Word frequencies: the search's word-frequency view (table and bars) as a tab of
the analysis area, counting in the documents the active filter keeps."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from kzcoder.gui.analysis.tabs import EXPORTS, AnalysisTab
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.search.words_view import CHART_WORDS, WordsView


class WordsTab(QWidget):
    """A tab of the analysis area like the others (``project``, ``documents``, ``refresh``);
    ``sig_word_clicked(word)`` when a word is clicked."""

    sig_segments = Signal(object, str)  # what every analysis tab has; words list no segments
    sig_error = Signal(str)
    sig_word_clicked = Signal(str)
    title = "Word frequencies"
    # Export as the other tabs do it: the table as CSV/XLSX, the chart as PNG/SVG
    export_dialog = AnalysisTab.export_dialog

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordsTab")
        self.project = None
        self.documents: set[int] | None = None
        self.view = WordsView(current, self)
        self.view.sig_word_clicked.connect(self.sig_word_clicked)
        self.chart = self.view.chart_view
        self.export_button = QPushButton("Export…", objectName="wordsExport")
        menu = QMenu(self.export_button)
        for fmt, label in EXPORTS:
            menu.addAction(label.split(" (")[0], lambda f=fmt: self.export_dialog(f))
        self.export_button.setMenu(menu)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def table(self) -> tuple[list[str], list[list[object]]]:
        """The words as a table: word, count, documents (most frequent first)."""
        return (["word", "count", "documents"],
                [[row.word, row.count, row.documents] for row in self.view.model.rows])

    def refresh(self) -> None:
        """Count again, in the filter's documents."""
        self.view.documents = None if self.documents is None else frozenset(self.documents)
        self.view.fill_codes()
        self.view.count()

    def update_documents(self, _documents: set[int]) -> None:
        """A coding changes no word count, unless the count is inside a code's segments."""
        if self.view.code.currentData() is not None:
            self.refresh()

    def export_to(self, path: Path, fmt: str) -> bool:
        """Write the table (CSV, XLSX) or the bars of the most frequent words (PNG, SVG, drawn
        as ``kzcoder chart --kind words`` draws them) to *path*."""
        if fmt not in ("png", "svg"):
            return AnalysisTab.export_to(self, path, fmt)
        from kzcoder.core.analysis.charts import bars_of_counts
        from kzcoder.gui.analysis.charts import render_chart
        from kzcoder.gui.analysis.tabs import tables_service

        rows = self.view.model.rows[:CHART_WORDS]
        data = bars_of_counts([(row.word, row.count) for row in rows], self.title)
        try:
            tables_service.write_new_file(path, lambda p: render_chart(data, p, fmt),
                                          overwrite=True)
        except Exception as exc:  # noqa: BLE001 - one line for the user, as the other tabs
            self.sig_error.emit(str(exc))
            return False
        return True
