"""The central area: one to four document panes side by side in a splitter.

The workspace opens documents in its panes and keeps them current: it subscribes to the
project's changes and gives each pane the codings, codes and titles that concern it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from kzcoder.core.changes import Changes
from kzcoder.gui.coding.document_pane import DocumentPane
from kzcoder.gui.coding.text_cache import TextCache
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.mime import DOCUMENT_MIME, read_mime
from kzcoder.gui.operations.session import CurrentSession

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services import annotation, codings, documents, segments
else:
    annotation = lazy_import("kzcoder.services.annotation")
    codings = lazy_import("kzcoder.services.codings")
    documents = lazy_import("kzcoder.services.documents")
    segments = lazy_import("kzcoder.services.segments")


MAX_PANES = 4
OPEN_REGION = 30_000  # code points either side of where a document opens: more than a screen


class Workspace(QSplitter):
    """Owns the panes and knows which one is active (the last one that had focus)."""

    sig_active_changed = Signal(object)  # DocumentPane
    sig_open_in_pane = Signal(object, int)  # pane, document id (dropped on it)
    sig_selection_changed = Signal(object)  # pane
    sig_context_menu = Signal(object, object, int, list)  # pane, QPoint, code point, coding ids
    sig_code_dropped = Signal(object, int)  # pane, code id
    sig_document_shown = Signal(object)  # pane (a document was opened or its codings loaded)

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("workspace")
        self.setChildrenCollapsible(False)
        self._current = current
        self._active: DocumentPane | None = None
        self._shown_session: object = None
        self._texts = TextCache()
        current.sig_changed.connect(self._on_changed)
        self.sig_open_in_pane.connect(self.open_document)
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    # --- panes ----------------------------------------------------------------------------
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
                other.set_active_look(other is pane)
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
        pane.sig_coder_filter_changed.connect(lambda p=pane: self._apply_coder_filter(p))
        session = self._current.session
        if session is not None:
            pane.view.set_codes(session.codes)
            pane.coder_box.set_coders(session.coder_names, session.coder)
        self.addWidget(pane)
        self.setSizes([1000] * self.count())
        pane.set_active_look(False)
        if self._active is None:
            self.set_active(pane)
        return pane

    def close_pane(self, pane: DocumentPane | None) -> bool:
        """Close *pane*; the last pane stays."""
        if pane is None or self.count() <= 1:
            return False
        was_active = pane is self._active
        pane.hide()
        pane.setParent(None)
        pane.deleteLater()
        if was_active:
            self._active = None
            self.set_active(self.panes()[0])
        return True

    def next_pane(self) -> None:
        """Activate the pane right of the active one (wrapping round) and focus its text."""
        panes = self.panes()
        pane = panes[(panes.index(self.active_pane()) + 1) % len(panes)]
        self.set_active(pane)
        pane.view.setFocus()

    def pane_showing(self, document_id: int) -> DocumentPane | None:
        for pane in self.panes():
            if pane.view.document_id == document_id:
                return pane
        return None

    def document_ids(self) -> list[int]:
        return [p.view.document_id for p in self.panes() if p.view.document_id is not None]

    # --- whose codings ---------------------------------------------------------------------
    def set_coder_filter(self, pane: DocumentPane, coder: str | None, *,
                         mine: bool = False) -> None:
        """Show only *coder*'s codings in *pane* (None: every coder's; *mine*: the current
        coder's, following a change of name)."""
        pane.coder_box.choose(coder, mine=mine)
        self._apply_coder_filter(pane)

    def _apply_coder_filter(self, pane: DocumentPane) -> None:
        coder = pane.coder_box.selected()
        if coder == pane.view.coder_filter:
            return
        pane.view.coder_filter = coder
        session = self._current.session
        if session is not None and pane.view.document_id is not None:
            pane.view.replace_codings(codings.document_spans(session.project,
                                                             pane.view.document_id))
            self.sig_document_shown.emit(pane)

    def _refresh_coders(self, *, reset: bool = False) -> None:
        """Offer the project's coders in every pane; *reset* (another project): show all."""
        session = self._current.session
        names = session.coder_names if session is not None else []
        for pane in self.panes():
            pane.coder_box.set_coders(names, session.coder if session else "")
            if reset:
                pane.coder_box.choose(None)
                pane.view.coder_filter = None
            self._apply_coder_filter(pane)

    # --- documents ------------------------------------------------------------------------
    def open_document(self, pane: DocumentPane | None, document_id: int, *,
                      anchor: int = 0) -> None:
        """Open a document in *pane* (None: the active pane).

        The first paint needs only the codings around *anchor* (where the view will be); the
        rest follow one event-loop turn later, so a document with 10,000 codings opens about as
        fast as Qt shows its plain text.
        """
        session = self._current.session
        pane = pane or self.active_pane()
        info = session.documents.get(document_id) if session is not None else None
        if info is None or pane is None:
            return
        project = session.project
        nearby = codings.document_spans(project, info.id, start=max(0, anchor - OPEN_REGION),
                                        end=anchor + OPEN_REGION)
        text, positions = self._texts.get(info.id,
                                          lambda i: documents.document_text(project, i))
        pane.view.set_document(info.id, text, nearby, session.codes, positions)
        QTimer.singleShot(0, self, lambda: self._load_all_codings(pane, info.id))
        pane.set_title(info.title or info.name, info.name)
        pane.view.setFocus()
        self.set_active(pane)
        self.sig_document_shown.emit(pane)

    def _load_all_codings(self, pane: DocumentPane, document_id: int) -> None:
        # The pane may have been closed or shown another document meanwhile.
        session = self._current.session
        if session is not None and pane in self.panes() and pane.view.document_id == document_id:
            pane.view.replace_codings(codings.document_spans(session.project, document_id))
            pane.view.set_annotations(annotation.list_annotations(session.project,
                                                                  document_id))
            self.sig_document_shown.emit(pane)

    def forget_texts(self) -> None:
        """Drop the texts kept for re-opening (the benchmark's cold opening uses it)."""
        self._texts.clear()

    def show_documents(self, document_ids: list[int]) -> None:
        """Show these documents, one per pane (two panes at least), in a fresh layout."""
        for pane in self.panes()[1:]:
            self.close_pane(pane)
        if not self.panes():
            self.add_pane()
        self.panes()[0].view.clear_document()
        self.panes()[0].set_title("")
        for index, document_id in enumerate(document_ids[:MAX_PANES]):
            pane = self.panes()[0] if index == 0 else self.add_pane()
            self.open_document(pane, document_id)
        if len(self.panes()) < 2:
            self.add_pane()

    def show_segment(self, document_id: int, start: int, end: int) -> None:
        """Bring a coded span into view (its document's pane, or the active one) and select
        it."""
        pane = self.pane_showing(document_id)
        if pane is None:
            self.open_document(None, document_id, anchor=start)
            pane = self.pane_showing(document_id)
            if pane is None:
                return
        pane.view.select_span(start, end)
        pane.view.setFocus()
        self.set_active(pane)

    # --- changes --------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        session = self._current.session
        if session is None:  # no project open: one empty pane
            self._texts.clear()
            self._shown_session = None
            self.show_documents([])
            return
        if changes.project or changes.coders:
            self._refresh_coders(reset=session is not self._shown_session)
        if changes.project:
            if session is not self._shown_session:
                self._texts.clear()
            if session is self._shown_session:  # the same project changed behind our back
                self._reload_panes()
            self._shown_session = session  # else the window decides which documents to show
            return
        panes = self.panes()
        if changes.code_tree or changes.codes:
            for pane in panes:
                pane.view.set_codes(session.codes)
        if changes.codings:
            touched = [p for p in panes if p.view.document_id in changes.coded_documents]
            if touched:
                current = self._current_spans(changes)
                for pane in touched:
                    pane.view.apply_coding_changes(changes.codings, current)
                    self.sig_document_shown.emit(pane)
        if changes.memos and changes.documents:  # an annotation added or removed
            for pane in panes:
                if pane.view.document_id in changes.documents:
                    pane.view.set_annotations(annotation.list_annotations(
                        session.project, pane.view.document_id))
        if changes.documents or changes.document_list:
            for pane in panes:
                info = session.documents.get(pane.view.document_id)
                if info is not None:
                    pane.set_title(info.title or info.name, info.name)
                elif pane.view.document_id is not None:  # the document is gone
                    pane.view.clear_document()
                    pane.set_title("")

    def _reload_panes(self) -> None:
        """Every pane shows its document's codings as the file has them now."""
        session = self._current.session
        for pane in self.panes():
            document_id = pane.view.document_id
            pane.view.set_codes(session.codes)
            if document_id is None:
                continue
            if document_id in session.documents:
                pane.view.replace_codings(codings.document_spans(session.project, document_id))
            else:
                pane.view.clear_document()
                pane.set_title("")
            self.sig_document_shown.emit(pane)

    def _current_spans(self, changes: Changes) -> dict:
        found = segments.changed_segments(self._current.session.project, changes)
        return {i: s.span() for i, s in found.items() if s is not None}

    # --- focus and drops ------------------------------------------------------------------
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
