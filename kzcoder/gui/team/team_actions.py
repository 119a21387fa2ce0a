"""The Team menu: merge another project (one undo step), agreement between coders, and (when a
disagreement is opened) the two coders' readings side by side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.project_folder import project_folder
from kzcoder.gui.shell.workspace import Workspace

if TYPE_CHECKING:  # the same imports, seen by type checkers and the layer rules
    from kzcoder.services.merge import merging as merge
else:
    merge = lazy_import("kzcoder.services.merge.merging")

MERGE_FILTER = "kzcoder or REFI-QDA project (*.kzc *.qdpx)"


class TeamActions(QObject):
    """Team gestures of one main window."""

    def __init__(self, window: QWidget, current: CurrentSession, workspace: Workspace,
                 tell: Callable[[str], None] = lambda _text: None) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._workspace = workspace
        self._tell = tell
        self.dialog = None

    def merge(self, other: Path | None = None) -> bool:
        """Team ▸ Merge another project…: a .kzc or .qdpx into this one, as one undo step;
        the report says what was added, matched and where ours was kept."""
        session = self._current.session
        if session is None:
            return False
        if other is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self._window, "Merge another project into this one",
                str(project_folder(session.project)), MERGE_FILTER)
            if not chosen:
                return False
            other = Path(chosen)
        command = merge.MergeProject(other)
        if not session.run_command(command):
            return False
        lines = command.report.summary_lines()
        self._tell(f"Merged {other.name}. Ctrl+Z undoes it.")
        box = QMessageBox(QMessageBox.Icon.Information, "Merge", lines[0], parent=self._window)
        box.setObjectName("mergeReport")
        box.setInformativeText("\n".join(lines[1:3]))
        if len(lines) > 3:
            box.setDetailedText("\n".join(lines))
        box.open()
        return True

    def agreement(self) -> object:
        """Team ▸ Agreement between coders…: a dialog that stays open beside the window."""
        from kzcoder.gui.team.agreement_dialog import AgreementDialog

        session = self._current.session
        if session is None:
            return None
        if self.dialog is not None and self.dialog.session is not session:
            self.dialog.close()
            self.dialog = None
        if self.dialog is None:
            self.dialog = AgreementDialog(session, self.open_both, self._window)
        else:  # back from a disagreement: the same choice of coders, figures brought up to date
            self.dialog.compute()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def open_both(self, disagreement) -> None:  # noqa: ANN001 - core.agreement.report.Disagreement
        """The disagreement's document in the first two panes, the coders who coded the
        stretch on the left and one who did not on the right, the stretch selected in both."""
        workspace = self._workspace
        while len(workspace.panes()) < 2 and workspace.add_pane() is not None:
            pass
        left, right = workspace.panes()[:2]
        for pane, coder in ((left, disagreement.coded_by[0]), (right, disagreement.not_by[0])):
            workspace.open_document(pane, disagreement.document_id,
                                    anchor=disagreement.start)
            workspace.set_coder_filter(pane, coder)
            pane.view.select_span(disagreement.start, disagreement.end)
        workspace.set_active(left)
        left.view.setFocus()
        self._tell(f"{', '.join(disagreement.coded_by)} coded this as {disagreement.code}, "
                   f"{', '.join(disagreement.not_by)} did not. Ctrl+Shift+A: back to the list.")
