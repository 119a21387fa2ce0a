"""Credentials: a password remembered in the keyring (an in-memory keyring backend stands in
for the OS's), never in a message, a file kzcoder writes, or the keyring entry's name."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend

from kzcoder.cli.main import main
from tests.server.conftest import fresh_database


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)


def test_login_remembers_a_working_password_and_commands_use_it(
        memory_keyring, pg_cluster, pg_template, tmp_path, capfd, monkeypatch):
    from kzcoder.cli.server import project_location

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with_password = fresh_database(pg_cluster, pg_template)
    bare = with_password.replace(":kzadmin-secret@", "@")
    assert main(["docs", bare]) == 1  # no password anywhere: refused in one line
    err = capfd.readouterr().err
    assert len(err.strip().splitlines()) == 1

    (tmp_path / "wrong").write_text("not-it\n")
    assert main(["login", bare, "--password-file", str(tmp_path / "wrong")]) == 1
    assert memory_keyring.entries == {} and "not-it" not in capfd.readouterr().err

    (tmp_path / "pw").write_text("kzadmin-secret\n")
    assert main(["login", bare, "--password-file", str(tmp_path / "pw")]) == 0
    out, err = capfd.readouterr()
    assert "kzadmin-secret" not in out + err
    assert memory_keyring.entries == {("kzcoder", str(project_location(bare))): "kzadmin-secret"}
    assert main(["docs", bare]) == 0
    capfd.readouterr()

    assert main(["login", bare, "--forget"]) == 0
    assert memory_keyring.entries == {}
    assert main(["docs", bare]) == 1
    capfd.readouterr()


def test_no_password_reaches_what_kzcoder_writes(pg_cluster, pg_template, tmp_path, capfd,
                                                 monkeypatch):
    import os
    from pathlib import Path

    url = fresh_database(pg_cluster, pg_template)
    for args in (["docs", url], ["code", url, "9", "9", "0", "1"], ["members", url, "list"],
                 ["docs", url.replace("kzadmin-secret", "kzadmin-wrong")]):
        main(args)
    out, err = capfd.readouterr()
    assert "kzadmin-secret" not in out + err and "kzadmin-wrong" not in out + err
    assert "no document" in err or "no such" in err  # the refusals were printed
    home = Path(os.environ["KZCODER_HOME"])
    for path in home.rglob("*"):
        if path.is_file():
            assert b"kzadmin-secret" not in path.read_bytes(), path


class _Terminal:
    """Standard input as a terminal (the prompt is asked only there)."""

    def isatty(self) -> bool:
        return True


def test_the_command_line_asks_for_a_password_on_a_terminal_once(
        memory_keyring, pg_cluster, pg_template, tmp_path, capfd, monkeypatch):
    import getpass
    import os
    import sys
    from pathlib import Path

    monkeypatch.setenv("PGPASSWORD", "placeholder")
    monkeypatch.delenv("PGPASSWORD")  # absent now, and again after the test
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    bare = fresh_database(pg_cluster, pg_template).replace(":kzadmin-secret@", "@")
    typed: list[str] = []
    answers = iter(["kzadmin-secret", "kzadmin-wrong"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: typed.append(prompt) or next(answers))

    assert main(["docs", bare]) == 1  # not a terminal: no prompt, one line
    assert typed == [] and len(capfd.readouterr().err.strip().splitlines()) == 1

    monkeypatch.setattr(sys, "stdin", _Terminal())
    assert main(["code-add", bare, "Typed password"]) == 0
    assert len(typed) == 1 and "secret" not in typed[0]
    assert typed[0].startswith("password for postgresql://kzadmin@")
    out, err = capfd.readouterr()
    assert "kzadmin-secret" not in out + err
    os.environ.pop("PGPASSWORD")  # a new command, a new process: asked again
    assert main(["docs", bare]) == 1  # the wrong one: asked once, refused in one line
    out, err = capfd.readouterr()
    assert len(typed) == 2 and len(err.strip().splitlines()) == 1
    assert "kzadmin-wrong" not in out + err
    os.environ.pop("PGPASSWORD")
    assert memory_keyring.entries == {}  # typed passwords are not remembered
    import psycopg

    with psycopg.connect(bare.replace("@", ":kzadmin-secret@", 1)) as db:
        assert db.execute("SELECT count(*) FROM codes WHERE name = 'Typed password'"
                          ).fetchone() == (1,)
    home = Path(os.environ["KZCODER_HOME"])
    for path in home.rglob("*"):
        if path.is_file():
            assert b"kzadmin-secret" not in path.read_bytes(), path
