"""Word frequencies: a table (word, count, documents) and a bar chart of the most frequent
words, over every text or inside one code's segments, without the stop words of the chosen
languages. Clicking a word asks for it to be searched. Counting runs in a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.search.worker import SearchRunner
from kzcoder.gui.table_model import ColumnsTableModel, Index

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services.search import words as words_service
else:
    words_service = lazy_import("kzcoder.services.search.words")

CHART_WORDS = 20


class WordsModel(ColumnsTableModel):
    COLUMNS = ("Word", "Count", "Documents")

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QObject
        super().__init__(parent)
        self.rows: list = []

    def row_total(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.UserRole):
            return None
        row = self.rows[index.row()]
        value = (row.word, row.count, row.documents)[index.column()]
        return value if role == Qt.ItemDataRole.UserRole or index.column() == 0 else str(value)


class WordsView(QWidget):
    """``sig_word_clicked(word)`` when a word is clicked in the table or the chart."""

    sig_word_clicked = Signal(str)
    #: the documents to count in (the active document filter's), None: every document
    documents: frozenset[int] | None = None

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordsView")
        self._current = current
        self.runner = SearchRunner(self)
        self.runner.sig_done.connect(self._on_done)
        self.top = QSpinBox(objectName="wordsTop", minimum=1, maximum=100_000, value=200)
        self.stopwords = QLineEdit("en,ru,kk", objectName="wordsStopwords")
        self.stopwords.setToolTip("Stop-word languages to leave out: en, ru, kk, or none")
        self.code = QComboBox(objectName="wordsCode")
        self.refresh_button = QPushButton("Count", objectName="wordsCount")
        self.refresh_button.clicked.connect(self.count)
        self.status = QLabel("", objectName="wordsStatus")
        self.model = WordsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(objectName="wordsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.clicked.connect(
            lambda index: self.sig_word_clicked.emit(self.proxy.index(index.row(), 0).data()))
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart_view = QChartView(self.chart, objectName="wordsChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QHBoxLayout()
        for label, widget in (("Top", self.top), ("Stop words", self.stopwords),
                              ("In", self.code)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart_view)
        split.setSizes([300, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    def fill_codes(self) -> None:
        session = self._current.session
        chosen = self.code.currentData()
        self.code.clear()
        self.code.addItem("every text", None)
        for code in session.code_list() if session else []:
            self.code.addItem(f"code {code.name}", code.id)
        index = self.code.findData(chosen)
        self.code.setCurrentIndex(max(index, 0))

    def count(self) -> None:
        """Count the words with the options shown (in a worker thread)."""
        session = self._current.session
        if session is None:
            return
        project, top, code = session.project, self.top.value(), self.code.currentData()
        text, documents = self.stopwords.text(), self.documents
        self.status.setText("Counting…")

        def call(_progress, _partial):  # noqa: ANN001, ANN202 - in the worker thread
            languages = words_service.parse_languages(text)
            return words_service.word_frequencies(project, top=top, languages=languages,
                                                  code=code, documents=documents)

        self.runner.start(call)

    def wait(self) -> None:
        """Block until counting has ended and the result is shown (tests)."""
        from PySide6.QtWidgets import QApplication

        self.runner.wait()
        QApplication.processEvents()

    def _on_done(self, rows, error: BaseException | None) -> None:  # noqa: ANN001
        if error is not None:
            self.status.setText(str(error).splitlines()[0] if str(error) else "failed")
            return
        self.model.set_rows(rows)
        where = " in the filtered documents" if self.documents is not None else ""
        self.status.setText(f"{len(rows)} word(s){where}")
        self._draw(rows[:CHART_WORDS])

    def _draw(self, rows: list) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        if not rows:
            return
        counts = QBarSet("count")
        counts.append([float(r.count) for r in rows])
        series = QBarSeries()
        series.append(counts)
        series.clicked.connect(lambda i, _set: self.sig_word_clicked.emit(rows[i].word))
        self.chart.addSeries(series)
        words = QBarCategoryAxis()
        words.append([r.word for r in rows])
        words.setLabelsAngle(-60)
        values = QValueAxis()
        values.setRange(0, max(r.count for r in rows))
        values.setLabelFormat("%d")
        self.chart.addAxis(words, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(words)
        series.attachAxis(values)
