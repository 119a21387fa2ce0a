"""The document pane: a document view under a small header with its title and a close button."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.records import CodedSpan, CodeInfo
from kzcoder.gui.coding.document_view import CODE_ID_MIME, DocumentView
from kzcoder.gui.elided_label import ElidedLabel
from kzcoder.gui.segments.coder_filter import CoderFilterBox

__all__ = ["CODE_ID_MIME", "DocumentPane", "DocumentView"]


class DocumentPane(QWidget):
    """A document view under a header with the document's title and a close button."""

    sig_close_requested = Signal()
    #: length of the selection in code points (0 when nothing is selected)
    sig_selection_changed = Signal(int)
    #: the user chose whose codings this pane shows (``view.coder_filter`` is not yet set)
    sig_coder_filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPane")
        self._title = ""
        self._title_label = ElidedLabel(objectName="paneTitle")  # "…" at any width and font
        self._close_button = QToolButton()
        self._close_button.setObjectName("paneCloseButton")
        self._close_button.setAutoRaise(True)
        self._close_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self._close_button.setToolTip(self.tr("Close this document"))
        self._close_button.setAccessibleName(self.tr("Close document"))
        self._close_button.clicked.connect(self.sig_close_requested)
        # whose codings this pane shows: two panes on one document, one coder in each,
        # compare two readings line by line
        self.coder_box = CoderFilterBox(self)
        self.coder_box.setObjectName("paneCoderFilter")
        self.coder_box.setMaximumWidth(150)  # the title keeps most of a narrow pane
        self.coder_box.setSizeAdjustPolicy(
            self.coder_box.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.coder_box.setMinimumContentsLength(8)
        self.coder_box.sig_filter_changed.connect(self.sig_coder_filter_changed)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 2, 2)
        header.addWidget(self._title_label, 1)
        header.addWidget(self.coder_box)
        header.addWidget(self._close_button)
        self.view = DocumentView(self)
        self.view.setPlaceholderText(
            "No document in this pane.\n\nDouble-click a document in Documents "
            "(Ctrl+Shift+D, then Enter), or drag one here.")
        # A strip above the header in the highlight colour marks the active pane: where a
        # double-click in Documents or a segment opens.
        self._marker = QWidget(objectName="paneActiveMarker")
        self._marker.setFixedHeight(3)
        self._marker.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._marker)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        self.view.selectionChanged.connect(self._on_selection_changed)

    def set_document(self, document_id: int, title: str, text: str,
                     codings: Iterable[CodedSpan], codes: dict[int, CodeInfo]) -> None:
        """Show a document: its title in the header, its text and codings in the view."""
        self.set_title(title)
        self.view.set_document(document_id, text, codings, codes)

    def set_active_look(self, active: bool) -> None:
        """Show whether this is the active pane (a coloured strip and a bold title)."""
        palette = self._marker.palette()
        role = palette.ColorRole.Highlight if active else palette.ColorRole.Window
        palette.setColor(palette.ColorRole.Window, self.palette().color(role))
        self._marker.setPalette(palette)
        font = self._title_label.font()
        font.setBold(active)
        self._title_label.setFont(font)
        self.setProperty("active", active)

    def is_active_look(self) -> bool:
        return bool(self.property("active"))

    def title(self) -> str:
        """The full title shown in the header."""
        return self._title

    def set_title(self, title: str, name: str = "") -> None:
        """Show *title* in the header, elided to the pane's width.

        The tooltip holds the full title and, when given and different, the document's *name*.
        """
        self._title = title
        self._title_label.setText(title)
        self._title_label.setToolTip(title if not name or name == title else f"{title}\n{name}")

    def _on_selection_changed(self) -> None:
        span = self.view.selection_span()
        self.sig_selection_changed.emit(span[1] - span[0] if span else 0)
