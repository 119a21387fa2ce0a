"""``kzcoder merge`` with a server project on either side, no clone first: a file into a
server project, a server project into a file and into another server project. What reached
each side is read back with plain sqlite3 and psycopg (documents' texts, codings by document
and code GUID with their offsets), not through kzcoder."""

from __future__ import annotations

import sqlite3

import psycopg

from kzcoder.cli.main import main
from tests.server.conftest import fresh_database

CODINGS = ('SELECT d.guid, k.guid, c.start, c."end", r.name FROM codings c '
           "JOIN documents d ON d.id = c.document_id JOIN codes k ON k.id = c.code_id "
           "JOIN coders r ON r.id = c.coder_id")
DOCUMENTS = "SELECT guid, name, text, length, sha256 FROM documents"


def content(where) -> tuple[set, set, set]:
    """(documents, codings, code GUIDs) of a project file or server database, by plain SQL."""
    where = str(where)
    if where.startswith("postgresql://"):
        with psycopg.connect(where) as db:
            return (set(db.execute(DOCUMENTS)), set(db.execute(CODINGS)),
                    {r[0] for r in db.execute("SELECT guid FROM codes")})
    db = sqlite3.connect(where)
    try:
        return (set(db.execute(DOCUMENTS)), set(db.execute(CODINGS)),
                {r[0] for r in db.execute("SELECT guid FROM codes")})
    finally:
        db.close()


def run(capfd, *args: object) -> tuple[int, str, str]:
    status = main([str(arg) for arg in args])
    out, err = capfd.readouterr()
    return status, out, err


def test_a_file_merged_into_a_server_project_arrives_whole(capfd, pg_cluster, pg_template,
                                                           sample_template):
    url = fresh_database(pg_cluster, pg_template)
    status, out, err = run(capfd, "merge", url, sample_template)
    assert status == 0, err
    documents, codings, codes = content(url)
    wanted = content(sample_template)
    assert documents == wanted[0] and codings == wanted[1] and codes == wanted[2]
    # each text is the file's, character for character (not its bytes' hex spelling)
    assert all(length == len(text) for _g, _n, text, length, _s in documents)
    before = content(url)
    status, out, err = run(capfd, "merge", url, sample_template)
    assert status == 0, err
    assert content(url) == before  # merging again changes nothing
    assert "added 0 documents, 0 codes, 0 coders, 0 codings" in out


def test_a_server_project_merged_into_a_file_and_into_another_server(
        capfd, pg_cluster, pg_template, sample_server_template, tmp_path):
    source = fresh_database(pg_cluster, sample_server_template)
    status, out, err = run(capfd, "code", source, "2", "1", "5", "25", "--coder", "dana")
    assert status == 0, err
    file = tmp_path / "mine.kzc"
    assert run(capfd, "new", file)[0] == 0
    status, out, err = run(capfd, "merge", file, source)
    assert status == 0, err
    assert out.startswith(f"merged {source.rsplit('/', 1)[1]}:")
    assert "secret" not in out + err  # the URL's password is never shown
    assert content(file) == content(source)
    assert any(row[4] == "dana" and row[2:4] == (5, 25) for row in content(file)[1])

    other = fresh_database(pg_cluster, pg_template)
    status, out, err = run(capfd, "merge", other, source)
    assert status == 0, err
    assert content(other) == content(source)


def test_merging_a_server_project_into_itself_is_refused_in_one_line(capfd, pg_cluster,
                                                                     sample_server_template):
    url = fresh_database(pg_cluster, sample_server_template)
    before = content(url)
    status, out, err = run(capfd, "merge", url, url)
    assert status != 0
    assert err.count("\n") == 1 and "is the project itself" in err and "secret" not in err
    assert content(url) == before


def test_an_unreachable_or_empty_server_is_one_line_and_the_file_is_unchanged(
        capfd, pg_cluster, tmp_path):
    file = tmp_path / "mine.kzc"
    assert run(capfd, "new", file)[0] == 0
    before = content(file)
    for other in (pg_cluster.url("no_such_database"), fresh_database(pg_cluster)):
        status, out, err = run(capfd, "merge", file, other)
        assert status == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith("kzcoder: postgresql://")
        assert "Traceback" not in err and "secret" not in err
    assert content(file) == before
