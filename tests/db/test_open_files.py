"""A project open in this process keeps its locks whatever else this process does with it: a
rolling backup (which reads the project's header) must not let another program close it out
of WAL mode and delete the log this process is still writing to."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from kzcoder.db import open_files
from kzcoder.db.engine import check_header
from kzcoder.services import backup, codings
from kzcoder.services.project import Project

REPO = Path(__file__).resolve().parents[2]


def other_program(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kzcoder", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_work_after_a_backup_and_another_programs_visit_reaches_the_file(tmp_path,
                                                                          sample_template):
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    with Project.open(path) as project:
        codings.add_coding(project, 1, 1, 0, 10, coder="A")
        backup.backup_now(path)  # reads the header of the open project, as the window does
        check_header(path)
        other_program("docs", str(path))  # opens and closes: it must see it is not the last
        assert Path(f"{path}-wal").exists()
        codings.add_coding(project, 1, 2, 20, 30, coder="A")
        seen = json.loads(other_program("segments", str(path), "--json"))
        assert sorted((s["start"], s["end"]) for s in seen) == [(0, 10), (20, 30)]


def test_the_registry_follows_opening_and_closing(tmp_path, sample_template):
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    alias = tmp_path / "alias.kzc"
    alias.hardlink_to(path)
    assert open_files.read_head(path, 16) == b"SQLite format 3\x00"
    with Project.open(path):
        assert open_files.is_open_here(path) and open_files.is_open_here(alias)
        assert open_files.read_head(alias, 16) is None
        with Project.open(path):
            pass
        assert open_files.is_open_here(path)  # still open once
    assert not open_files.is_open_here(path)


def test_an_open_project_given_to_import_is_refused_unread(tmp_path, sample_template):
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    from kzcoder.services.documents import import_paths

    with Project.open(path) as project:
        report = import_paths(project, [path]).value
        assert [r.reason for r in report.refused] == [
            "p.kzc: is an open kzcoder project, not a document"]
