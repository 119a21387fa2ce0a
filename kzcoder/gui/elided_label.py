"""A one-line label that ends in "…" when it is too narrow, with its whole text in the
tooltip: titles and counts are never clipped mid-letter or run under their neighbours."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """``text()`` is the whole text; the label paints as much as fits, elided at the right,
    again at every width and font (a bold active title is wider than a plain one)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 objectName: str = "") -> None:  # noqa: N803 - as Qt's own keyword
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._own_tooltip = False
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        if not self.toolTip() or self._own_tooltip:
            self._own_tooltip = True
            super().setToolTip(text)

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self._own_tooltip = False  # the owner's tooltip (e.g. title and file name) wins
        super().setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4,
                     super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), shown)

    def shown_text(self) -> str:
        """What fits now (for tests and accessibility tools)."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())
