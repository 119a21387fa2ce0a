"""The Team menu in the real window: the agreement dialog shows the figures and the
disagreements of the sample project's two coders, double-clicking one opens both readings side
by side; merging another project is one undo step."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QApplication, QMessageBox

from kzcoder.services.agreement import agreement
from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project
from kzcoder.services.segments import list_segments
from tests.gui.conftest import open_window

CODINGS = [("ana", 1, "Force", 0, 20), ("bek", 1, "Force", 10, 30),
           ("ana", 2, "Dissent", 5, 50), ("bek", 2, "Dissent", 5, 50),
           ("bek", 3, "State justification", 100, 160)]


def _coded(path):
    with Project.open(path) as project:
        for coder, doc, code, start, end in CODINGS:
            add_coding(project, doc, code, start, end, coder=coder)
    return path


def test_the_agreement_dialog_shows_figures_and_opens_disagreements(qtbot, sample_path):
    window = open_window(qtbot, _coded(sample_path))
    window.actions_named("actionAgreement").trigger()
    dialog = window.team_actions.dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.chosen_coders() == ["ana", "bek"]
    expected = agreement(window.session.project, ["ana", "bek"])
    rows = dialog.table_rows()
    assert rows[0][5] == "Cohen's kappa"
    assert rows[1:] == [row.cells() for row in expected.rows]
    assert rows[-1][:2] == ["(all codes)", "(all documents)"]
    assert dialog.disagreements.rowCount() == len(expected.disagreements) == 3
    first = [dialog.disagreements.item(0, c).text() for c in range(6)]
    assert first[1:3] == ["Force", "0–10"] and first[4:] == ["ana", "bek"]
    assert "3 disagreement(s)" in dialog.summary.text()

    # double-click: the document in two panes, ana's reading left, bek's right, selected
    index = dialog.disagreements.model().index(0, 0)
    dialog.disagreements.doubleClicked.emit(index)
    left, right = window.workspace.panes()[:2]
    assert left.view.document_id == right.view.document_id == 1
    assert left.coder_box.selected() == "ana" and right.coder_box.selected() == "bek"
    qtbot.waitUntil(lambda: {c.coder for c in right.view.layer.codings.values()} == {"bek"})
    assert {c.coder for c in left.view.layer.codings.values()} == {"ana"}
    assert left.view.selection_span() == right.view.selection_span() == (0, 10)

    # the table goes to the clipboard and to a CSV a spreadsheet opens
    dialog.copy_table()
    assert QApplication.clipboard().text().splitlines()[0].startswith("code\tdocument\t")
    out = sample_path.with_name("agreement.csv")
    assert dialog.save_csv(out)
    first_row = out.read_text("utf-8-sig").splitlines()[1]
    assert first_row.startswith("State justification,(all documents),")
    # issue 20: an existing file or the project itself is not written over unasked
    saved = out.read_bytes()
    assert not dialog.save_csv(out)
    assert dialog.summary.text() == f"{out}: already exists; choose another name"
    assert out.read_bytes() == saved
    assert not dialog.save_csv(sample_path, overwrite=True)
    assert "is a kzcoder project in use" in dialog.summary.text()
    assert dialog.save_csv(out, overwrite=True)
    # with one coder unchecked there is nothing to compare
    dialog.coder_list.item(1).setCheckState(dialog.coder_list.item(1).checkState().Unchecked)
    assert dialog.table.rowCount() == 0 and "two coders" in dialog.summary.text()


def test_merging_another_project_is_one_undo_step(qtbot, sample_path, monkeypatch):
    other = sample_path.with_name("other.kzc")
    shutil.copy(sample_path, other)
    _coded(other)
    window = open_window(qtbot, sample_path)
    before = list_segments(window.session.project)
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)  # the report box
    assert window.team_actions.merge(other)
    after = list_segments(window.session.project)
    assert len(after) == len(before) + len(CODINGS)
    assert {s.coder for s in after} == {"ana", "bek"}
    assert window.undo_actions.undo.text() == "Undo Merge other.kzc"
    qtbot.waitUntil(lambda: window.segments_dock.model.rowCount() == len(CODINGS))
    window.undo_actions.undo.trigger()
    assert list_segments(window.session.project) == before
    window.undo_actions.redo.trigger()
    assert len(list_segments(window.session.project)) == len(after)
    # merging it again adds nothing
    assert window.team_actions.merge(other)
    assert len(list_segments(window.session.project)) == len(after)


def test_the_dialog_steps_aside_for_a_disagreement_and_comes_back(qtbot, sample_path):
    window = open_window(qtbot, _coded(sample_path))
    window.actions_named("actionAgreement").trigger()
    dialog = window.team_actions.dialog
    qtbot.addWidget(dialog)
    dialog.disagreements.doubleClicked.emit(dialog.disagreements.model().index(1, 0))
    assert not dialog.isVisible()
    assert "Ctrl+Shift+A" in window.statusBar().currentMessage()
    window.actions_named("actionAgreement").trigger()
    assert window.team_actions.dialog is dialog and dialog.isVisible()
    assert dialog.disagreements.rowCount() == 3
