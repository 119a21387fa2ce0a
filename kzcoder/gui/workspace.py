"""The central area: two to four document panes side by side in a splitter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from kzcoder.gui.coding.document_pane import DocumentPane
from kzcoder.gui.mime import DOCUMENT_MIME, read_mime

MAX_PANES = 4


class Workspace(QSplitter):
    """Owns the panes and knows which one is active (the last one that had focus)."""

    sig_active_changed = Signal(object)  # DocumentPane
    sig_open_in_pane = Signal(object, int)  # pane, document id (dropped on it)
    sig_selection_changed = Signal(object)  # pane
    sig_context_menu = Signal(object, object, int, list)  # pane, QPoint, code point, coding ids
    sig_code_dropped = Signal(object, int)  # pane, code id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("workspace")
        self.setChildrenCollapsible(False)
        self._active: DocumentPane | None = None
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def panes(self) -> list[DocumentPane]:
        return [self.widget(i) for i in range(self.count())]

    def active_pane(self) -> DocumentPane | None:
        if self._active is not None and self._active in self.panes():
            return self._active
        panes = self.panes()
        return panes[0] if panes else None

    def set_active(self, pane: DocumentPane) -> None:
        if pane is not self._active:
            self._active = pane
            for other in self.panes():
                other.setProperty("active", other is pane)
                other.style().unpolish(other)
                other.style().polish(other)
            self.sig_active_changed.emit(pane)

    def add_pane(self) -> DocumentPane | None:
        """Add an empty pane on the right; None when four are open already."""
        if self.count() >= MAX_PANES:
            return None
        pane = DocumentPane(self)
        pane.sig_close_requested.connect(lambda p=pane: self.close_pane(p))
        pane.view.viewport().installEventFilter(self)
        pane.sig_selection_changed.connect(lambda _n, p=pane: self.sig_selection_changed.emit(p))
        pane.view.sig_context_menu.connect(
            lambda pos, cp, ids, p=pane: self.sig_context_menu.emit(p, pos, cp, ids))
        pane.view.sig_code_dropped.connect(lambda code, p=pane: self.sig_code_dropped.emit(p, code))
        self.addWidget(pane)
        sizes = [1] * self.count()
        self.setSizes([s * 1000 for s in sizes])
        if self._active is None:
            self.set_active(pane)
        return pane

    def close_pane(self, pane: DocumentPane) -> bool:
        """Close *pane*; the last pane stays (it is emptied instead)."""
        if self.count() <= 1:
            return False
        was_active = pane is self._active
        pane.hide()
        pane.setParent(None)
        pane.deleteLater()
        if was_active:
            self._active = None
            self.set_active(self.panes()[0])
        return True

    def pane_showing(self, document_id: int) -> DocumentPane | None:
        for pane in self.panes():
            if pane.view.document_id == document_id:
                return pane
        return None

    def document_ids(self) -> list[int]:
        return [p.view.document_id for p in self.panes() if p.view.document_id is not None]

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None:
            if isinstance(widget, DocumentPane) and widget.parent() is self:
                self.set_active(widget)
                return
            widget = widget.parentWidget()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasFormat(DOCUMENT_MIME):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            document_id = read_mime(event.mimeData(), DOCUMENT_MIME)
            if document_id is not None:
                pane = next(p for p in self.panes() if p.view.viewport() is watched)
                event.acceptProposedAction()
                self.sig_open_in_pane.emit(pane, document_id)
                return True
        return super().eventFilter(watched, event)
