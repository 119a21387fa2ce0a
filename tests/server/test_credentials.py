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
