"""The memo dock: the memo of what is selected — the project, a document, a code or a
coding — saved as you type.

What it shows follows the user (``follow``, wired once by the main window): the current row
of the documents list, the codebook or the coded segments while that list has the focus; in a
pane, the coding under the text cursor (the newest there, the one whose colour shows), else the
pane's document; the project's memo when nothing else is chosen, and by its button.

Typing is saved ``SAVE_PAUSE_MS`` after the last keystroke, and at once when the editor loses
the focus, when something else is chosen and when the window closes, so nothing typed is lost.
Each save is an ``EditMemo`` run through the session; the saves of one burst of typing merge
into one undo step (``EditMemo.absorb``, ``operations/undo.py``). When the memo shown is
changed by anything else (an undo, another program), the editor shows what the project says.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QPlainTextEdit,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodedSpan, Memo, MemoTarget, Segment
from kzcoder.gui.codebook.model import ID_ROLE as CODE_ID_ROLE
from kzcoder.gui.coding.document_view import DocumentView
from kzcoder.gui.documents.dock import ID_ROLE as DOCUMENT_ID_ROLE
from kzcoder.gui.elided_label import ElidedLabel
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.memos.journal import JournalPanel
from kzcoder.gui.operations.session import CurrentSession, ProjectSession
from kzcoder.gui.segments.model import SEGMENT_ROLE

# Lazy: the services load SQLAlchemy, which the window does not wait for (gui/lazy.py).
if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.gui.codebook.dock import CodebookDock
    from kzcoder.gui.documents.dock import DocumentsDock
    from kzcoder.gui.segments.dock import SegmentsDock
    from kzcoder.gui.shell.workspace import Workspace
    from kzcoder.services import memos
else:
    memos = lazy_import("kzcoder.services.memos")

SAVE_PAUSE_MS = 500  #: typing is saved this long after the last keystroke
PROJECT = MemoTarget("project")


def coding_under_cursor(view: DocumentView) -> CodedSpan | None:
    """The coding the user sees under *view*'s text cursor (the newest one there; just before
    the cursor when it sits right after a coded word), or None."""
    cursor = view.cursor_codepoint()
    here = view.codings_at(cursor)
    if not here and view.selection_span() is None and cursor > 0:
        here = view.codings_at(cursor - 1)
    return max(here, key=lambda c: c.id) if here else None


class MemoDock(QDockWidget):
    """The memo of the selected item, edited in place (see the module docstring)."""

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__("Memo", parent)
        self.setObjectName("memoDock")
        self._current = current
        self._session: ProjectSession | None = None  # the session whose memo is shown
        self._memo: Memo | None = None  # the memo shown, as the project has it
        self._typed: tuple[float, float] | None = None  # typing since the last save: from, to
        self._views: dict[QAbstractItemView, str] = {}
        self._workspace: Workspace | None = None

        self.heading = ElidedLabel(objectName="memoHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        # a long name must not widen the dock: the heading is cut, its tooltip is whole
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.project_button = QToolButton(objectName="memoProjectButton")
        self.project_button.setText("Project memo")
        self.project_button.setToolTip("Show the memo of the project itself")
        self.project_button.clicked.connect(lambda: self.show_target(PROJECT))
        self.editor = QPlainTextEdit(objectName="memoEditor")
        self.editor.setPlaceholderText("Notes on what is selected: thoughts, questions, "
                                       "decisions… Saved as you type.")
        self.editor.textChanged.connect(self._on_typed)
        self.editor.installEventFilter(self)
        self._timer = QTimer(self, singleShot=True, interval=SAVE_PAUSE_MS)
        self._timer.timeout.connect(self.save)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.project_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.editor)
        self.journal = JournalPanel(current, self)
        self.tabs = QTabWidget(objectName="memoTabs")
        self.tabs.setDocumentMode(True)
        # no bigger a least size than the memo alone had: the tab bar must not make the
        # window's least height (and saved layouts) change
        self.tabs.setMinimumSize(body.minimumSizeHint())
        self.tabs.addTab(body, "Memo")
        self.tabs.addTab(self.journal, "&Journal")
        self.setWidget(self.tabs)
        if parent is not None:
            parent.installEventFilter(self)  # to save before the window closes the project
        current.sig_changed.connect(self._on_changed)
        self._show(None)

    # --- what is shown -------------------------------------------------------------------
    @property
    def target(self) -> MemoTarget | None:
        """What the memo shown belongs to (None: no project open)."""
        return self._memo.target if self._memo is not None else None

    def show_target(self, target: MemoTarget | None,
                    coding: CodedSpan | Segment | None = None) -> None:
        """Show the memo of *target* (None, or an item that is gone: the project's), after
        saving what was typed in the memo shown so far. For a coding the caller holds
        (*coding*: a pane's span, a listed segment) nothing is read from the file, nor for a
        document or a code, which the session holds."""
        if target is not None and target == self.target:
            return
        if not self.save() and self._typed is not None:
            return  # kept, shown, until it can be saved (a running import)
        self._show(self._find(target or PROJECT, coding))

    def _find(self, target: MemoTarget, coding: CodedSpan | Segment | None = None
              ) -> Memo | None:
        """The memo of *target* as the project has it (None: it is gone, or no project)."""
        session = self._current.session
        if session is None:
            return None
        if target.kind == "document":
            info = session.documents.get(target.id)
            return None if info is None else Memo(
                target, memos.document_label(info.name, info.title), info.memo)
        if target.kind == "code":
            code = session.codes.get(target.id)
            return None if code is None else Memo(target, memos.code_label(code.name),
                                                  code.memo)
        if target.kind == "coding" and coding is not None:
            code, info = session.codes.get(coding.code_id), session.documents.get(
                coding.document_id)
            if code is not None and info is not None:
                return Memo(target, memos.coding_label(code.name, info.name, info.title),
                            coding.memo)
        try:
            return memos.get_memo(session.project, *target)
        except KzError:
            return None

    def _show(self, memo: Memo | None) -> None:
        """Show *memo* (None: the project's; nothing without a project)."""
        session = self._current.session
        if memo is None and session is not None:
            memo = self._find(PROJECT)
        self._timer.stop()
        self._typed = None
        self._memo = memo
        self._set_text(memo.text if memo is not None else "")
        self.editor.setEnabled(memo is not None)
        self.editor.setReadOnly(session is not None and session.project.read_only)
        self._show_heading()

    def _set_text(self, text: str) -> None:
        self.editor.blockSignals(True)  # not typing
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)

    def _show_heading(self) -> None:
        session, memo = self._current.session, self._memo
        if memo is None:
            text = "Memo (no project open)" if session is None else "Memo"
        else:
            text = f"Memo of {memo.label}{' (read-only)' if session.project.read_only else ''}"
        self.heading.setText(text)
        self.heading.setToolTip(text)

    # --- typing and saving ---------------------------------------------------------------
    def _on_typed(self) -> None:
        now = time.monotonic()
        self._typed = (self._typed[0] if self._typed else now, now)
        self._timer.start()

    def save(self) -> bool:
        """Save what was typed since the last save (an ``EditMemo`` through the session, one
        unit of work); False if that failed (the session said why) or must wait for a running
        import (then it is tried again after a pause)."""
        self._timer.stop()
        typed, self._typed = self._typed, None
        session, memo = self._current.session, self._memo
        text = self.editor.toPlainText()
        if typed is None or session is None or session is not self._session or memo is None \
                or text == memo.text or session.project.read_only:
            return True
        if session.busy:
            self._typed = typed
            self._timer.start()
            return False
        command = memos.EditMemo(memo.target, text, label=memo.label, typed_from=typed[0],
                                 typed_until=typed[1])
        if not session.run_command(command, initiator=self):
            return False
        self._memo = Memo(memo.target, memo.label, command.memo)  # as stored
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.editor and event.type() == QEvent.Type.FocusOut) or (
                watched is self.parent() and event.type() == QEvent.Type.Close):
            self.save()
            self.journal.save()
        return super().eventFilter(watched, event)

    # --- changes -------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, initiator: object) -> None:
        session = self._current.session
        if session is not self._session:  # another project (or none): its own memo first
            self._session = session
            self._show(None)
            return
        if session is None or initiator is self or self._memo is None:
            return
        target = self._memo.target
        if target.kind == "coding":
            if target.id in changes.segments:  # the change knows the coding as it is now
                segment = changes.segments[target.id]
                if segment is None:  # removed: its document's memo, not the project's
                    self._show(self._document_memo(changes.coded_documents))
                else:
                    self._refresh(self._find(target, segment))
            elif changes.project or target.id in changes.codings or changes.code_tree \
                    or changes.codes or changes.documents or changes.document_list:
                self._refresh(self._find(target))
            return
        if changes.project or changes.memos or (
                target.kind == "document" and (changes.documents or changes.document_list)) \
                or (target.kind == "code" and (changes.codes or changes.code_tree)):
            self._refresh(self._find(target))

    def _document_memo(self, documents: frozenset[int]) -> Memo | None:
        """The memo of the one document in *documents* (None: not exactly one)."""
        if len(documents) != 1:
            return None
        return self._find(MemoTarget("document", next(iter(documents))))

    def _refresh(self, memo: Memo | None) -> None:
        """Show the memo shown as the project has it now (*memo*; None: it is gone): its new
        name; its text if that was changed elsewhere (an undo, another program). What was
        typed and not saved yet stays otherwise."""
        if memo is None:
            self._show(None)
            return
        changed = memo.text != self._memo.text
        self._memo = memo
        self._show_heading()
        if changed:
            self._timer.stop()
            self._typed = None
            self._set_text(memo.text)

    # --- following the selection ---------------------------------------------------------
    def follow(self, documents: DocumentsDock, codebook: CodebookDock, segments: SegmentsDock,
               workspace: Workspace) -> None:
        """Show the memo of what the user chooses in these views (see the module
        docstring); the main window calls it once."""
        self._views = {documents.view: "document", codebook.view: "code",
                       segments.view: "coding"}
        for view in self._views:
            view.selectionModel().currentChanged.connect(
                lambda index, _previous, v=view: self._current_moved(v, index))
        self._workspace = workspace
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def _show_index(self, view: QAbstractItemView, index: QModelIndex) -> None:
        if not index.isValid():
            return
        kind = self._views[view]
        if kind == "coding":
            segment = index.data(SEGMENT_ROLE)
            if segment is not None:
                self.show_target(MemoTarget(kind, segment.id), segment)
            return
        item = index.data(DOCUMENT_ID_ROLE if kind == "document" else CODE_ID_ROLE)
        if item is not None:
            self.show_target(MemoTarget(kind, item))

    def _current_moved(self, view: QAbstractItemView, index: QModelIndex) -> None:
        if view.hasFocus():
            self._show_index(view, index)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or self._current.session is None:
            return
        view = next((v for v in self._views if v is new), None)
        if view is not None:
            self._show_index(view, view.currentIndex())
        elif isinstance(new, DocumentView) and self._workspace is not None \
                and self._workspace.isAncestorOf(new):
            if not new.property("kzMemoFollowed"):
                new.setProperty("kzMemoFollowed", True)
                new.cursorPositionChanged.connect(
                    lambda v=new: self._follow_pane(v) if v.hasFocus() else None)
            self._follow_pane(new)

    def _follow_pane(self, view: DocumentView) -> None:
        """The coding under the pane's cursor, else its document (an empty pane: the
        project)."""
        if view.document_id is None:
            self.show_target(PROJECT)
            return
        coding = coding_under_cursor(view)
        if coding is not None:
            self.show_target(MemoTarget("coding", coding.id), coding)
        else:
            self.show_target(MemoTarget("document", view.document_id))
