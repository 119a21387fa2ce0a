"""When a change cannot be saved (read-only, locked, full disk), the window says so in one
plain line, pushes nothing on the undo stack and shows the project as it is."""

from __future__ import annotations

import re
import sqlite3

import pytest
from PySide6.QtCore import Qt

from kzcoder.core.errors import KzError
from kzcoder.db import engine as db_engine
from kzcoder.gui.operations.session import describe_failure
from kzcoder.services.undoable import AddCoding
from tests.gui.conftest import open_window
from tests.gui.test_coding_loop import select_codepoints


def _collect_errors(window) -> list[str]:  # noqa: ANN001
    errors: list[str] = []
    window.current.sig_error.disconnect(window.show_error)
    window.current.sig_error.connect(errors.append)
    return errors


def _code_by_key(window, qtbot):  # noqa: ANN001, ANN202
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 10, 20)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    return pane


def test_a_read_only_project_says_so_and_refuses_changes(qtbot, sample_path, monkeypatch):
    real = db_engine.may_write
    monkeypatch.setattr(db_engine, "may_write", lambda p: p != sample_path and real(p))
    window = open_window(qtbot, sample_path)
    try:
        assert window.session.project.read_only
        assert window.windowTitle().endswith(" — read-only")
        assert window.status.currentMessage() == ("Read-only: you may not write to the file; "
                                                  "changes are refused")
        errors = _collect_errors(window)
        pane = _code_by_key(window, qtbot)
        assert errors == [f"{sample_path} is read-only (you may not write to the file); your "
                          "change was not saved"]
        assert pane.view.coding_count() == 0
        assert window.session.undo_stack.count() == 0
    finally:
        window.close()
    assert sorted(p.name for p in sample_path.parent.iterdir()) == ["sample.kzc"]


def test_a_locked_project_is_one_message_and_the_next_try_works(qtbot, sample_path,
                                                               monkeypatch):
    monkeypatch.setenv(db_engine.BUSY_TIMEOUT_ENV, "100")
    window = open_window(qtbot, sample_path)
    errors = _collect_errors(window)
    holder = sqlite3.connect(sample_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO coders (guid, name) VALUES ('h', 'holder')")
    try:
        pane = _code_by_key(window, qtbot)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(errors) == 1
    said = re.fullmatch(re.escape(f"{sample_path} is locked by another program (it kept the "
                                  "project busy; waited ") + r"(\d+\.\d) s\); try again when "
                        "it has finished", errors[0])
    assert said and float(said[1]) >= 0.1, errors  # the real wait, not the timeout's promise
    assert pane.view.coding_count() == 0 and window.session.undo_stack.count() == 0
    _code_by_key(window, qtbot)
    assert pane.view.coding_count() == 1 and window.session.undo_stack.count() == 1
    window.close()


def test_a_full_disk_is_one_message_and_the_project_is_as_it_was(qtbot, sample_path,
                                                                 monkeypatch):
    real = db_engine.configure

    def no_room(connection, **kwargs):  # noqa: ANN001, ANN003
        real(connection, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(db_engine, "configure", no_room)
    window = open_window(qtbot, sample_path)
    errors = _collect_errors(window)
    session = window.session
    first = next(iter(session.documents))
    assert not session.run_command(AddCoding(first, 3, 0, 5, "tester", memo="m" * 300_000))
    assert errors == [f"{sample_path}: the disk is full; your change was not saved, the "
                      "project is as it was"]
    assert session.undo_stack.count() == 0
    window.close()


@pytest.mark.parametrize("message", ["x.kzc is read-only (the reason); your change was not saved",
                                     "x.kzc: the disk is full; your change was not saved"])
def test_describe_failure_shows_a_kzerror_as_it_is(message):
    assert describe_failure(KzError(message)) == message
