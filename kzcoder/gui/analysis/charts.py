"""Charts on screen and in files: grouped bars with QtCharts, heat maps painted cell by cell.

QtCharts has no heat-map series, so a heat map is painted with QPainter (shaded cells, each
with its number, labels beside and below), the same code drawing the widget and its PNG or
SVG. Both take the plain chart data of ``core.analysis.charts``: anything that is labelled
counts (a matrix, word frequencies) becomes a chart without this module knowing what it is.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from kzcoder.core.analysis.charts import APART, BarChart, Chart, HeatMap, heat_color

IMAGE_SUFFIXES = (".png", ".svg")
#: a heat map's cells at most this many characters of label before an ellipsis
LABEL_CHARS = 40


def bar_chart_view(data: BarChart) -> QChartView:
    """A QtCharts view of grouped bars: categories along the bottom, a legend of series."""
    chart = QChart()
    chart.setTitle(data.title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    series = QBarSeries()
    for item in data.series:
        bars = QBarSet(item.name)
        bars.setColor(QColor(item.color))
        bars.setBorderColor(QColor(item.color))
        bars.append([float(v) for v in item.values])
        series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(list(data.categories) or [""])
    if len(data.categories) > 8:  # many labels (words): slanted and whole, never "kaz..."
        axis_x.setLabelsAngle(-90)
        axis_x.setTruncateLabels(False)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = QValueAxis()
    highest = max((v for s in data.series for v in s.values), default=0)
    axis_y.setRange(0, max(1.0, float(highest)))
    axis_y.setLabelFormat("%d")
    axis_y.setTitleText(data.value_label)
    if highest > 10:
        axis_y.applyNiceNumbers()
    else:  # whole numbers only: a tick per unit
        axis_y.setTickCount(int(max(1, highest)) + 1)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    chart.legend().setVisible(len(data.series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(320, 240)
    return view


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _widest(metrics: QFontMetrics, labels: list[str]) -> int:
    """The widest label's width; of many, the longest few are measured (measuring a
    thousand document names at every repaint cost more than the rest of it)."""
    if len(labels) > 50:
        labels = sorted(labels, key=len)[-10:]
    return max((metrics.horizontalAdvance(text) for text in labels), default=0)


def paint_heat_map(painter: QPainter, area: QRect, data: HeatMap, font: QFont,
                   image: QImage | None = None) -> None:
    """Paint *data* into *area*: the title, row labels on the left, column labels below
    (turned upright when they are long), one shaded cell with its number per value."""
    painter.save()
    painter.fillRect(area, QColor("#FFFFFF"))
    painter.setFont(font)
    metrics = QFontMetrics(font)
    line = metrics.height()
    rows = [_short(r) for r in data.rows]
    columns = [_short(c) or "(none)" for c in data.columns]
    left = _widest(metrics, rows) + 12
    widest_column = _widest(metrics, columns)
    upright = bool(columns) and widest_column > (area.width() - left - 8) / len(columns)
    bottom = (min(widest_column, area.height() // 3) if upright else line) + 12
    top = line * 2
    grid = QRect(area.left() + left, area.top() + top, max(1, area.width() - left - 8),
                 max(1, area.height() - top - bottom))
    painter.setPen(QColor("#000000"))
    painter.drawText(QRect(area.left(), area.top(), area.width(), top),
                     Qt.AlignmentFlag.AlignCenter, data.title)
    if rows and columns:
        cell_w = grid.width() / len(columns)
        cell_h = grid.height() / len(rows)
        _paint_cells(painter, grid, data, cell_w, cell_h, metrics, image)
        painter.setPen(QColor("#000000"))
        row_step = max(1, math.ceil(line / cell_h))  # labels that fit, evenly spread
        for i in range(0, len(rows), row_step):
            painter.drawText(QRectF(area.left(), grid.top() + i * cell_h, left - 6,
                                    max(cell_h, line)),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             rows[i])
        column_step = max(1, math.ceil(line / cell_w)) if upright else 1
        for j in range(0, len(columns), column_step):
            label = columns[j]
            x = grid.left() + j * cell_w
            if upright:
                painter.save()
                painter.translate(x + cell_w / 2 + line / 3, grid.bottom() + 6)
                painter.rotate(90)
                painter.drawText(QRectF(0, -line, bottom, line),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 label)
                painter.restore()
            else:
                painter.drawText(QRectF(x, grid.bottom() + 4, cell_w, line),
                                 Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


#: shades of a big heat map (an 8-bit image: one byte per cell)
LEVELS = 256
_COLORS: list[int] = []


def _color_table() -> list[int]:
    if not _COLORS:
        _COLORS.extend(QColor(heat_color(level, LEVELS - 1)).rgb() for level in range(LEVELS))
    return _COLORS


def heat_image(data: HeatMap) -> QImage:
    """One pixel per cell, in ``LEVELS`` shades from white to ``HEAT``."""
    width, height = len(data.columns), len(data.rows)
    highest = data.highest or 1
    stride = (width + 3) // 4 * 4  # QImage rows are 32-bit aligned
    pad = bytes(stride - width)
    if all(isinstance(v, int) and v >= 0 for row in data.values[:1] for v in row) \
            and isinstance(highest, int):
        # counts: one look-up per cell, in C (a 100 x 1,000 matrix in a few milliseconds)
        levels = [n * (LEVELS - 1) // highest for n in range(highest + 1)]
        pixels = b"".join(bytes(map(levels.__getitem__, row)) + pad for row in data.values)
    else:
        scale = (LEVELS - 1) / highest
        pixels = b"".join(bytes(min(LEVELS - 1, max(0, round(v * scale))) for v in row) + pad
                          for row in data.values)
    image = QImage(pixels, width, height, stride, QImage.Format.Format_Indexed8)
    image.setColorTable(_color_table())
    return image.copy()  # its own pixels: *pixels* is freed when this returns


def _paint_cells(painter: QPainter, grid: QRect, data: HeatMap, cell_w: float, cell_h: float,
                 metrics: QFontMetrics, image: QImage | None = None) -> None:
    """The shaded cells: with their numbers and borders when those fit; a big table (cells a
    few pixels wide) as one image of a pixel per cell, scaled, which costs the same at any
    size."""
    highest = data.highest
    shades: dict[float, QColor] = {}

    def shade(value: float) -> QColor:
        if value not in shades:
            shades[value] = QColor(heat_color(value, highest))
        return shades[value]

    if cell_w < 6 or cell_h < 6:
        painter.drawImage(QRectF(grid), image if image is not None else heat_image(data))
        return
    widest = metrics.horizontalAdvance(f"{highest:g}" if isinstance(highest, float)
                                       else str(highest))
    numbers = widest < cell_w and metrics.height() <= cell_h + 2
    border = QColor("#DDDDDD")
    apart = QColor(APART)
    for i, row in enumerate(data.values):
        y = grid.top() + i * cell_h
        for j, value in enumerate(row):
            cell = QRectF(grid.left() + j * cell_w, y, cell_w, cell_h)
            color = apart if data.diagonal_apart and i == j else shade(value)
            painter.fillRect(cell, color)
            painter.setPen(border)
            painter.drawRect(cell)
            if numbers:
                painter.setPen(QColor("#FFFFFF" if color.lightness() < 128 else "#000000"))
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter,
                                 f"{value:g}" if isinstance(value, float) else str(value))


class HeatMapView(QWidget):
    """A heat map on screen (see ``paint_heat_map``)."""

    def __init__(self, data: HeatMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setMinimumSize(200, 200)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#FFFFFF"))
        self.setPalette(palette)

    def set_data(self, data: HeatMap) -> None:
        self.data = data
        self._image = None
        self.update()

    _image: QImage | None = None

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802
        if self._image is None and len(self.data.rows) * len(self.data.columns) > 2_000:
            self._image = heat_image(self.data)  # once per table, not per repaint
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_heat_map(painter, self.rect(), self.data, self.font(), self._image)
        painter.end()


def chart_widget(data: Chart, parent: QWidget | None = None) -> QWidget:
    """The widget that shows *data*: a chart view for bars, a heat-map view for a table."""
    if isinstance(data, HeatMap):
        return HeatMapView(data, parent)
    view = bar_chart_view(data)
    if parent is not None:
        view.setParent(parent)
    return view


def save_widget_image(widget: QWidget, path: Path, image_format: str) -> None:
    """Write what *widget* shows to *path* as ``png`` or ``svg`` (whatever its suffix)."""
    if image_format == "svg":
        generator = QSvgGenerator()
        generator.setFileName(os.fspath(path))
        generator.setSize(widget.size())
        generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
        generator.setTitle(getattr(getattr(widget, "data", None), "title", "") or "kzcoder chart")
        painter = QPainter(generator)
        if isinstance(widget, HeatMapView):
            paint_heat_map(painter, widget.rect(), widget.data, widget.font())
        else:
            widget.render(painter)
        painter.end()
        return
    if not widget.grab().save(os.fspath(path), "PNG"):
        raise OSError(f"{path}: the image could not be written")


def render_chart(data: Chart, path: Path, image_format: str,
                 size: QSize = QSize(1000, 640)) -> None:  # noqa: B008 - a value, not state
    """Draw *data* off screen at *size* and write it to *path* (``png`` or ``svg``); needs a
    QApplication."""
    widget = chart_widget(data)
    widget.resize(size)
    widget.ensurePolished()
    if isinstance(widget, QChartView):
        widget.chart().resize(size.width(), size.height())
    save_widget_image(widget, path, image_format)
    widget.deleteLater()
