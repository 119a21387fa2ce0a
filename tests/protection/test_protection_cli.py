"""The command line on encrypted projects: new --encrypt, the three ways to give a passphrase,
a missing or wrong one (one line, exit 2, file untouched), encrypt/decrypt/passphrase, and
every other command working unchanged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kzcoder.cli.main import main
from kzcoder.db import cipher

PASSPHRASE = "correct horse battery staple"


def run(capfd, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def forget_keys() -> None:  # as a new process starts: no key held
    with cipher._lock:
        cipher._keys.clear()


@pytest.fixture
def encrypted(tmp_path, capfd, monkeypatch) -> Path:
    path = tmp_path / "e.kzc"
    monkeypatch.setenv("KZCODER_PASSPHRASE", PASSPHRASE)
    assert run(capfd, "new", path, "--sample", "--encrypt") == (0, f"created {path}\n", "")
    monkeypatch.delenv("KZCODER_PASSPHRASE")
    forget_keys()
    return path


def listing(path: Path, capfd) -> str:
    code, out, err = run(capfd, "segments", path, "--json")
    assert (code, err) == (0, "")
    return out


@pytest.mark.parametrize("how", ["env", "file"])
def test_every_command_works_with_the_passphrase(encrypted, tmp_path, capfd, monkeypatch, how):
    extra: list[object] = []
    if how == "env":
        monkeypatch.setenv("KZCODER_PASSPHRASE", PASSPHRASE)
    else:
        secret = tmp_path / "secret.txt"
        secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
        extra = ["--passphrase-file", secret]
    code, out, err = run(capfd, "docs", encrypted, "--json", *extra)
    assert (code, err) == (0, "") and len(json.loads(out)) == 5
    code, out, err = run(capfd, "code", encrypted, "1", "1", "0", "10", "--coder", "ana",
                         *extra)
    assert (code, err) == (0, "")
    forget_keys()
    code, out, err = run(capfd, "segments", encrypted, "--coder", "ana", "--json", *extra)
    assert code == 0 and [s["start"] for s in json.loads(out)] == [0]


def test_missing_or_wrong_passphrase_is_one_line_exit_2_file_untouched(encrypted, tmp_path,
                                                                          capfd, monkeypatch):
    before = digest(encrypted)
    code, out, err = run(capfd, "docs", encrypted)
    assert (code, out) == (2, "") and err.count("\n") == 1 and "passphrase" in err
    monkeypatch.setenv("KZCODER_PASSPHRASE", "not it")
    code, out, err = run(capfd, "code", encrypted, "1", "1", "0", "10")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "wrong passphrase" in err
    monkeypatch.delenv("KZCODER_PASSPHRASE")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(capfd, "docs", encrypted, "--passphrase-file", empty)
    assert (code, out) == (2, "") and err.count("\n") == 1 and "empty" in err
    code, out, err = run(capfd, "docs", encrypted, "--passphrase-file", tmp_path / "none")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert digest(encrypted) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.kzc", "empty.txt"]


def test_a_plain_file_that_is_not_a_project_is_still_refused_as_before(tmp_path, capfd):
    junk = tmp_path / "junk.kzc"
    junk.write_bytes(b"not what its name says")
    code, _out, err = run(capfd, "docs", junk)
    assert code == 1 and err == f"kzcoder: {junk}: not a kzcoder project file\n"


def test_decrypt_then_encrypt_keeps_everything(encrypted, tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("KZCODER_PASSPHRASE", PASSPHRASE)
    run(capfd, "code", encrypted, "2", "1", "5", "40", "--coder", "ana")
    original = listing(encrypted, capfd)
    plain = tmp_path / "plain.kzc"
    code, out, _err = run(capfd, "decrypt", encrypted, "-o", plain)
    assert code == 0 and plain.read_bytes()[:16] == b"SQLite format 3\x00"
    monkeypatch.delenv("KZCODER_PASSPHRASE")
    assert listing(plain, capfd) == original
    again = tmp_path / "again.kzc"
    monkeypatch.setenv("KZCODER_NEW_PASSPHRASE", "another one")
    assert run(capfd, "encrypt", plain, "-o", again)[0] == 0
    assert again.read_bytes()[:16] != b"SQLite format 3\x00"
    forget_keys()
    assert run(capfd, "docs", again)[0] == 2
    monkeypatch.setenv("KZCODER_PASSPHRASE", "another one")
    assert listing(again, capfd) == original


def test_an_output_that_exists_is_refused_with_exit_2(encrypted, tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("KZCODER_PASSPHRASE", PASSPHRASE)
    taken = tmp_path / "taken.kzc"
    taken.write_bytes(b"mine")
    for command in ("decrypt", "encrypt"):
        code, out, err = run(capfd, command, encrypted, "-o", taken)
        assert (code, out) == (2, "") and "already exists" in err and err.count("\n") == 1
    assert taken.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.kzc", "taken.kzc"]


def test_changing_the_passphrase(encrypted, tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("KZCODER_PASSPHRASE", PASSPHRASE)
    before = listing(encrypted, capfd)
    code, _out, err = run(capfd, "passphrase", encrypted)
    assert code == 2 and "KZCODER_NEW_PASSPHRASE" in err  # no new one given: nothing done
    monkeypatch.setenv("KZCODER_NEW_PASSPHRASE", "a new one")
    assert run(capfd, "passphrase", encrypted)[0] == 0
    forget_keys()
    assert run(capfd, "docs", encrypted)[0] == 2  # the old one no longer opens it
    monkeypatch.setenv("KZCODER_PASSPHRASE", "a new one")
    assert listing(encrypted, capfd) == before


def test_originals_and_backups_of_an_encrypted_project(encrypted, tmp_path, capfd,
                                                        monkeypatch):
    monkeypatch.setenv("KZCODER_PASSPHRASE", PASSPHRASE)
    article = tmp_path / "article.txt"
    article.write_bytes("Zhanar\u2019s notes \u2014 line one.\r\nLine two.\r\n".encode())
    assert run(capfd, "import", encrypted, article)[0] == 0
    out = tmp_path / "back.txt"
    assert run(capfd, "original", encrypted, "name:article", "-o", out)[0] == 0
    assert out.read_bytes() == article.read_bytes()
    copy = tmp_path / "copy.kzc"
    assert run(capfd, "backup", encrypted, "-o", copy)[0] == 0
    assert copy.read_bytes()[:16] == encrypted.read_bytes()[:16]  # same salt, encrypted
    forget_keys()
    assert listing(copy, capfd) == listing(encrypted, capfd)
    monkeypatch.delenv("KZCODER_PASSPHRASE")
    forget_keys()
    assert run(capfd, "docs", copy)[0] == 2
