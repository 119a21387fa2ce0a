"""Roles enforced by PostgreSQL: each member's own SQL connection (psycopg, not kzcoder) tries
what its role may and may not do; and the app's refusals are one line naming the role."""

from __future__ import annotations

import psycopg
import pytest

from kzcoder.cli.main import main
from tests.server.conftest import fresh_database

PASSWORDS = {"olga": "olga-pw", "alice": "alice-pw", "bob": "bob-pw", "victor": "victor-pw"}
ROLES = {"olga": "owner", "alice": "coder", "bob": "coder", "victor": "viewer"}


@pytest.fixture
def team(pg_cluster, sample_template, tmp_path, capfd):
    """The sample project published by the administrator, four members, and one coding by
    each coder made through the command line as that coder."""
    url = fresh_database(pg_cluster)
    assert main(["publish", str(sample_template), url]) == 0
    database = url.rsplit("/", 1)[1]
    for name, role in ROLES.items():
        secret = tmp_path / f"{name}.pw"
        secret.write_text(PASSWORDS[name] + "\n")
        assert main(["members", url, "add", name, "--role", role,
                     "--password-file", str(secret)]) == 0
    urls = {name: pg_cluster.url(database, user=name, password=PASSWORDS[name])
            for name in ROLES}
    ids = {}
    for name in ("alice", "bob"):
        assert main(["code", urls[name], "1", "1", "0", "10"]) == 0
        ids[name] = int(capfd.readouterr().out.strip().splitlines()[-1])
    capfd.readouterr()
    return url, urls, ids


def sql(url: str, statement: str, params: tuple = ()) -> int:
    """Run *statement* as the URL's login; its row count."""
    with psycopg.connect(url) as db:
        return db.execute(statement, params).rowcount


def refused(url: str, statement: str, params: tuple = ()) -> bool:
    try:
        sql(url, statement, params)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def coding(admin: str, coding_id: int):
    with psycopg.connect(admin) as db:
        return db.execute("SELECT coder_id, code_id, memo FROM codings WHERE id = %s",
                          (coding_id,)).fetchone()


def test_codings_are_recorded_under_the_login_role(team):
    admin, _urls, ids = team
    with psycopg.connect(admin) as db:
        names = dict(db.execute("SELECT c.id, k.name FROM codings c JOIN coders k "
                                "ON k.id = c.coder_id").fetchall())
    assert names == {ids["alice"]: "alice", ids["bob"]: "bob"}


def test_a_viewer_reads_and_changes_nothing(team):
    admin, urls, ids = team
    viewer = urls["victor"]
    assert sql(viewer, "SELECT * FROM codings") == 2
    for statement in ("DELETE FROM documents", "DELETE FROM codes", "DELETE FROM codings",
                      "UPDATE codings SET memo = 'x'", "UPDATE documents SET memo = 'x'",
                      "INSERT INTO coders (guid, name) VALUES ('g', 'victor')",
                      "DELETE FROM events", "DROP TABLE codings"):
        assert refused(viewer, statement), statement
    assert coding(admin, ids["alice"]) is not None


def test_a_coder_changes_only_their_own_codings(team):
    admin, urls, ids = team
    alice = urls["alice"]
    before = coding(admin, ids["bob"])
    # another coder's coding is invisible to change and delete: nothing happens
    assert sql(alice, "UPDATE codings SET memo = 'mine now' WHERE id = %s", (ids["bob"],)) == 0
    assert sql(alice, "DELETE FROM codings WHERE id = %s", (ids["bob"],)) == 0
    assert coding(admin, ids["bob"]) == before
    # nor can a coding be moved to, or recorded under, another coder's name
    assert refused(alice, "UPDATE codings SET coder_id = (SELECT id FROM coders WHERE "
                          "name = 'bob') WHERE id = %s", (ids["alice"],))
    assert refused(alice, "INSERT INTO codings (guid, document_id, code_id, coder_id, start, "
                          "\"end\", memo, created) SELECT 'g1', 1, 1, id, 0, 3, '', '' FROM "
                          "coders WHERE name = 'bob'")
    assert refused(alice, "INSERT INTO coders (guid, name) VALUES ('g2', 'mallory')")
    for statement in ("DELETE FROM documents", "DELETE FROM codes", "DELETE FROM coders",
                      "UPDATE codes SET name = 'x'", "DELETE FROM document_attributes"):
        assert refused(alice, statement), statement
    # their own: change and remove
    assert sql(alice, "UPDATE codings SET memo = 'why' WHERE id = %s", (ids["alice"],)) == 1
    assert coding(admin, ids["alice"])[2] == "why"
    assert sql(alice, "UPDATE codes SET memo = 'a note' WHERE id = 1") == 1  # memos: allowed
    assert sql(alice, "DELETE FROM codings WHERE id = %s", (ids["alice"],)) == 1
    assert coding(admin, ids["alice"]) is None


def test_an_owner_may_do_everything(team):
    admin, urls, ids = team
    olga = urls["olga"]
    assert sql(olga, "UPDATE codings SET memo = 'checked' WHERE id = %s", (ids["bob"],)) == 1
    assert sql(olga, "DELETE FROM codings WHERE id = %s", (ids["alice"],)) == 1
    assert sql(olga, "UPDATE codes SET name = 'Renamed' WHERE id = 1") == 1
    assert sql(olga, "DELETE FROM documents WHERE id = 2") == 1


def test_the_app_refuses_in_one_line_naming_the_role(team, capfd):
    _admin, urls, ids = team
    status = main(["code", urls["alice"], "1", "1", "0", "5", "--coder", "bob"])
    _out, err = capfd.readouterr()
    assert status == 1 and len(err.strip().splitlines()) == 1, err
    assert "alice (coder role) may not" in err and "alice-pw" not in err
    status = main(["code", urls["victor"], "1", "1", "0", "5"])
    _out, err = capfd.readouterr()
    assert status == 1 and "victor (viewer role) may not" in err
    status = main(["uncode", urls["alice"], str(ids["bob"])])
    _out, err = capfd.readouterr()
    assert status == 1 and len(err.strip().splitlines()) == 1  # not silently "removed"
    assert coding(team[0], ids["bob"]) is not None


def test_members_list_and_remove(team, capfd):
    admin, urls, _ids = team
    assert main(["members", admin, "list", "--json"]) == 0
    import json

    listed = json.loads(capfd.readouterr().out)
    assert listed == [{"name": name, "role": ROLES[name]} for name in sorted(ROLES)]
    assert main(["members", admin, "remove", "victor"]) == 0
    capfd.readouterr()
    with pytest.raises(psycopg.OperationalError):  # no CONNECT left: not even to connect
        sql(urls["victor"], "SELECT 1 FROM codings")
    assert main(["members", admin, "remove", "victor"]) == 1
    assert "not a member" in capfd.readouterr().err


def test_a_coder_cannot_add_members(team, capfd, tmp_path):
    _admin, urls, _ids = team
    status = main(["members", urls["alice"], "add", "eve", "--role", "owner"])
    err = capfd.readouterr().err
    assert status == 1 and len(err.strip().splitlines()) == 1, err
    assert "alice (coder role)" in err
