"""File ▸ Save a copy… and Restore from a backup…, and the ProjectWatch: idle checkpoints,
rolling backups, other programs' changes, and quitting cleanly on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from kzcoder.core.changes import Changes
from kzcoder.gui.operations.watch import ProjectWatch
from kzcoder.services import backup
from kzcoder.services.codings import add_coding
from kzcoder.services.documents import import_paths
from kzcoder.services.project import Project
from kzcoder.services.undoable import AddCoding

REPO = Path(__file__).resolve().parents[2]


def coding_ids(path: Path) -> set[int]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM codings")}
    finally:
        connection.close()


def code_in_window(window, start: int = 10) -> int:
    command = AddCoding(1, 1, start, start + 9, "tester")
    assert window.session.run_command(command)
    return command.added.id


# --- Save a copy ----------------------------------------------------------------------------
def test_save_a_copy_holds_the_latest_codings(window, qtbot, tmp_path, monkeypatch):
    coding = code_in_window(window)
    dest = tmp_path / "out" / "mine"
    dest.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(dest), "kzcoder projects (*.kzc)"))
    written = []
    job = window.file_actions.save_copy()
    assert job is not None
    job.sig_finished.connect(lambda result, error: written.append((result, error)))
    qtbot.waitUntil(lambda: bool(written), timeout=10_000)
    assert written[0][1] is None and written[0][0].value == dest.with_name("mine.kzc")
    assert coding in coding_ids(dest.with_name("mine.kzc"))
    box = window.findChild(QMessageBox, "copySaved")
    assert box is not None and "mine.kzc" in box.text()


def test_save_a_copy_onto_the_project_is_one_message(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    path = window.session.project.path
    window.file_actions.save_copy_to(path, overwrite=True, quiet=True)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == [f"{path}: is the file being copied; choose another"]


# --- Restore from a backup ------------------------------------------------------------------
def test_restore_from_a_backup_closes_restores_and_reopens(window, qtbot, monkeypatch):
    path = window.session.project.path
    if getattr(window, "watch", None) is not None:  # the window's own watch backs up on opening
        window.watch.wait()
    early = backup.backup_now(window.session.project) or backup.list_backups(path)[0].path
    later = code_in_window(window)
    offered = []

    def choose(_parent, _title, _label, items, *_args):  # noqa: ANN001, ANN202
        offered.extend(items)
        return items[-1], True  # the oldest

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    assert window.file_actions.restore_from_backup()
    assert offered[-1].endswith(early.name) and "kB" in offered[-1]
    assert window.session is not None and window.session.project.path == path
    assert coding_ids(path) == coding_ids(early) and later not in coding_ids(path)
    done = window.findChild(QMessageBox, "restoreDone")
    assert done is not None
    kept = next(b.path for b in backup.list_backups(path) if b.path.name in done.text())
    assert later in coding_ids(kept)  # what was there before is kept
    assert window.documents_dock.model.rowCount() == 5


def test_restore_without_backups_or_when_declined_changes_nothing(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: pytest.fail("no list to show"))
    if getattr(window, "watch", None) is not None:  # the window's own watch backs up on opening
        window.watch.wait()
    shutil.rmtree(window.session.project.path.parent / "backups", ignore_errors=True)
    assert not window.file_actions.restore_from_backup()
    assert shown and "has no backups yet" in shown[0]
    backup.backup_now(window.session.project)
    session = window.session
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: (args[3][0], True))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    assert not window.file_actions.restore_from_backup()
    assert window.session is session  # not even closed


# --- the watch ------------------------------------------------------------------------------
@pytest.fixture
def watch(window, qtbot):
    """A watch with short delays (the window's own, if it has one, stops watching)."""
    if getattr(window, "watch", None) is not None:
        window.watch.stop()
    made = ProjectWatch(window.current, window, idle_ms=50, poll_ms=60_000,
                        backup_every_ms=200, opening_backup_ms=0)
    made.wait()
    yield made
    made.wait()


def test_the_window_takes_a_rolling_backup_soon_after_opening(window, qtbot):
    path = window.session.project.path
    assert backup.list_backups(path) == []  # not while the window is being shown
    qtbot.waitUntil(lambda: bool(backup.list_backups(path)), timeout=10_000)
    window.watch.wait()
    [taken] = backup.list_backups(path)
    backup.check_backup(taken.path)


def test_a_backup_is_taken_on_opening_then_after_changes_only(window, watch, qtbot):
    path = window.session.project.path
    assert len(backup.list_backups(path)) == 1  # on opening (one: the same state, once)
    taken = []
    watch.sig_backed_up.connect(taken.append)
    code_in_window(window)
    qtbot.waitUntil(lambda: len(taken) == 1, timeout=5_000)
    assert len(backup.list_backups(path)) == 2
    qtbot.wait(400)
    watch.wait()
    assert len(taken) == 1  # nothing changed since: no backup


def test_the_project_file_alone_holds_the_changes_two_seconds_later(window, watch, qtbot,
                                                                   tmp_path):
    coding = code_in_window(window)
    path = window.session.project.path
    qtbot.wait(150)  # the idle checkpoint (50 ms here) runs in the worker
    watch.wait()
    alone = tmp_path / "alone.kzc"
    shutil.copy(path, alone)  # the .kzc without its -wal, as a file manager would copy it
    assert coding in coding_ids(alone)


def test_changes_by_another_program_reload_the_views(window, watch, tmp_path):
    assert not watch.check_external()
    code_in_window(window)  # this window's own change is not another program's
    assert not watch.check_external()
    seen = []
    window.current.sig_changed.connect(lambda changes, _i: seen.append(changes))
    (tmp_path / "new.txt").write_text("written by another program", encoding="utf-8")
    with Project.open(window.session.project.path) as other:
        import_paths(other, [tmp_path / "new.txt"])
        add_coding(other, 1, 2, 0, 5, coder="someone else")
    assert watch.check_external()
    assert seen and seen[0].project
    assert window.documents_dock.model.rowCount() == 6
    assert not watch.check_external()


def test_window_activation_looks_for_other_programs_changes(window, watch, qtbot, monkeypatch):
    looked = []
    monkeypatch.setattr(watch, "check_external", lambda: looked.append(1) or False)
    QCoreApplication.sendEvent(window, __import__("PySide6.QtCore").QtCore.QEvent(
        __import__("PySide6.QtCore").QtCore.QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: bool(looked), timeout=2_000)


def test_closing_the_project_leaves_one_self_contained_file(window, watch):
    path = window.session.project.path
    code_in_window(window)
    window.close_project()
    header = path.read_bytes()[:20]
    assert header[18:20] == b"\x01\x01"  # rollback journal: the watch kept nothing open
    assert not path.with_name(path.name + "-wal").exists()


def test_a_signal_closes_the_windows_and_quits(window, watch, qtbot, monkeypatch):
    quits = []
    monkeypatch.setattr(QCoreApplication, "quit", lambda *args: quits.append(1))
    watch.install_quit_handlers(QCoreApplication.instance(), signals=(signal.SIGUSR1,))
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        qtbot.waitUntil(lambda: bool(quits), timeout=3_000)
        assert not window.isVisible()
    finally:
        watch.shutdown()
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL


def test_sigterm_quits_the_app_with_everything_in_the_project_file(tmp_path, sample_template):
    """A real process: the window codes, gets SIGTERM, quits with status 0 and leaves the
    project one self-contained file holding the coding."""
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    child = textwrap.dedent(f"""
        import sys
        from PySide6.QtWidgets import QApplication
        from kzcoder.gui.shell.main_window import MainWindow
        from kzcoder.gui.operations.session import open_session
        from kzcoder.gui.operations.watch import ProjectWatch
        from kzcoder.gui.shell.settings import Settings
        from kzcoder.services.undoable import AddCoding
        app = QApplication([])
        window = MainWindow(open_session({str(path)!r}, "tester"), Settings())
        watch = ProjectWatch(window.current, window)
        watch.install_quit_handlers(app)
        window.show()
        command = AddCoding(1, 1, 3, 30, "tester")
        assert window.session.run_command(command)
        print(command.added.id, flush=True)
        status = app.exec()
        print("quit", status, flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE,
                               text=True, cwd=REPO,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        coding = int(process.stdout.readline())
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and out.strip() == "quit 0"
    assert path.read_bytes()[18:20] == b"\x01\x01"
    assert not path.with_name(path.name + "-wal").exists()
    assert coding in coding_ids(path)


def test_the_watch_follows_a_new_project_and_forgets_the_old(window, watch, qtbot, tmp_path,
                                                             sample_template):
    other = tmp_path / "other.kzc"
    shutil.copy(sample_template, other)
    window.file_actions.open_project(other)
    watch.wait()
    assert len(backup.list_backups(other)) == 1
    window.session.announce(Changes(coders=True))  # a change: timers run for the new one
    assert watch.check_external() is False


def test_quitting_cleanly_stops_a_running_import_and_keeps_what_went_in(window, watch, qtbot,
                                                                        tmp_path, monkeypatch):
    from kzcoder.exchange import readers

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(200):
        (folder / f"r{i:03}.txt").write_text(f"report {i}", encoding="utf-8")
    real = readers.read_with

    def slow(reader, path):  # noqa: ANN001, ANN202
        __import__("time").sleep(0.02)
        return real(reader, path)

    monkeypatch.setattr(readers, "read_with", slow)
    monkeypatch.setattr(QCoreApplication, "quit", lambda *args: None)
    path = window.session.project.path
    window.file_actions.import_paths([folder], quiet=True)
    qtbot.wait(300)
    watch.quit_cleanly()
    assert not window.isVisible()
    with Project.open(path) as project:
        from kzcoder.services.documents import list_documents

        count = len(list_documents(project)) - 5
    assert 0 < count < 200  # stopped at a file, everything before it kept
