"""Issue 20: one safe way to write a file, private projects and backups, and writers that wait
for each other. Each test first reproduces what went wrong on main."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kzcoder.cli.main import main


def run(capfd, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


@pytest.fixture
def sample(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    return path


def _codes(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM codes").fetchone()[0]
    finally:
        connection.close()


# --- 1. codebook-export never overwrites without --force, never a project -------------------

def test_codebook_export_refuses_an_existing_file_and_replaces_it_only_with_force(
        sample, tmp_path, capfd):
    out = tmp_path / "codebook.md"
    out.write_text("my notes\n")
    code, _, err = run(capfd, "codebook-export", sample, "-o", out)
    assert (code, err) == (1, f"kzcoder: {out}: already exists; choose another name\n")
    assert out.read_text() == "my notes\n"
    code, stdout, err = run(capfd, "codebook-export", sample, "-o", out, "--force")
    assert code == 0, err
    assert out.read_text().startswith("# Codebook of p")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("force", [False, True])
def test_codebook_export_never_replaces_the_project_itself(sample, capfd, force):
    codes = _codes(sample)
    args = ("--force",) if force else ()
    code, _, err = run(capfd, "codebook-export", sample, "-o", sample, "--format", "md", *args)
    assert code == 1 and len(err.splitlines()) == 1, err
    assert str(sample) in err and "Traceback" not in err
    assert sample.read_bytes()[:16] == b"SQLite format 3\x00" and _codes(sample) == codes


def test_no_export_writes_over_a_project_whose_log_is_beside_it(sample, tmp_path, capfd):
    other = tmp_path / "other.kzc"
    assert run(capfd, "new", other)[0] == 0
    holder = sqlite3.connect(other, isolation_level=None)  # another program has it open
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x)")
    try:
        before = other.read_bytes()
        for command in (("codebook-export", sample, "-o", other, "--format", "csv", "--force"),
                        ("export", sample, "-o", other, "--format", "csv", "--force")):
            code, _, err = run(capfd, *command)
            assert code == 1 and "in use" in err and len(err.splitlines()) == 1, err
            assert other.read_bytes() == before
        code, _, err = run(capfd, "codebook-export", sample, "-o", f"{other}-wal", "--format",
                           "csv", "--force")
        assert code == 1 and "journal of the database" in err, err
    finally:
        holder.close()


# --- private by default ----------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_projects_backups_and_the_backup_folder_are_owner_only(sample, tmp_path, capfd):
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.kzc"
        assert run(capfd, "new", fresh)[0] == 0
        assert _mode(fresh) == 0o600
        assert _mode(sample) == 0o600
        assert run(capfd, "code", sample, "1", "Force", "0", "5", "--coder", "a")[0] == 0
        assert _mode(sample) == 0o600
        assert run(capfd, "backup", sample)[0] == 0
        folder = tmp_path / "backups"
        assert _mode(folder) == 0o700
        assert [_mode(p) for p in folder.iterdir()] == [0o600]
        copy = tmp_path / "copy.kzc"
        assert run(capfd, "backup", sample, "-o", copy)[0] == 0
        assert _mode(copy) == 0o600
        # exports follow the umask, like any file the user makes
        csv = tmp_path / "segments.csv"
        assert run(capfd, "export", sample, "--format", "csv", "-o", csv)[0] == 0
        assert _mode(csv) == 0o644
        book = tmp_path / "book.qdc"
        assert run(capfd, "codebook-export", sample, "-o", book)[0] == 0
        assert _mode(book) == 0o644
    finally:
        os.umask(old)


# --- 5. every write waits for the others ----------------------------------------------------

def test_ten_parallel_writers_all_succeed(sample, tmp_path):
    """Ten processes each read the codebook, then add a code (a read before the write: the
    deferred transaction that used to fail at once when upgraded)."""
    env = {**os.environ, "KZCODER_HOME": str(tmp_path / "home")}
    env.pop("KZCODER_BUSY_TIMEOUT_MS", None)
    before = _codes(sample)
    runs = [subprocess.Popen([sys.executable, "-m", "kzcoder", "code-add", str(sample),
                              f"parallel {n}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env) for n in range(10)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 10, results
    assert _codes(sample) == before + 10


def test_a_change_waits_for_a_writer_that_holds_the_project(sample, monkeypatch, capfd):
    """A writer holding BEGIN IMMEDIATE for less than the busy timeout: the change waits for it
    and succeeds (on main, code-add failed at once: it read before it wrote)."""
    monkeypatch.setenv("KZCODER_BUSY_TIMEOUT_MS", "5000")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(sample)!r}, isolation_level=None)\n"
         "c.execute('PRAGMA journal_mode=WAL')\n"
         "c.execute('BEGIN IMMEDIATE')\n"
         "c.execute(\"INSERT INTO coders (guid, name) VALUES ('h', 'holder')\")\n"
         "print('held', flush=True)\n"
         "time.sleep(1.5)\n"
         "c.execute('COMMIT')\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        code, out, err = run(capfd, "code-add", sample, "waited")
        assert code == 0, err
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()
    assert _codes(sample) >= 1


# --- 8. a name XML cannot carry is changed on export, and said so -----------------------------

def test_an_esc_in_a_code_name_is_told_when_the_qdpx_changes_it(sample, tmp_path, capfd):
    assert run(capfd, "code-add", sample, "Esc\x1bape")[0] == 0
    out = tmp_path / "p.qdpx"
    code, stdout, err = run(capfd, "export", sample, "--format", "qdpx", "-o", out)
    assert code == 0, err
    assert stdout.endswith("; changed on export: code 'Esc\\x1bape' (control characters XML "
                           "cannot carry were written as \ufffd))\n"), stdout
    assert "\x1b" not in stdout
    assert run(capfd, "code-delete", sample, "Esc\x1bape")[0] == 0
    code, stdout, _ = run(capfd, "export", sample, "--format", "qdpx", "-o", tmp_path / "b.qdpx")
    assert code == 0 and "changed" not in stdout  # nothing to tell: nothing told


def test_a_name_that_only_looks_like_a_journal_is_written(sample, tmp_path, capfd):
    (tmp_path / "notes").write_text("not a database\n")
    out = tmp_path / "notes-journal"
    code, _, err = run(capfd, "codebook-export", sample, "-o", out, "--format", "csv")
    assert code == 0, err
    assert out.read_text("utf-8-sig").startswith("guid,name,path,")
