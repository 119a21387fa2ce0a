"""The joints of issue 7: views that follow changes by themselves, the operations runner,
one keypress = one unit of work."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import event

from kzcoder.gui.codebook.dock import CodebookDock
from kzcoder.gui.operations.session import CurrentSession, open_session
from kzcoder.gui.segments.dock import SegmentsDock
from kzcoder.gui.shell.main_window import MainWindow
from kzcoder.gui.shell.workspace import Workspace
from kzcoder.services import documents
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.undoable import AddCoding
from tests.gui.conftest import import_and_wait
from tests.gui.test_coding_loop import select_codepoints


def _code_names(dock: CodebookDock) -> list[str]:
    model = dock.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_renaming_a_code_updates_every_view_through_the_subscription(qtbot, sample_path):
    """No MainWindow here: the docks and the workspace follow the session on their own."""
    host = QMainWindow()
    qtbot.addWidget(host)
    current = CurrentSession(host)
    workspace = Workspace(current, host)
    codebook_dock = CodebookDock(current, host)
    segments_dock = SegmentsDock(current, host)
    host.setCentralWidget(workspace)
    host.show()
    current.set(open_session(sample_path, "tester"))
    session = current.session
    workspace.show_documents([1])
    pane = workspace.panes()[0]
    session.run_command(AddCoding(1, 3, 0, 5, "tester", "Force"))
    segments_dock.show_code(3)
    assert "Force" in _code_names(codebook_dock)
    assert "Force" in pane.view.tooltip_html_at(2)
    assert segments_dock.model.index(0, 1).data() == "Force"

    session.run(codebook.update_code, 3, name="Violence", color="#112233")

    assert "Violence" in _code_names(codebook_dock) and "Force" not in _code_names(codebook_dock)
    tooltip = pane.view.tooltip_html_at(2)
    assert "Violence" in tooltip and "Force" not in tooltip
    assert pane.view.layer.color(3) == "#112233"
    assert segments_dock.model.index(0, 1).data() == "Violence"
    assert segments_dock.scope.text() == "Violence: 1 segment(s)"


def test_a_failing_call_is_one_message_and_changes_nothing(window, qtbot):
    errors = []
    window.current.sig_error.disconnect(window.show_error)
    window.current.sig_error.connect(errors.append)
    assert window.session.run(codebook.update_code, 3, name="Dissent") is None
    assert errors == ["a code named 'Dissent' already exists there"]
    assert window.session.codes[3].name == "Force"


def test_import_of_200_files_runs_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(200):
        (folder / f"interview{i:03}.txt").write_text(f"Interview number {i}.", encoding="utf-8")
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(5)
    seen = []  # (thread, ticks) at each file, from inside the import
    real = documents.import_paths

    def observed(project, paths, *, progress):
        def watch(done, total, name):
            seen.append((threading.current_thread(), ticks[0]))
            time.sleep(0.002)  # long enough for the GUI thread's timer to fire meanwhile
            return progress(done, total, name)

        return real(project, paths, progress=watch)

    monkeypatch.setattr(documents, "import_paths", observed)
    listed = []
    window.current.sig_changed.connect(
        lambda changes, _i: listed.append(window.documents_dock.model.rowCount())
        if changes.document_list else None)
    report = import_and_wait(qtbot, window, [folder])
    timer.stop()
    assert len(report.imported) == 200
    assert {thread for thread, _ in seen} != {threading.main_thread()}
    assert threading.main_thread() not in {thread for thread, _ in seen}
    assert seen[-1][1] - seen[0][1] >= 10  # the timer kept firing during the import
    assert listed == [205]  # the documents dock learnt of them from the change signal
    assert window.documents_dock.model.rowCount() == 205


def test_a_coding_by_key_is_one_unit_of_work_and_one_commit(window, qtbot):
    engine = window.session.project.engine
    begins, commits = [], []
    event.listen(engine, "begin", lambda conn: begins.append(1))
    event.listen(engine, "commit", lambda conn: commits.append(1))
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 10, 20)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    assert (len(begins), len(commits)) == (1, 1)
    assert pane.view.coding_count() == 1
    # the codebook's count follows one event-loop turn after the pane: no more SQL for it
    qtbot.waitUntil(lambda: window.codebook_dock.model.index(2, 2).data() == "1")
    assert (len(begins), len(commits)) == (1, 1)
    assert window.status.codings.text() == "1 coding in this document"


def test_main_window_wires_but_does_not_route():
    assert not any(name in vars(MainWindow) for name in ("_on_changed", "open_document",
                                                          "show_segments_of", "_reload_all"))


def test_an_undo_that_fails_clears_the_history_and_shows_the_file(window, qtbot, monkeypatch):
    from kzcoder.services.codings import remove_coding

    errors = []
    window.current.sig_error.disconnect(window.show_error)
    window.current.sig_error.connect(errors.append)
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 10, 20)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    [coding] = pane.view.codings_at(12)
    remove_coding(window.session.project, coding.id)  # another program removes it
    window.session.undo_stack.undo()  # undoing the coding now finds nothing to remove
    assert errors and errors[0].startswith(f"no coding numbered {coding.id}")
    assert "undo history was cleared" in errors[0]
    qtbot.waitUntil(lambda: window.session.undo_stack.count() == 0)
    assert pane.view.document_id == 1 and pane.view.coding_count() == 0  # as the file is
