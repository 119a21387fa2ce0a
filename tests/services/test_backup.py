"""Consistent copies, rolling backups, restores and the copy before an upgrade
(services.backup over db.snapshot), with real processes writing while copies are taken."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kzcoder.cli.backup import BACKUP_COMMANDS, add_backup_commands, run_backup_command
from kzcoder.core.errors import KzError
from kzcoder.db import snapshot as snap
from kzcoder.services import backup
from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project

REPO = Path(__file__).resolve().parents[2]


def coding_ids(path: Path) -> set[int]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM codings")}
    finally:
        connection.close()


def is_one_file(path: Path) -> bool:
    """In rollback-journal mode (header bytes 18-19 are 1), nothing needed beside it."""
    header = path.read_bytes()[:20]
    return header[18:20] == b"\x01\x01" and not snap.sidecar(path, "-wal").exists()


def add_codings(project: Project, count: int) -> list[int]:
    return [add_coding(project, 1, 1, i, i + 5, coder="tester").value.id for i in range(count)]


# --- copies ---------------------------------------------------------------------------------
def test_a_copy_of_an_open_project_holds_what_sits_in_its_log(sample_project, tmp_path):
    ids = add_codings(sample_project, 5)
    wal = snap.sidecar(sample_project.path, "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the codings are (also) in the log
    dest = backup.save_copy(sample_project, tmp_path / "copy.kzc")
    assert dest == tmp_path / "copy.kzc"
    assert set(ids) <= coding_ids(dest)
    assert coding_ids(dest) == coding_ids(sample_project.path)
    assert is_one_file(dest) and snap.integrity_problems(dest) == []
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.kzc"]
    with Project.open(dest) as copy:  # it opens as a project
        assert not copy.read_only


def test_a_copy_never_replaces_a_file_unless_asked(sample_project, tmp_path):
    dest = tmp_path / "taken.kzc"
    dest.write_bytes(b"mine")
    with pytest.raises(KzError, match="already exists; choose another name"):
        backup.save_copy(sample_project, dest)
    assert dest.read_bytes() == b"mine"
    backup.save_copy(sample_project, dest, overwrite=True)
    assert coding_ids(dest) == coding_ids(sample_project.path)
    with pytest.raises(KzError, match="is the file being copied"):
        backup.save_copy(sample_project, sample_project.path, overwrite=True)


def test_a_copy_that_fails_its_integrity_check_is_refused_and_leaves_nothing(
        sample_project, tmp_path, monkeypatch):
    monkeypatch.setattr(snap, "integrity_problems", lambda path: ["row 3 missing from index"])
    before = sorted(tmp_path.iterdir())
    with pytest.raises(KzError, match=r"damaged, its copy failed the integrity check \(row 3 "
                                      r"missing from index\); nothing was written"):
        backup.save_copy(sample_project, tmp_path / "copy.kzc")
    assert sorted(tmp_path.iterdir()) == before


def test_a_path_that_is_not_a_project_is_refused_in_one_line(tmp_path):
    other = tmp_path / "notes.kzc"
    other.write_text("just text", encoding="utf-8")
    with pytest.raises(KzError, match="not a kzcoder project file"):
        backup.save_copy(other, tmp_path / "copy.kzc")
    with pytest.raises(KzError, match="no such project file"):
        backup.save_copy(tmp_path / "missing.kzc", tmp_path / "copy.kzc")
    assert not (tmp_path / "copy.kzc").exists()


# --- rolling backups ------------------------------------------------------------------------
def test_rolling_backups_are_taken_on_change_and_the_newest_kept(sample_project):
    start = datetime(2026, 1, 31, 14, 5, 9)
    first = backup.backup_now(sample_project, now=start, keep=3)
    assert first == sample_project.path.parent / "backups" / "sample-20260131-140509.kzc"
    assert backup.backup_now(sample_project, now=start + timedelta(minutes=1)) is None
    taken = [first]
    for minute in range(2, 6):
        add_codings(sample_project, 1)
        taken.append(backup.backup_now(sample_project, now=start + timedelta(minutes=minute),
                                       keep=3))
    listed = backup.list_backups(sample_project.path)
    assert [info.path for info in listed] == taken[::-1][:3]
    assert all(is_one_file(info.path) for info in listed)
    assert listed[0].taken == start + timedelta(minutes=5)
    assert listed[0].size == listed[0].path.stat().st_size
    assert coding_ids(listed[0].path) == coding_ids(sample_project.path)
    # two in one second are numbered, never overwritten
    add_codings(sample_project, 1)
    again = backup.backup_now(sample_project, now=start + timedelta(minutes=5), keep=3)
    assert again.name == "sample-20260131-140509.kzc".replace("0509", "1009").replace(
        ".kzc", "-2.kzc")
    assert backup.list_backups(sample_project.path)[0].path == again


def test_a_stale_temporary_copy_is_cleaned_up(sample_project):
    folder = sample_project.path.parent / "backups"
    folder.mkdir()
    stale = folder / ".sample-20260101-000000.kzc.abc.tmp"
    fresh = folder / ".sample-20260101-000001.kzc.def.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"another process's, under way")
    old = time.time() - 2 * backup.STALE_TEMPORARY_S
    os.utime(stale, (old, old))
    backup.backup_now(sample_project)
    assert not stale.exists() and fresh.exists()


def test_checkpoint_empties_the_log_of_an_open_project(sample_project):
    add_codings(sample_project, 3)
    wal = snap.sidecar(sample_project.path, "-wal")
    assert wal.stat().st_size > 0
    assert backup.checkpoint(sample_project, mode="PASSIVE")
    assert backup.checkpoint(sample_project)
    assert wal.stat().st_size == 0
    assert coding_ids(sample_project.path) == coding_ids(sample_project.path)


# --- restore --------------------------------------------------------------------------------
def test_restore_keeps_the_current_file_first_then_replaces_it(tmp_path, sample_template):
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    with Project.open(path) as project:
        early = backup.backup_now(project)
        later_ids = add_codings(project, 4)
        with pytest.raises(KzError, match="is open .*; close it before restoring"):
            backup.restore(path, early)
    kept = backup.restore(path, early)
    assert coding_ids(path) == coding_ids(early)
    assert set(later_ids) <= coding_ids(kept)  # nothing of the current file was lost
    assert kept.parent == path.parent / "backups" and is_one_file(path)
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(("p.kzc", ".p"))] == [
        "p.kzc"]
    # and back again: restoring the kept copy undoes the restore
    backup.restore(path, kept)
    assert set(later_ids) <= coding_ids(path)


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path, sample_template):
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    damaged = tmp_path / "damaged.kzc"
    data = bytearray(sample_template.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):  # garble every page but the first
        data[offset + 8:offset + 64] = b"\xff" * 56
    damaged.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(KzError) as caught:
        backup.restore(path, damaged)
    assert "\n" not in str(caught.value) and "damaged" in str(caught.value)
    with pytest.raises(KzError, match="damaged"):
        backup.check_backup(damaged)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.kzc", "p.kzc"]


# --- the copy before an upgrade -------------------------------------------------------------
def test_the_copy_before_an_upgrade_is_numbered_never_overwritten(tmp_path, sample_template):
    path = tmp_path / "old.kzc"
    shutil.copy(sample_template, path)
    first = backup.backup_before_upgrade(path, "0001_baseline")
    second = backup.backup_before_upgrade(path, "0001_baseline")
    assert first.name == "old.kzc.before-upgrade-0001_baseline.bak"
    assert second.name == "old.kzc.before-upgrade-0001_baseline-2.bak"
    assert is_one_file(first) and coding_ids(first) == coding_ids(path)


def test_the_copy_before_an_upgrade_raises_if_it_cannot_be_written(tmp_path, sample_template,
                                                                   monkeypatch):
    path = tmp_path / "old.kzc"
    shutil.copy(sample_template, path)

    def no_room(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snap, "place", no_room)
    with pytest.raises(KzError, match=r"not upgraded, the copy made first could not be "
                                      r"written \(No space left on device\)"):
        backup.backup_before_upgrade(path, "0001_baseline")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.kzc"]


# --- the command line -----------------------------------------------------------------------
def parse(*argv: str) -> argparse.Namespace:
    """The backup commands as cli/main.py adds them (its ``command`` helper adds PROJECT)."""
    parser = argparse.ArgumentParser(prog="kzcoder")
    sub = parser.add_subparsers(dest="command")

    def command(name: str, text: str, *_notes: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("project", type=Path)
        return cmd

    add_backup_commands(sub, command)
    return parser.parse_args(list(argv))


def test_the_backup_commands(tmp_path, sample_template, capsys):
    assert BACKUP_COMMANDS == ("backup", "backups", "restore")
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    assert run_backup_command(parse("backup", str(path), "-o", str(tmp_path / "c.kzc"))) == 0
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'c.kzc'} (")
    with pytest.raises(KzError, match="already exists"):
        run_backup_command(parse("backup", str(path), "-o", str(tmp_path / "c.kzc")))
    assert run_backup_command(parse("backup", str(path), "-o", str(tmp_path / "c.kzc"),
                                    "--force")) == 0
    assert run_backup_command(parse("backup", str(path))) == 0
    rolling = backup.list_backups(path)[0].path
    shown_size = backup.human_size(rolling.stat().st_size)
    assert capsys.readouterr().out.endswith(f"wrote {rolling} ({shown_size}, integrity "
                                            "checked)\n")
    assert run_backup_command(parse("backup", str(path))) == 0
    assert capsys.readouterr().out == f"no change since the last backup, {rolling}\n"
    assert run_backup_command(parse("backups", str(path))) == 0
    day, size, listed = capsys.readouterr().out.rstrip("\n").split("\t")
    assert listed == str(rolling) and int(size) == rolling.stat().st_size
    assert datetime.strptime(day, "%Y-%m-%d %H:%M:%S")
    assert run_backup_command(parse("restore", str(path), str(tmp_path / "c.kzc"))) == 0
    assert capsys.readouterr().out.startswith(f"restored {path} from {tmp_path / 'c.kzc'}; "
                                              "the project as it was is kept as ")


def test_the_backup_commands_through_main(tmp_path, sample_template, capfd):
    from kzcoder.cli.main import main

    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    assert main(["backup", str(path), "-o", str(tmp_path / "c.kzc")]) == 0
    assert main(["backup", str(path), "-o", str(tmp_path / "c.kzc")]) == 1
    assert capfd.readouterr().err == (f"kzcoder: {tmp_path / 'c.kzc'}: already exists; choose "
                                      "another name\n")
    assert main(["restore", str(path), str(tmp_path / "nothing.kzc")]) == 1
    assert capfd.readouterr().err == f"kzcoder: {tmp_path / 'nothing.kzc'}: no such project file\n"


# --- with real processes --------------------------------------------------------------------
CODER = textwrap.dedent("""
    import sys
    from kzcoder.services.codings import add_coding
    from kzcoder.services.project import Project
    with Project.open(sys.argv[1]) as project:
        print("ready", flush=True)
        i = 0
        while True:
            coding = add_coding(project, 1, 1 + i % 4, i % 500, i % 500 + 7, coder="loop")
            print(coding.value.id, flush=True)  # acknowledged: committed
            i += 1
""")


def run_cli_handler(*argv: str) -> subprocess.CompletedProcess[str]:
    """A backup command in a process of its own (through the command's handler, as cli/main.py
    runs it)."""
    code = textwrap.dedent(f"""
        import sys
        from kzcoder.core.errors import KzError
        from tests.services.test_backup import parse
        from kzcoder.cli.backup import run_backup_command
        try:
            sys.exit(run_backup_command(parse(*{list(argv)!r})))
        except KzError as exc:
            print(f"kzcoder: {{exc}}", file=sys.stderr)
            sys.exit(1)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=60)


def test_a_backup_while_another_process_codes_holds_everything_it_acknowledged(
        tmp_path, sample_template):
    """A child codes in a loop, printing each coding's id once it is committed. A backup taken
    meanwhile, by another process, holds every coding acknowledged before it began, passes
    integrity_check, and a restore brings exactly it back."""
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    child = subprocess.Popen([sys.executable, "-c", CODER, str(path)], stdout=subprocess.PIPE,
                             text=True, cwd=REPO)
    copies = []
    try:
        assert child.stdout.readline().strip() == "ready"
        acknowledged: set[int] = set()
        deadline = time.monotonic() + 60
        for round_ in range(3):
            while len(acknowledged) < 30 * (round_ + 1) and time.monotonic() < deadline:
                acknowledged.add(int(child.stdout.readline()))
            before = set(acknowledged)  # acknowledged before this backup began
            dest = tmp_path / f"copy{round_}.kzc"
            done = run_cli_handler("backup", str(path), "-o", str(dest))
            assert done.returncode == 0, done.stderr
            assert before <= coding_ids(dest), "an acknowledged coding is missing"
            assert snap.integrity_problems(dest) == [] and is_one_file(dest)
            copies.append(dest)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    in_copy = coding_ids(copies[-1])
    done = run_cli_handler("restore", str(path), str(copies[-1]))
    assert done.returncode == 0, done.stderr
    assert coding_ids(path) == in_copy
    kept = backup.list_backups(path)[0].path  # the project as the killed child left it
    assert acknowledged <= coding_ids(kept)
    assert snap.integrity_problems(path) == []


# --- other programs' changes ----------------------------------------------------------------
def test_the_probe_tells_other_programs_commits_from_this_ones(tmp_path, sample_template):
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    with Project.open(path) as project:
        probe = backup.ChangeProbe(project)
        assert probe.active and not probe.changed()
        add_codings(project, 3)  # this program's own
        assert not probe.changed()
        with Project.open(path) as other:
            add_codings(other, 1)
        assert probe.changed()
        assert not probe.changed()  # told once
    # the project's close closed the probe too: the file is one file again
    assert not probe.active and not probe.changed()
    assert is_one_file(path)


def test_a_read_only_project_is_not_probed(tmp_path, sample_template, monkeypatch):
    from kzcoder.db import engine as db_engine

    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    monkeypatch.setattr(db_engine, "read_only_reason", lambda p: "you may not write to it")
    with Project.open(path) as project:
        assert project.read_only
        probe = backup.ChangeProbe(project)
        assert not probe.active and not probe.changed()


def test_a_first_backup_that_fails_leaves_no_empty_folder(sample_project, monkeypatch):
    def broken(source, temporary):  # noqa: ANN001
        raise KzError(f"{source}: cannot be copied (simulated)")

    monkeypatch.setattr(snap, "_copy", broken)
    with pytest.raises(KzError, match="simulated"):
        backup.backup_now(sample_project)
    assert not (sample_project.path.parent / "backups").exists()
