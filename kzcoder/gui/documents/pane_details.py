"""Ctrl+E in a pane: the details (name, attributes) of the document the pane shows, the same
dialog as Ctrl+E in the documents list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from kzcoder.gui.documents.dock import DocumentsDock
from kzcoder.gui.shell.workspace import Workspace


def add_pane_details_action(workspace: Workspace, documents: DocumentsDock) -> QAction:
    """An action on *workspace* whose key, Ctrl+E, works while the focus is in a pane."""
    action = QAction("Details of this document…", workspace,
                     objectName="actionPaneDocumentDetails")
    action.setShortcut(QKeySequence("Ctrl+E"))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def edit() -> None:
        pane = workspace.active_pane()
        if pane is not None and pane.view.document_id is not None:
            documents.edit_details(pane.view.document_id)

    action.triggered.connect(lambda _checked=False: edit())
    workspace.addAction(action)
    return action
