"""`new` builds the project in a hidden file and names it only once complete: a kill leaves
no project or a complete one, never half of one."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzcoder.cli.main import main
from kzcoder.core.errors import KzError
from kzcoder.db import engine as db_engine
from kzcoder.services import sample as sample_service
from kzcoder.services.project import Project


def run(capfd, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def check_complete(path: Path) -> None:
    """*path* opens (SQLite finishing what a kill interrupted, as any opening does), passes
    integrity_check and holds the whole sample."""
    with Project.open(path) as project:
        assert not project.read_only
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert connection.execute("SELECT count(*) FROM codes").fetchone()[0] == 4
    finally:
        connection.close()


def test_new_leaves_one_complete_file_and_nothing_else(tmp_path, capfd):
    path = tmp_path / "x.kzc"
    assert run(capfd, "new", path, "--sample") == (0, f"created {path}\n", "")
    assert listing(tmp_path) == ["x.kzc"]
    check_complete(path)


def test_killed_at_random_moments_new_leaves_nothing_or_a_complete_project(tmp_path, capfd):
    seed = int(os.environ.get("KZCODER_KILL_SEED", time.time_ns() % 2**32))
    chance = random.Random(seed)
    outcomes = []
    for number in range(20):
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        target = folder / "X.kzc"
        process = subprocess.Popen([sys.executable, "-m", "kzcoder", "new", str(target),
                                    "--sample"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        context = f"KZCODER_KILL_SEED={seed}, {folder.name}: {listing(folder)}"
        if target.exists():  # complete; killed, if at all, while opening it again
            check_complete(target)
            outcomes.append("complete")
        else:
            partial = any(name.startswith(".X.kzc.partial-") for name in listing(folder))
            outcomes.append("partial left" if partial else "nothing")
            assert run(capfd, "new", target, "--sample")[0] == 0, context
            check_complete(target)
            assert listing(folder) == ["X.kzc"], context  # what the kill left is gone
    print(f"KZCODER_KILL_SEED={seed}:", {kind: outcomes.count(kind) for kind in set(outcomes)})


def test_new_on_an_existing_name_is_refused_before_any_work(tmp_path, capfd):
    path = tmp_path / "x.kzc"
    path.write_text("keep me")
    stale = tmp_path / ".x.kzc.partial-999999999"
    stale.write_text("left by a killed new")
    code, _, err = run(capfd, "new", path, "--sample")
    assert code == 1 and err == f"kzcoder: {path}: already exists; choose another name or " \
                                "open it\n"
    assert listing(tmp_path) == [".x.kzc.partial-999999999", "x.kzc"]
    assert path.read_text() == "keep me"


def test_a_partial_file_of_a_process_still_running_is_left_alone(tmp_path, capfd):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = tmp_path / f".x.kzc.partial-{sleeper.pid}"
        dead = tmp_path / ".x.kzc.partial-999999999"
        for name in (alive, dead, Path(f"{dead}-wal"), Path(f"{dead}-shm")):
            name.write_text("partial")
        assert run(capfd, "new", tmp_path / "x.kzc")[0] == 0
        assert listing(tmp_path) == [alive.name, "x.kzc"]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_failure_while_filling_leaves_nothing(tmp_path, monkeypatch):
    def broken(project):  # noqa: ANN001
        sample_service.import_paths(project, [])
        raise KzError("the sample could not be read")

    monkeypatch.setattr(sample_service, "load_sample", broken)
    with pytest.raises(KzError, match="the sample could not be read"):
        sample_service.create_project(tmp_path / "x.kzc", sample=True)
    assert listing(tmp_path) == []


def test_a_full_disk_while_creating_is_one_line_and_leaves_nothing(tmp_path, capfd,
                                                                    monkeypatch):
    real = db_engine.configure

    def no_room(connection, **kwargs):  # noqa: ANN001, ANN003
        real(connection, **kwargs)
        connection.execute("PRAGMA max_page_count=20")

    monkeypatch.setattr(db_engine, "configure", no_room)
    path = tmp_path / "x.kzc"
    code, _, err = run(capfd, "new", path, "--sample")
    assert code == 1 and err == (f"kzcoder: {path}: the disk is full; the project was not "
                                 "created\n")
    assert listing(tmp_path) == []


def test_new_in_a_read_only_folder_is_one_line(tmp_path, capfd, monkeypatch):
    real = db_engine.may_write
    monkeypatch.setattr(db_engine, "may_write", lambda p: p != tmp_path and real(p))
    code, _, err = run(capfd, "new", tmp_path / "x.kzc")
    assert code == 1 and err == (f"kzcoder: {tmp_path / 'x.kzc'}: cannot be created, its "
                                 "folder is read-only\n")
    assert listing(tmp_path) == []
