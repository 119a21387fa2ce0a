"""publish, clone and the commands on a postgresql:// project, through the command line;
what reached each side is read back with plain sqlite3 and psycopg, not through kzcoder."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import psycopg
import pytest

from kzcoder.cli.main import main
from tests.server.conftest import fresh_database

TABLES = {"project": "id", "documents": "id", "document_attributes": "document_id, name",
          "codes": "id", "coders": "id", "codings": "id", "original_files": "document_id"}


def run(capfd, *args: object) -> tuple[int, str, str]:
    status = main([str(arg) for arg in args])
    out, err = capfd.readouterr()
    return status, out, err


def file_rows(path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {table: [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in db.execute(f"SELECT * FROM {table} ORDER BY {key}")]
                for table, key in TABLES.items()}


def server_rows(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as db:
        return {table: [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in db.execute(f"SELECT * FROM {table} ORDER BY {key}")]
                for table, key in TABLES.items()}


def test_publish_copies_every_row_and_clone_copies_it_back(capfd, tmp_path, sample_template,
                                                           pg_cluster):
    url = fresh_database(pg_cluster)
    status, out, err = run(capfd, "publish", sample_template, url)
    assert status == 0, err
    assert "kzadmin-secret" not in out + err  # the password never shows
    expected = file_rows(sample_template)
    assert server_rows(url) == expected
    assert sum(len(rows) for rows in expected.values()) > 20

    status, out, err = run(capfd, "code", url, "1", "1", "0", "10", "--coder", "ana")
    assert status == 0, err
    coding_id = int(out.strip())
    status, out, err = run(capfd, "clone", url, tmp_path / "copy.kzc")
    assert status == 0, err
    cloned = file_rows(tmp_path / "copy.kzc")
    assert cloned == server_rows(url)
    assert [row[0] for row in cloned["codings"]] == [coding_id]


def test_publish_refuses_a_database_that_is_not_empty_and_changes_nothing(
        capfd, sample_template, pg_cluster):
    url = fresh_database(pg_cluster)
    with psycopg.connect(url) as db:
        db.execute("CREATE TABLE notes (x int)")
        db.execute("INSERT INTO notes VALUES (7)")
    status, out, err = run(capfd, "publish", sample_template, url)
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "not empty" in err
    with psycopg.connect(url) as db:
        tables = [row[0] for row in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert tables == ["notes"]


def test_a_failed_publish_leaves_the_database_empty(capfd, tmp_path, pg_cluster):
    url = fresh_database(pg_cluster)
    status, _out, err = run(capfd, "publish", tmp_path / "missing.kzc", url)
    assert status == 1 and "no such project file" in err
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                          ).fetchone() == (0,)


def test_clone_refuses_an_existing_file(capfd, tmp_path, pg_cluster, pg_template):
    url = fresh_database(pg_cluster, pg_template)
    (tmp_path / "there.kzc").write_bytes(b"mine")
    status, _out, err = run(capfd, "clone", url, tmp_path / "there.kzc")
    assert status == 1 and "already exists" in err
    assert (tmp_path / "there.kzc").read_bytes() == b"mine"


@pytest.mark.parametrize("url", ["postgresql://", "postgresql://u:pw@host:5432/",
                                 "postgresql://u:pw@host:notaport/db"])
def test_a_malformed_url_is_a_usage_error_that_hides_the_password(capfd, url):
    status, out, err = run(capfd, "docs", url)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and ":pw@" not in err


def test_an_unreachable_server_is_one_line(capfd, pg_cluster):
    url = pg_cluster.url("nosuchdb", password="wrong-secret")
    status, out, err = run(capfd, "docs", url)
    assert status == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "wrong-secret" not in err
    closed = "postgresql://kzadmin:wrong-secret@127.0.0.1:1/db"
    status, out, err = run(capfd, "docs", closed)
    assert status == 1 and "connection" in err and "wrong-secret" not in err


def test_commands_work_on_a_server_project_as_on_a_file(capfd, tmp_path, pg_cluster,
                                                        sample_template):
    import shutil

    url = fresh_database(pg_cluster)
    assert run(capfd, "publish", sample_template, url)[0] == 0
    local = tmp_path / "local.kzc"
    shutil.copy(sample_template, local)
    for project in (local, url):
        assert run(capfd, "code", project, "1", "1", "5", "25", "--coder", "ana")[0] == 0
    outputs = []
    for project in (local, url):
        status, out, err = run(capfd, "segments", project, "--json")
        assert status == 0, err
        outputs.append(out)
    import json

    file_segments, server_segments = (json.loads(text) for text in outputs)
    for row in file_segments + server_segments:
        row.pop("created", None)
        row.pop("guid", None)
    assert file_segments == server_segments and len(server_segments) == 1


def test_watch_prints_each_change_as_json_as_it_happens(tmp_path, pg_cluster, pg_template):
    import json
    import time

    url = fresh_database(pg_cluster, pg_template)
    (tmp_path / "a.txt").write_text("Alpha beta gamma delta.", encoding="utf-8")
    assert main(["import", url, str(tmp_path / "a.txt")]) == 0
    assert main(["code-add", url, "Theme"]) == 0
    with psycopg.connect(url) as db:
        last = db.execute("SELECT max(id) FROM events").fetchone()[0]
    watcher = subprocess.Popen([sys.executable, "-m", "kzcoder", "watch", url, "--json",
                                "--after", str(last)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)  # let it start listening; --after makes the test right even if it is late
        coded = subprocess.run([sys.executable, "-m", "kzcoder", "code", url, "1",
                                "1", "0", "5", "--coder", "ben"], capture_output=True,
                               text=True, check=False)
        assert coded.returncode == 0, coded.stderr
        sent = time.monotonic()
        coding_id = int(coded.stdout.strip())
        coder = json.loads(watcher.stdout.readline())  # ben is new: his coder row comes first
        assert (coder["what"], coder["action"], coder["event"]) == ("coder", "added", last + 1)
        event = json.loads(watcher.stdout.readline())
        seen = time.monotonic() - sent
        assert event == {"event": last + 2, "at": event["at"], "by": "kzadmin",
                         "what": "coding", "action": "added", "id": coding_id, "document": 1}
        assert seen < 2.0  # the 1 s target is measured by benchmarks (server_event_ms)
    finally:
        watcher.terminate()
        watcher.wait(10)


def test_watch_on_a_file_is_refused_in_one_line(capfd, sample_template):
    status, out, err = run(capfd, "watch", sample_template)
    assert status == 1 and out == "" and "postgresql://" in err


def test_a_clone_starts_a_history_that_verifies(capfd, tmp_path, sample_template, pg_cluster):
    url = fresh_database(pg_cluster)
    assert run(capfd, "publish", sample_template, url)[0] == 0
    assert run(capfd, "code", url, "1", "1", "0", "10", "--coder", "ana")[0] == 0
    copy = tmp_path / "copy.kzc"
    assert run(capfd, "clone", url, copy)[0] == 0
    status, out, err = run(capfd, "verify", copy)
    assert (status, err) == (0, ""), out + err
    status, out, _err = run(capfd, "history", copy, "--json")
    assert any(entry["action"].startswith("cloned from") for entry in json.loads(out))
