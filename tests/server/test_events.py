"""The change feed: events in commit order, caught up by id after a reconnect, an old (0004)
server project upgraded so that it has one; and a server stopped mid-write."""

from __future__ import annotations

import threading

import psycopg
import pytest

from kzcoder.cli.main import main
from kzcoder.core.errors import KzError
from kzcoder.services import codings
from kzcoder.services.codebook import editing
from kzcoder.services.project import Project
from kzcoder.services.server import events
from tests.server.conftest import fresh_database


@pytest.fixture
def coded(pg_cluster, pg_template, tmp_path):
    url = fresh_database(pg_cluster, pg_template)
    (tmp_path / "a.txt").write_text("One two three four five six seven eight nine ten.",
                                    encoding="utf-8")
    assert main(["import", url, str(tmp_path / "a.txt")]) == 0
    with Project.open(url) as project:
        editing.add_code(project, "Theme", "#00FF00")
    return url


def test_concurrent_writers_get_event_ids_in_commit_order(coded):
    """Four writers add codings at once; a reader polling by id never sees an id appear
    below one it has already passed (the ids follow commit order), and sees every coding."""
    with Project.open(coded) as project:
        start = events.last_event_id(project)
    added: list[int] = []
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with Project.open(coded) as project:
                for i in range(15):
                    added.append(codings.add_coding(project, 1, 1, i, i + 3, coder=name)
                                 .value.id)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"c{n}",)) for n in range(4)]
    seen: list = []
    with Project.open(coded) as reader:
        for thread in threads:
            thread.start()
        after = start
        while any(thread.is_alive() for thread in threads) or (
                batch := events.events_after(reader, after)):
            batch = events.events_after(reader, after)
            seen += batch
            after = batch[-1].event if batch else after
        for thread in threads:
            thread.join()
        seen += events.events_after(reader, after)
        with psycopg.connect(coded) as db:  # the ground truth: every event row
            every = [row[0] for row in db.execute(
                "SELECT id FROM events WHERE id > %s ORDER BY id", (start,))]
    assert not errors
    assert [event.event for event in seen] == every  # none skipped, none twice, in order
    coding_events = [e.id for e in seen if e.what == "coding" and e.action == "added"]
    assert sorted(coding_events) == sorted(added) and len(added) == 60


def test_a_client_that_was_away_catches_up_by_id(coded):
    with Project.open(coded) as project:
        mark = events.last_event_id(project)
    # while "away": another connection changes things
    with Project.open(coded) as other:
        first = codings.add_coding(other, 1, 1, 0, 3, coder="ana").value
        codings.update_coding(other, first.id, memo="a note")
        codings.remove_coding(other, first.id)
    with Project.open(coded) as project:  # back, with the id it had
        got = [(e.what, e.action, e.id, e.document, e.by)
               for e in events.events_after(project, mark)]
    assert got == [("coder", "added", got[0][2], None, "kzadmin"),
                   ("coding", "added", first.id, 1, "kzadmin"),
                   ("coding", "changed", first.id, 1, "kzadmin"),
                   ("coding", "removed", first.id, 1, "kzadmin")]


def test_follow_hands_over_what_comes_in_while_it_listens(coded):
    with Project.open(coded) as project:
        mark = events.last_event_id(project)
        got: list = []

        def later() -> None:
            with Project.open(coded) as other:
                codings.add_coding(other, 1, 1, 4, 8, coder="kzadmin")

        thread = threading.Timer(0.5, later)
        thread.start()
        events.follow(project, mark, got.extend, stop=lambda: bool(got), poll_s=5.0)
        thread.join()
    assert [(e.what, e.action) for e in got] == [("coder", "added"), ("coding", "added")]


def test_an_old_server_project_is_upgraded_and_gets_a_change_feed(pg_cluster):
    from alembic import command
    from sqlalchemy import create_engine, text

    from kzcoder.db import engine as db_engine
    from kzcoder.db.migrate import alembic_config

    url = fresh_database(pg_cluster)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    config = alembic_config()
    with engine.begin() as connection:  # a project at 0004, as an older kzcoder made it
        config.attributes["connection"] = connection
        command.upgrade(config, "0004_code_memos")
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        connection.execute(text("INSERT INTO documents (id, guid, name, text, length, sha256, "
                                "source_encoding, memo, created) VALUES (1, 'd', 'old doc', "
                                "'text here', 9, 's', 'utf-8', '', '2024-01-01T00:00:00Z')"))
        connection.execute(text("SELECT setval('documents_id_seq', 1)"))
    engine.dispose()
    with Project.open(url) as project:
        code = editing.add_code(project, "New", "#123456").value
        coding = codings.add_coding(project, 1, code.id, 0, 4, coder="kzadmin").value
        seen = [(e.what, e.id) for e in events.events_after(project, 0)]
    assert seen == [("code", code.id), ("coder", seen[1][1]), ("coding", coding.id)]
    with psycopg.connect(url) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (
            db_engine.HEAD_REVISION,)


def test_a_server_stopped_mid_write_loses_no_acknowledged_change(coded, pg_cluster, capfd):
    """Codings are added until the server is stopped with -m immediate: every one whose
    add returned is there after the restart, and the one that failed is not half there."""
    acknowledged: list[int] = []
    failure: list[str] = []
    with Project.open(coded) as project:
        stopper = threading.Timer(0.8, lambda: pg_cluster.stop("immediate"))
        stopper.start()
        try:
            for i in range(100_000):
                acknowledged.append(codings.add_coding(project, 1, 1, i % 40, i % 40 + 5,
                                                       coder="kzadmin").value.id)
        except KzError as exc:
            failure.append(str(exc))
        stopper.join()
    pg_cluster.start()
    assert failure and "connection lost" in failure[0] and "\n" not in failure[0]
    with psycopg.connect(coded) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM codings")}
        spans = db.execute("SELECT count(*) FROM codings WHERE start >= \"end\"").fetchone()
    assert set(acknowledged) <= stored and len(stored) - len(acknowledged) <= 1
    assert spans == (0,)
    # the command line: one line and a non-zero exit while the server is down
    pg_cluster.stop("immediate")
    try:
        status = main(["code", coded, "1", "1", "0", "3"])
        err = capfd.readouterr().err
        assert status == 1 and len(err.strip().splitlines()) == 1 and "kzadmin-secret" not in err
    finally:
        pg_cluster.start()
    with Project.open(coded) as project:  # and it works again once the server is back
        assert codings.add_coding(project, 1, 1, 0, 2, coder="kzadmin").value.id > 0
