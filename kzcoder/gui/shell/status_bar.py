"""The status bar: the active document, the selection, its codings and the coder."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from kzcoder.core.changes import Changes
from kzcoder.gui.operations.session import CurrentSession


class StatusBar(QStatusBar):
    """Follows the project's changes and, once ``watch()`` gave it one, the workspace."""

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self._current = current
        self._workspace = None
        self.document = QLabel(objectName="statusDocument")
        self.selection = QLabel(objectName="statusSelection")
        self.codings = QLabel(objectName="statusCodings")
        self.coder = QLabel(objectName="statusCoder")
        #: a server project's connection, when it is lost ("" otherwise; gui/server/live.py)
        self.connection = QLabel(objectName="statusConnection")
        self.connection.hide()
        # A long title is cut, never a reason for the window to be wider.
        self.document.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.document, 1)
        self.addWidget(self.connection)
        metrics = self.fontMetrics()
        # Fixed widths: a label that grows with its text would re-lay out (and repaint) the
        # whole window on every coding.
        for label, sample in ((self.selection, "Selection: 1,000,000 characters"),
                              (self.codings, "100,000 codings in this document"),
                              (self.coder, "Coder: a fairly long coder name")):
            label.setFixedWidth(metrics.horizontalAdvance(sample) + 12)
            self.addPermanentWidget(label)
        current.sig_changed.connect(self._on_changed)

    def watch(self, workspace) -> None:  # noqa: ANN001 - a Workspace
        """Follow *workspace*'s active pane, its selection and the documents it shows."""
        from PySide6.QtCore import Qt  # not in __init__: the frame shows before Qt's enums load

        for label in (self.selection, self.codings, self.coder):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._workspace = workspace
        workspace.sig_active_changed.connect(self.refresh)
        workspace.sig_selection_changed.connect(self.refresh)
        workspace.sig_document_shown.connect(self.refresh)

    def tell(self, message: str, ms: int = 4000) -> None:
        """A passing message."""
        self.showMessage(message, ms)

    def show_connection(self, state: str) -> None:
        """Say that the server was lost and is being reconnected to (*state*), or, with "",
        that it is back."""
        was_lost = bool(self.connection.text())
        self.connection.setText(state.split(":", 1)[0] if state else "")
        self.connection.setToolTip(state)
        self.connection.setVisible(bool(state))
        self.connection.setStyleSheet("color: #b00020; font-weight: bold;" if state else "")
        if not state and was_lost:
            self.tell("Connected to the server again; other coders' changes caught up", 6000)

    def show_opening(self, path) -> None:  # noqa: ANN001 - pathlib.Path
        self.document.setText(f"Opening {path}…")

    def _on_changed(self, _changes: Changes, _initiator: object) -> None:
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Show the state of the active pane and the session."""
        session = self._current.session
        pane = self._workspace.active_pane() if self._workspace is not None else None
        view = pane.view if pane is not None else None
        info = session.documents.get(view.document_id) if session and view else None
        span = view.selection_span() if view is not None else None
        count = view.coding_count() if info else 0
        for label, text in (
                (self.document, info.title or info.name if info else
                 "No document open" if session else "No project open"),
                (self.selection, f"Selection: {span[1] - span[0]:,} characters"
                 if span else "No selection"),
                (self.codings, (f"{count:,} coding{'s' if count != 1 else ''} in this "
                                "document") if info else ""),
                (self.coder, f"Coder: {session.coder}" if session else "")):
            if label.text() != text:
                label.setText(text)
