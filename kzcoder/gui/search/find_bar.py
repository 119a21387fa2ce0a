"""Find in the document of the active pane (Ctrl+F), with the corpus search's query
language: every match marked, F3 / Shift+F3 (or Enter / Shift+Enter) go to the next and
previous one, Escape closes the bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.search.marks import mark_spans

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services.search import searching
else:
    searching = lazy_import("kzcoder.services.search.searching")


class _QueryEdit(QLineEdit):
    sig_escape = Signal()
    sig_previous = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.sig_escape.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.sig_previous.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """The bar; *active_view* gives the document view of the active pane (or None). It is
    shown and hidden by its container (a tool bar: a widget hidden when added to one is
    disabled by it)."""

    sig_closed = Signal()

    def __init__(self, current: CurrentSession, active_view: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._current = current
        self._active_view = active_view
        self.matches: list[tuple[int, int]] = []
        self.index = -1
        self._view = None
        self.query = _QueryEdit(objectName="findQuery")
        self.query.setPlaceholderText('Find in this document: words, OR, -word, "a phrase"')
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(lambda _t: self.refresh())
        self.query.returnPressed.connect(self.next)
        self.query.sig_previous.connect(self.previous)
        self.query.sig_escape.connect(self.close_bar)
        self.regex = QCheckBox("Regex", objectName="findRegex")
        self.forms = QCheckBox("Word forms", objectName="findForms")
        for box in (self.regex, self.forms):
            box.toggled.connect(lambda _on: self.refresh())
        self.count = QLabel("", objectName="findCount")
        buttons = []
        for text, name, slot in (("▲", "findPrevious", self.previous),
                                 ("▼", "findNext", self.next), ("✕", "findClose",
                                                                 self.close_bar)):
            button = QToolButton(objectName=name, text=text, autoRaise=True)
            button.clicked.connect(slot)
            buttons.append(button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.query, 1)
        layout.addWidget(self.regex)
        layout.addWidget(self.forms)
        layout.addWidget(self.count)
        for button in buttons:
            layout.addWidget(button)

    def open_bar(self) -> None:
        """Show the bar with the query selected, the active pane's selection as the query
        when there is one."""
        view = self._active_view()
        if view is not None and view.selected_text().strip() and "\n" not in \
                view.selected_text():
            self.query.setText(view.selected_text().strip())
        self.refresh()
        self.query.selectAll()
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_bar(self) -> None:
        if self._view is not None:
            mark_spans(self._view, [])
        self._view = None
        self.sig_closed.emit()  # whoever shows the bar hides it
        view = self._active_view()
        if view is not None:
            view.setFocus()

    def refresh(self) -> None:
        """Find the query again in the active pane's document and mark every match."""
        session = self._current.session
        view = self._active_view()
        if self._view is not None and self._view is not view:
            mark_spans(self._view, [])
        self._view = view
        self.matches, self.index = [], -1
        text = self.query.text()
        if session is None or view is None or view.document_id is None or not text.strip():
            self.count.setText("")
            if view is not None:
                mark_spans(view, [])
            return
        try:
            compiled = searching.compile_query(session.project, text,
                                               regex=self.regex.isChecked(),
                                               forms=self.forms.isChecked())
            self.matches = compiled.hits(view.stored_text)
        except KzError as exc:
            self.count.setText(str(exc))
            mark_spans(view, [])
            return
        after = view.cursor_codepoint()
        self.index = next((i for i, (s, _e) in enumerate(self.matches) if s >= after), 0) \
            if self.matches else -1
        self._show_current(select=True)

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.isVisible():
            self.open_bar()
            return
        if self._view is not self._active_view():
            self.refresh()
        if not self.matches:
            return
        self.index = (self.index + delta) % len(self.matches)
        self._show_current(select=True)

    def _show_current(self, *, select: bool) -> None:
        view = self._view
        if not self.matches:
            self.count.setText("no match")
            mark_spans(view, [])
            return
        current = self.matches[self.index]
        mark_spans(view, self.matches, current)
        self.count.setText(f"{self.index + 1} of {len(self.matches)}")
        if select:
            view.select_span(*current)
