"""The analysis area's tabs: the code matrix and the co-occurrence table, each a table (heat
shaded, sortable, with totals) beside its chart, with its own choices and Export.

A tab computes nothing itself: it asks the services (lazily imported) for its table over the
documents the area's filter keeps, and hands a clicked cell's segments to whoever listens
(``sig_segments``: the main window shows them in *Coded segments*).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.analysis import charts as chart_data
from kzcoder.core.export_records import join_code_path
from kzcoder.core.records import CodeInfo
from kzcoder.gui.analysis.charts import chart_widget, save_widget_image
from kzcoder.gui.analysis.table_model import CELL_ROLE, AnalysisTableModel, TotalLastProxy
from kzcoder.gui.lazy import lazy_import

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services.analysis import cooccurrence as cooccurrence_service
    from kzcoder.services.analysis import live as live_service
    from kzcoder.services.analysis import matrix as matrix_service
    from kzcoder.services.analysis import tables as tables_service
else:
    cooccurrence_service = lazy_import("kzcoder.services.analysis.cooccurrence")
    live_service = lazy_import("kzcoder.services.analysis.live")
    matrix_service = lazy_import("kzcoder.services.analysis.matrix")
    tables_service = lazy_import("kzcoder.services.analysis.tables")

EXPORTS = (("csv", "CSV table (*.csv)"), ("xlsx", "Excel workbook (*.xlsx)"),
           ("png", "PNG image (*.png)"), ("svg", "SVG image (*.svg)"))


class AnalysisTab(QWidget):
    """What the tabs share: a bar of choices, the table beside the chart, Export.
    ``sig_segments(list[Segment], title)`` when a cell is clicked."""

    sig_segments = Signal(object, str)
    sig_error = Signal(str)
    title = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = None
        self.documents: set[int] | None = None
        self.model = AnalysisTableModel(self)
        self.proxy = TotalLastProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(objectName=f"{self.objectName() or 'analysis'}Table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # tree order until clicked
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.clicked.connect(self._cell_clicked)
        self.view.activated.connect(self._cell_clicked)
        self.chart = chart_widget(chart_data.HeatMap("", (), (), ()))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.bar = QHBoxLayout()
        self.export_button = QPushButton("Export…")
        menu = QMenu(self.export_button)
        for fmt, label in EXPORTS:
            menu.addAction(label.split(" (")[0], lambda f=fmt: self.export_dialog(f))
        self.export_button.setMenu(menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.bar)
        layout.addWidget(self.splitter, 1)

    _halved = False

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if not self._halved:  # table and chart side by side, half each, once laid out
            self._halved = True
            QTimer.singleShot(0, self, self._halve)

    def _halve(self) -> None:
        half = max(1, self.splitter.width() // 2)
        self.splitter.setSizes([half, half])

    def finish_bar(self) -> None:
        self.bar.addStretch(1)
        self.bar.addWidget(self.export_button)

    def set_scope(self, project, documents: set[int] | None) -> None:  # noqa: ANN001
        """Compute over *project*'s *documents* (None: all) from now on, and now."""
        self.project, self.documents = project, documents
        self.refresh()

    def refresh(self) -> None:
        """Recompute the table and the chart; a failure is one line on ``sig_error``."""
        if self.project is None:
            self.model.set_table([], [], [])
            return
        try:
            shown = self.compute()
        except Exception as exc:  # noqa: BLE001 - one line for the user, as everywhere
            self.sig_error.emit(str(exc))
            return
        self.show_result(*shown)

    diagonal_apart = False

    def show_result(self, columns: list[str], labels: list[str], values: list[list[float]],
                    chart: chart_data.Chart, decimals: int) -> None:
        """Put a computed table and chart on screen."""
        self.model.set_table(columns, labels, values, decimals=decimals,
                             totals=self.totals_shown(), diagonal_apart=self.diagonal_apart)
        if len(columns) <= 40:  # measuring every cell of a wide table costs a refresh
            self.view.resizeColumnsToContents()
        self._set_chart(chart)

    def _set_chart(self, data: chart_data.Chart) -> None:
        if isinstance(data, chart_data.HeatMap) and hasattr(self.chart, "set_data"):
            self.chart.set_data(data)
            return
        old = self.chart
        self.chart = chart_widget(data)
        self.splitter.replaceWidget(1, self.chart)
        old.deleteLater()

    def totals_shown(self) -> bool:
        return True

    def compute(self) -> tuple[list[str], list[str], list[list[float]], chart_data.Chart,
                               int]:
        raise NotImplementedError

    def segments_at(self, row: int | None, column: int | None) -> list:
        raise NotImplementedError

    def _cell_clicked(self, index) -> None:  # noqa: ANN001
        row, column = self.proxy.data(index, CELL_ROLE)
        if row is None or self.project is None:
            return
        label = self.model.labels[row]
        where = self.model.columns[column] if column is not None else "all columns"
        self.sig_segments.emit(self.segments_at(row, column), f"{label} × {where}")

    def table(self) -> tuple[list[str], list[list]]:
        """The table as exported: ``code,LABEL...`` and one row per code."""
        raise NotImplementedError

    def export_dialog(self, fmt: str) -> None:
        """Ask where, then write the table (CSV, XLSX) or the chart (PNG, SVG)."""
        label = dict(EXPORTS)[fmt]
        path, _filter = QFileDialog.getSaveFileName(self, f"Export {self.title}",
                                                    f"{self.title.lower().replace(' ', '-')}."
                                                    f"{fmt}", label)
        if path:
            self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> bool:
        """Write the table or chart to *path* (replacing it: the dialog asked)."""
        try:
            if fmt in ("png", "svg"):
                tables_service.write_new_file(
                    path, lambda p: save_widget_image(self.chart, p, fmt), overwrite=True)
            else:
                header, rows = self.table()
                tables_service.write_table(path, fmt, header, rows, overwrite=True,
                                           sheet=self.title[:31])
        except Exception as exc:  # noqa: BLE001
            self.sig_error.emit(str(exc))
            return False
        return True


class MatrixTab(AnalysisTab):
    """Codes by documents, attribute values or periods; codings, documents or characters;
    sub-codes rolled up or not; the chart: a heat map or grouped bars."""

    title = "Code matrix"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixTab")
        self.view.setObjectName("matrixTable")
        self.matrix = None
        self.kept = None
        self.code_colors: dict[int, str] = {}
        self.by = QComboBox(objectName="matrixBy")
        self.by.addItem("Documents", "document")
        self.count = QComboBox(objectName="matrixCount")
        for name in ("codings", "documents", "characters"):
            self.count.addItem(name.capitalize(), name)
        self.rollup = QCheckBox("Roll up sub-codes", objectName="matrixRollup")
        self.chart_kind = QComboBox(objectName="matrixChartKind")
        self.chart_kind.addItem("Heat map", "matrix")
        self.chart_kind.addItem("Bars", "frequency")
        for text, widget in (("Columns:", self.by), ("Count:", self.count),
                             ("Chart:", self.chart_kind)):
            self.bar.addWidget(QLabel(text))
            self.bar.addWidget(widget)
        self.bar.addWidget(self.rollup)
        self.finish_bar()
        for box in (self.by, self.count, self.chart_kind):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.rollup.toggled.connect(lambda _on: self.refresh())

    def set_attributes(self, names: list[str], dates: list[str]) -> None:
        """Offer the columns: documents, each attribute, and year and month of each date."""
        wanted = self.by.currentData()
        self.by.blockSignals(True)
        self.by.clear()
        self.by.addItem("Documents", "document")
        for name in names:
            self.by.addItem(name, name)
        for name in dates:
            self.by.addItem(f"{name} by year", f"{name}:year")
            self.by.addItem(f"{name} by month", f"{name}:month")
        found = self.by.findData(wanted)
        self.by.setCurrentIndex(max(found, 0))
        self.by.blockSignals(False)

    def compute(self):  # noqa: ANN201
        self.kept = live_service.KeptMatrix(
            self.project, by=self.by.currentData(), count=self.count.currentData(),
            rollup=self.rollup.isChecked(), documents=self.documents)
        return self._result(self.kept.matrix)

    def update_documents(self, documents: set[int]) -> None:
        """The codings of *documents* changed: swap their numbers in (see KeptMatrix)."""
        if self.kept is None or self.project is None:
            self.refresh()
            return
        try:
            matrix = self.kept.update(documents)
        except Exception as exc:  # noqa: BLE001
            self.sig_error.emit(str(exc))
            return
        self.show_result(*self._result(matrix))

    def _result(self, matrix):  # noqa: ANN001, ANN202
        self.matrix = matrix
        labels = [join_code_path(r.path) for r in matrix.rows]
        values = [list(r.counts) for r in matrix.rows]
        if self.chart_kind.currentData() == "frequency":
            codes = [CodeInfo(r.code_id, "", r.code, self.code_colors.get(r.code_id, ""))
                     for r in matrix.rows]
            chart = chart_data.frequency_chart(matrix, codes)
        else:
            chart = chart_data.matrix_heat_map(matrix)
        return list(matrix.columns), labels, values, chart, 0

    def segments_at(self, row: int | None, column: int | None) -> list:
        return matrix_service.cell_segments(self.project, self.matrix, row, column,
                                            rollup=self.rollup.isChecked())

    def table(self):  # noqa: ANN201
        return tables_service.matrix_table(self.matrix)


class CooccurrenceTab(AnalysisTab):
    """Code by code: overlapping codings, the same paragraph or the same document; the counts
    or ATLAS.ti's c-coefficient in the table, the counts as a heat map."""

    title = "Co-occurrence"
    diagonal_apart = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cooccurrenceTab")
        self.view.setObjectName("cooccurrenceTable")
        self.codes: list = []
        self.result = None
        self.mode = QComboBox(objectName="cooccurrenceMode")
        for text, mode in (("Overlapping codings", "overlap"), ("Same paragraph", "paragraph"),
                           ("Same document", "document")):
            self.mode.addItem(text, mode)
        self.show_c = QCheckBox("Show the c-coefficient", objectName="cooccurrenceShowC")
        self.bar.addWidget(QLabel("Together in:"))
        self.bar.addWidget(self.mode)
        self.bar.addWidget(self.show_c)
        self.finish_bar()
        self.mode.currentIndexChanged.connect(lambda _i: self.refresh())
        self.show_c.toggled.connect(lambda _on: self.refresh())

    def compute(self):  # noqa: ANN201
        codes, result = cooccurrence_service.project_cooccurrence(
            self.project, mode=self.mode.currentData(), documents=self.documents)
        self.codes, self.result = codes, result
        names = [c.name for c in codes]
        use_c = self.show_c.isChecked()
        values = [list(r) for r in (result.c if use_c else result.counts)]
        return (names, names, values, chart_data.cooccurrence_heat_map(codes, result),
                3 if use_c else 0)

    def totals_shown(self) -> bool:
        return not self.show_c.isChecked()  # sums of coefficients mean nothing

    def segments_at(self, row: int | None, column: int | None) -> list:
        if column is None:
            return []
        return cooccurrence_service.cooccurring_segments(
            self.project, self.codes[row].id, self.codes[column].id,
            mode=self.mode.currentData(), documents=self.documents)

    def table(self):  # noqa: ANN201
        return tables_service.cooccurrence_table(self.codes, self.result)
