"""The window on a server project (issue 25): a second client's coding shows within a second
without reloading the document or moving the reader; a lost server is said, refused changes
are one line, and the window recovers and catches up; a viewer's window refuses coding in one
line; File ▸ Open URL asks for a password that nothing kzcoder writes keeps.

Every test runs against the real throwaway cluster (tests/server/conftest.py)."""

from __future__ import annotations

import time

import psycopg
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from kzcoder.gui.operations.session import open_server_session
from kzcoder.gui.server.live import LOST
from kzcoder.gui.shell.main_window import MainWindow
from kzcoder.gui.shell.settings import Settings
from kzcoder.services import codings
from kzcoder.services.project import Project
from kzcoder.services.server import members
from tests.server.conftest import fresh_database


@pytest.fixture
def messages(monkeypatch):
    """Every message box the window shows, instead of showing it."""
    shown: list[str] = []

    def record(_parent, _title, text, *_args, **_kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, record)
    return shown


@pytest.fixture
def server_sample(pg_cluster, sample_server_template):
    return fresh_database(pg_cluster, sample_server_template)


def open_server_window(qtbot, url: str) -> MainWindow:
    settings = Settings()
    settings.set_snap_words(False)
    window = MainWindow(open_server_session(url, "tester"), settings)
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.live.running, timeout=2000)
    return window


def sql(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as db:
        cursor = db.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def longest_document(url: str) -> int:
    return sql(url, "SELECT id FROM documents ORDER BY length DESC, id LIMIT 1")[0][0]


def first_code(url: str) -> int:
    return sql(url, "SELECT id FROM codes WHERE codable ORDER BY id LIMIT 1")[0][0]


def reader_pane(qtbot, window: MainWindow, document_id: int):
    """The active pane showing *document_id*, scrolled down, with a selection made."""
    window.workspace.open_document(None, document_id)
    pane = window.workspace.pane_showing(document_id)
    qtbot.wait(300)  # its codings are loaded in a second step after the first paint
    window.workspace.set_active(pane)
    view = pane.view
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    bar.setValue(bar.maximum() // 2)
    view.select_span(200, 260)
    return pane


def test_another_coders_coding_shows_within_a_second_keeping_scroll_and_selection(
        qtbot, server_sample, monkeypatch):
    window = open_server_window(qtbot, server_sample)
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    pane = reader_pane(qtbot, window, document_id)
    view = pane.view
    scroll, selection = view.verticalScrollBar().value(), view.selection_span()
    reloads: list[str] = []
    for name in ("set_document", "replace_codings"):
        original = getattr(view, name)
        monkeypatch.setattr(view, name, lambda *a, _n=name, _o=original, **k: (
            reloads.append(_n), _o(*a, **k))[1])
    shown_before = view.coding_count()

    with Project.open(server_sample) as other:  # the second client
        added = codings.add_coding(other, document_id, code_id, 40, 90, coder="kzadmin").value
    committed = time.monotonic()
    qtbot.waitUntil(lambda: added.id in view.layer.codings, timeout=1000)
    assert time.monotonic() - committed <= 1.0
    assert view.coding_count() == shown_before + 1
    assert (view.layer.codings[added.id].start, view.layer.codings[added.id].end) == (40, 90)
    assert view.verticalScrollBar().value() == scroll
    assert view.selection_span() == selection
    assert reloads == []  # the document was not reloaded, its codings not replaced
    # the codebook's count follows: an independent count on the server
    expected = sql(server_sample, "SELECT count(*) FROM codings WHERE code_id = %s",
                   (code_id,))[0][0]
    model = window.codebook_dock.model
    qtbot.waitUntil(lambda: model._counts.get(code_id) == expected, timeout=1000)
    # and the segments dock lists it when it shows that code
    window.segments_dock.show_code(code_id)
    assert added.id in window.segments_dock.shown_coding_ids()

    with Project.open(server_sample) as other:  # removed by the other client: gone here too
        codings.remove_coding(other, added.id)
    qtbot.waitUntil(lambda: added.id not in view.layer.codings, timeout=1000)
    qtbot.waitUntil(lambda: added.id not in window.segments_dock.shown_coding_ids(),
                    timeout=1000)
    assert view.verticalScrollBar().value() == scroll and view.selection_span() == selection
    assert reloads == []
    # Undo in the window undoes only its own changes: the other client's are not on its stack
    assert not window.session.undo_stack.canUndo()
    window.close()


def test_a_lost_server_is_said_changes_are_refused_and_the_window_recovers(
        qtbot, server_sample, pg_cluster, messages):
    window = open_server_window(qtbot, server_sample)
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    pane = reader_pane(qtbot, window, document_id)
    acknowledged = set()
    for start in (400, 450, 500):  # coded through the window before the server goes
        pane.view.select_span(start, start + 20)
        assert window.coding.code_selection(code_id)
        acknowledged.add(max(pane.view.layer.codings))
    before = sql(server_sample, "SELECT count(*) FROM codings")[0][0]
    label = window.status.connection

    pg_cluster.stop("immediate")
    try:
        qtbot.waitUntil(lambda: label.text() == LOST, timeout=5000)
        assert "connection lost — reconnecting" in label.text()
        pane.view.select_span(10, 30)
        assert window.coding.code_selection(code_id) is False
        assert len(messages) == 1 and "\n" not in messages[0]
        assert "connection lost — reconnecting" in messages[0]
        assert "kzadmin-secret" not in messages[0]
    finally:
        pg_cluster.start()
    qtbot.waitUntil(lambda: label.text() == "", timeout=10000)
    assert sql(server_sample, "SELECT count(*) FROM codings")[0][0] == before  # not half-done
    assert acknowledged <= server_codings_of(server_sample, document_id)  # none lost
    assert pane.view.layer.codings.keys() == {
        row[0] for row in sql(server_sample, "SELECT id FROM codings WHERE document_id = %s",
                              (document_id,))}
    # the window codes again once the server is back
    pane.view.select_span(10, 30)
    assert window.coding.code_selection(code_id) is True
    assert sql(server_sample, "SELECT count(*) FROM codings")[0][0] == before + 1
    window.close()


def test_a_terminated_feed_catches_up_by_event_id(qtbot, server_sample, messages):
    """The live connection's backend is terminated, and another client codes at once, while
    the window is not listening: the window reconnects and shows it all the same."""
    window = open_server_window(qtbot, server_sample)
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    pane = reader_pane(qtbot, window, document_id)
    states: list[str] = []
    window.live.sig_state.connect(states.append)
    database = server_sample.rsplit("/", 1)[1]
    with Project.open(server_sample) as other:
        killed = sql(server_sample, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
        assert killed  # the window's own connections and the live one
        added = codings.add_coding(other, document_id, code_id, 5, 25, coder="kzadmin").value
    qtbot.waitUntil(lambda: added.id in pane.view.layer.codings, timeout=5000)
    qtbot.waitUntil(lambda: states and states[-1] == "", timeout=5000)
    assert any(s.startswith(LOST) for s in states)
    assert window.status.connection.text() == ""
    # the window's own pool reconnects too: its next coding is saved
    pane.view.select_span(300, 340)
    assert window.coding.code_selection(code_id) is True
    assert messages == []
    window.close()


def test_undo_says_when_someone_elses_change_is_in_the_way(qtbot, server_sample, messages):
    window = open_server_window(qtbot, server_sample)
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    pane = reader_pane(qtbot, window, document_id)
    pane.view.select_span(100, 140)
    assert window.coding.code_selection(code_id)
    mine = max(pane.view.layer.codings)
    with Project.open(server_sample) as other:  # someone else removes it meanwhile
        codings.remove_coding(other, mine)
    qtbot.waitUntil(lambda: mine not in pane.view.layer.codings, timeout=1000)
    window.undo_actions.undo.trigger()
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "someone else" in messages[0]
    window.close()


def test_a_viewers_window_refuses_coding_in_one_line(qtbot, server_sample, pg_cluster,
                                                     messages):
    with Project.open(server_sample) as admin:
        members.add_member(admin, "winviewer", "viewer", "viewer-pw")
    database = server_sample.rsplit("/", 1)[1]
    url = pg_cluster.url(database, user="winviewer", password="viewer-pw")
    window = open_server_window(qtbot, url)
    assert window.session.coder == "winviewer"  # the login role, not the typed name
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    pane = reader_pane(qtbot, window, document_id)
    before = sql(server_sample, "SELECT count(*) FROM codings")[0][0]
    shown = pane.view.coding_count()
    pane.view.select_span(10, 30)
    assert window.coding.code_selection(code_id) is False
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "viewer role" in messages[0] and "viewer-pw" not in messages[0]
    assert sql(server_sample, "SELECT count(*) FROM codings")[0][0] == before
    assert pane.view.coding_count() == shown and not window.session.undo_stack.canUndo()
    window.close()


def test_open_url_asks_for_a_password_remembers_it_and_no_file_holds_it(
        qtbot, server_sample, tmp_path, monkeypatch, messages):
    import keyring

    from kzcoder.cli.main import _build_gui_parser
    from kzcoder.paths import data_home
    from tests.server.test_credentials import MemoryKeyring

    store = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(store)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    try:
        bare = server_sample.replace(":kzadmin-secret@", "@")
        assert _build_gui_parser().parse_args([bare]).project == bare  # python -m kzcoder URL
        window = open_server_window(qtbot, server_sample)  # with the password in the URL
        asked: list[str] = []

        def answer() -> None:  # the real dialog, filled as a user does
            from kzcoder.gui.server.open_url import PasswordDialog

            dialog = next(w for w in QApplication.topLevelWidgets()
                          if isinstance(w, PasswordDialog) and w.isVisible())
            asked.append(dialog.findChild(QLabel, "passwordWhy").text())
            dialog.password.setText("kzadmin-secret")
            dialog.remember.setChecked(True)
            dialog.accept()

        QTimer.singleShot(300, answer)
        assert window.file_actions.open_project(bare)
        assert len(asked) == 1 and "asks for a password" in asked[0] and bare in asked[0]
        assert str(window.session.project.path) == bare
        assert store.entries == {("kzcoder", bare): "kzadmin-secret"}
        # opened again, the keyring's password is used: no prompt
        window.file_actions.ask_password = lambda *_a: pytest.fail("asked again")
        assert window.file_actions.open_project(bare)
        window.close()
        on_disk = "".join(p.read_text(errors="replace") for p in data_home().rglob("*")
                          if p.is_file())
        assert "kzadmin-secret" not in on_disk and "viewer-pw" not in on_disk
        assert messages == []
        assert bare in [str(p) for p in Settings().recent_projects()]
    finally:
        keyring.set_keyring(before)


def test_a_coders_window_refuses_removing_someone_elses_coding_in_one_line(
        qtbot, server_sample, pg_cluster, messages):
    with Project.open(server_sample) as admin:
        members.add_member(admin, "wincoder_a", "coder", "a-pw")
        members.add_member(admin, "wincoder_b", "coder", "b-pw")
    database = server_sample.rsplit("/", 1)[1]
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    with Project.open(pg_cluster.url(database, user="wincoder_b", password="b-pw")) as bob:
        theirs = codings.add_coding(bob, document_id, code_id, 0, 20,
                                    coder="wincoder_b").value
    window = open_server_window(qtbot, pg_cluster.url(database, user="wincoder_a",
                                                      password="a-pw"))
    pane = reader_pane(qtbot, window, document_id)
    assert theirs.id in pane.view.layer.codings
    assert window.coding.remove(theirs.id) is False
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "coder role" in messages[0] and "wincoder_b" in messages[0]
    assert theirs.id in server_codings_of(server_sample, document_id)
    assert theirs.id in pane.view.layer.codings and not window.session.undo_stack.canUndo()
    # their own coding they may remove, and undo brings it back under the same id
    pane.view.select_span(30, 50)
    assert window.coding.code_selection(code_id)
    mine = max(pane.view.layer.codings)
    assert window.coding.remove(mine) and mine not in server_codings_of(server_sample,
                                                                        document_id)
    window.undo_actions.undo.trigger()
    assert mine in server_codings_of(server_sample, document_id)
    assert len(messages) == 1
    window.close()


def server_codings_of(url: str, document_id: int) -> set[int]:
    return {row[0] for row in sql(url, "SELECT id FROM codings WHERE document_id = %s",
                                  (document_id,))}


def test_own_changes_coming_back_are_skipped_but_a_later_change_back_is_shown(
        qtbot, server_sample, messages):
    """The window skips the echo of its own coding; another coder re-codes it and then codes
    it back as it was: both show (the window does not take the second for its own echo)."""
    window = open_server_window(qtbot, server_sample)
    document_id = longest_document(server_sample)
    first, second = (row[0] for row in sql(
        server_sample, "SELECT id FROM codes WHERE codable ORDER BY id LIMIT 2"))
    pane = reader_pane(qtbot, window, document_id)
    pane.view.select_span(100, 140)
    shown: list = []
    window.current.sig_changed.connect(lambda changes, _i: shown.append(changes))
    assert window.coding.code_selection(first)
    mine = max(pane.view.layer.codings)
    qtbot.waitUntil(lambda: window.session.seen_event >= last_event(server_sample),
                    timeout=1000)
    qtbot.wait(100)
    assert [c for c in shown if mine in c.codings] == shown[:1]  # its echo announced nothing
    # another coding of the window's, re-coded by someone else before its echo came back
    # (the feed held back meanwhile, as a slow network would)
    window.live.stop()
    pane.view.select_span(200, 240)
    assert window.coding.code_selection(first)
    again = max(pane.view.layer.codings)
    with Project.open(server_sample) as other:
        codings.update_coding(other, again, code=second)
    window.live._follow(window.session)  # catches up from the last event it handed over
    qtbot.waitUntil(lambda: pane.view.layer.codings[again].code_id == second, timeout=1000)
    with Project.open(server_sample) as other:  # and back as the window had coded it
        codings.update_coding(other, again, code=first)
    qtbot.waitUntil(lambda: pane.view.layer.codings[again].code_id == first, timeout=1000)
    assert messages == []
    window.close()


def last_event(url: str) -> int:
    return sql(url, "SELECT coalesce(max(id), 0) FROM events")[0][0]


def test_the_window_on_an_unreachable_url_is_one_line_without_the_password(qtbot, capfd):
    from kzcoder.cli.main import main

    assert main(["postgresql://someone:secretpw@127.0.0.1:1/team"]) == 1
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "connection lost or refused" in err[0]
    assert "postgresql://someone@127.0.0.1:1/team" in err[0] and "secretpw" not in err[0]


def test_a_keyring_that_refuses_is_one_line_and_the_project_opens_all_the_same(
        qtbot, server_sample, tmp_path, monkeypatch, messages):
    import keyring
    from keyring.backend import KeyringBackend

    from kzcoder.gui.server.open_url import open_url_session

    class Refusing(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise RuntimeError("locked")

        def delete_password(self, service: str, username: str) -> None:
            raise RuntimeError("locked")

    before = keyring.get_keyring()
    keyring.set_keyring(Refusing())
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    try:
        bare = server_sample.replace(":kzadmin-secret@", "@")
        answers = iter([("wrong", True), ("kzadmin-secret", True)])
        why: list[str] = []

        def asker(_parent, shown: str, reason: str):
            why.append(reason)
            assert shown == bare
            return next(answers)

        session = open_url_session(None, bare, "x", asker=asker, error=messages.append)
        assert session is not None and str(session.project.path) == bare
        assert why == ["The server asks for a password", "The server refused the password"]
        assert len(messages) == 1 and "system keyring" in messages[0]
        assert "kzadmin-secret" not in messages[0] and "\n" not in messages[0]
        session.close()
    finally:
        keyring.set_keyring(before)


def test_a_change_sent_as_the_server_goes_fails_whole_in_one_line(qtbot, server_sample,
                                                                   pg_cluster, messages):
    """Before the live feed has noticed (held back here), a coding reaches the window's own
    connection to a stopped server: one line, and nothing of it is there after the restart."""
    window = open_server_window(qtbot, server_sample)
    document_id, code_id = longest_document(server_sample), first_code(server_sample)
    pane = reader_pane(qtbot, window, document_id)
    window.live.stop()
    before = sql(server_sample, "SELECT count(*) FROM codings")[0][0]
    shown = pane.view.coding_count()
    pg_cluster.stop("immediate")
    try:
        pane.view.select_span(10, 30)
        assert window.coding.code_selection(code_id) is False
    finally:
        pg_cluster.start()
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "connection lost or refused" in messages[0] and "not saved" in messages[0]
    assert "kzadmin-secret" not in messages[0]
    assert sql(server_sample, "SELECT count(*) FROM codings")[0][0] == before
    assert pane.view.coding_count() == shown and not window.session.undo_stack.canUndo()
    window.close()


def test_a_rename_or_merge_from_a_stale_codebook_is_refused_and_the_codebook_refreshes(
        qtbot, server_sample, messages):
    """Two coders rename the same code at the same moment: the second, whose codebook still
    shows the old name (its feed held back, as a slow network would), is told so in one line;
    the server keeps the first rename and the codebook shows it. A merge chosen from the stale
    codebook is refused the same way."""
    from PySide6.QtCore import Qt

    from kzcoder.services.codebook import editing

    window = open_server_window(qtbot, server_sample)
    first, second = (row[0] for row in sql(
        server_sample, "SELECT id FROM codes WHERE codable ORDER BY id LIMIT 2"))
    dock = window.codebook_dock
    window.live.stop()
    with Project.open(server_sample) as other:
        editing.update_code(other, first, name="Renamed elsewhere")
    dock.proxy.setData(dock.view_index(first), "Mine", Qt.ItemDataRole.EditRole)
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "changed by someone else meanwhile" in messages[0]
    assert sql(server_sample, "SELECT name FROM codes WHERE id = %s", (first,)) == [
        ("Renamed elsewhere",)]
    assert dock.model.code(first).name == "Renamed elsewhere"
    assert window.session.codes[first].name == "Renamed elsewhere"
    # the refreshed codebook renames as asked
    dock.proxy.setData(dock.view_index(first), "Mine", Qt.ItemDataRole.EditRole)
    assert sql(server_sample, "SELECT name FROM codes WHERE id = %s", (first,)) == [("Mine",)]
    with Project.open(server_sample) as other:
        editing.update_code(other, second, name="Second renamed elsewhere")
    counted = sql(server_sample, "SELECT count(*) FROM codings WHERE code_id = %s", (second,))
    assert not window.codebook_actions.merge_into(first, second)
    assert len(messages) == 2 and "changed by someone else meanwhile" in messages[1]
    assert sql(server_sample, "SELECT count(*) FROM codings WHERE code_id = %s",
               (second,)) == counted
    assert sql(server_sample, "SELECT count(*) FROM codes WHERE id = %s", (first,)) == [(1,)]
    window.close()
