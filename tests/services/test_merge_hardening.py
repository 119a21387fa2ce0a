"""Issue 20: a forged document is refused in one line (merging one twice ended in
"unexpected error: IntegrityError"), and a killed merge's temporary copy is removed by the
next merge."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kzcoder.core.errors import KzError
from kzcoder.services import documents
from kzcoder.services.merge import read as merge_read
from kzcoder.services.merge.merging import merge
from kzcoder.services.project import Project


def _project(path: Path, text: str) -> None:
    source = path.with_suffix(".txt")
    source.write_text(text, encoding="utf-8")
    with Project.create(path) as project:
        assert documents.import_paths(project, [source]).value.imported


def _document_count(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        connection.close()


def test_a_forged_document_is_refused_and_nothing_is_merged(tmp_path):
    ours, theirs = tmp_path / "ours.kzc", tmp_path / "theirs.kzc"
    _project(ours, "Our own article, as it was imported.\n")
    _project(theirs, "Their article, whose identity is about to be forged.\n")
    connection = sqlite3.connect(theirs, isolation_level=None)
    connection.execute("UPDATE documents SET sha256 = ?", ("ab" * 32,))
    connection.close()
    with Project.open(ours) as project:
        for _attempt in range(2):
            with pytest.raises(KzError) as refused:
                merge(project, theirs)
            assert str(refused.value) == (
                "theirs.kzc: document 'theirs' is damaged or forged (its stored SHA-256 is not "
                "that of its text); nothing was merged")
    assert _document_count(ours) == 1


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_killed_merges_copy_is_removed_by_the_next_merge(tmp_path, monkeypatch):
    monkeypatch.setattr(merge_read.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    left = tmp_path / "tmp" / f"kzcoder-merge-{dead.stdout.strip()}-abc123"
    left.mkdir()
    (left / "other.kzc").write_bytes(b"a full copy of someone's project")
    alive = tmp_path / "tmp" / f"kzcoder-merge-{os.getpid()}-def456"  # a merge under way here
    alive.mkdir()
    ours, theirs = tmp_path / "ours.kzc", tmp_path / "theirs.kzc"
    _project(ours, "Our own article, as it was imported.\n")
    _project(theirs, "Their article, merged in.\n")
    with Project.open(ours) as project:
        merge(project, theirs)
    assert not left.exists() and alive.exists()
    assert [p.name for p in (tmp_path / "tmp").iterdir()] == [alive.name]  # its own is gone
