"""Issue 20: when the disk fills just after a save, the project's latest changes stay in its
``-wal`` (the checkpoint that would copy them into the ``.kzc`` cannot write) and the ``.kzc``
alone is missing them. Closing now says so; the ``-wal`` is kept and the project, opened
again with room, has everything.

The full disk is real: a small tmpfs (as root), or a file-size limit (``ulimit -f``, anyone)
set after the save, in a child process."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

CHILD = textwrap.dedent("""
    import os, resource, signal, sys
    from pathlib import Path
    from kzcoder.services.documents import import_paths
    from kzcoder.services.project import Project

    path, source, how = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    project = Project.create(path)
    assert import_paths(project, [source]).value.imported  # committed: in the -wal
    if how == "ulimit":  # the .kzc may not grow any more: the checkpoint cannot write
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        size = path.stat().st_size
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    else:  # fill the disk
        fd = os.open(path.parent / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, bytes(65536))
        except OSError:
            pass
        finally:
            os.close(fd)
    print(project.close())
""")


def _run(path: Path, how: str) -> str:
    source = path.parent.parent / "article.txt"
    source.write_text("Words of an article that fill many pages. " * 20_000, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", CHILD, str(path), str(source), how],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _documents(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        connection.close()


def _check(path: Path, notice: str) -> None:
    wal = path.with_name(path.name + "-wal")
    assert notice == (f"{path}: its latest changes are still in {wal.name} beside it (it could "
                      f"not be written into the project file); keep {wal.name} with it: copy "
                      "or move both together, and open the project again when there is space")
    assert wal.stat().st_size > 0


def test_a_file_size_limit_at_closing_is_told_and_nothing_is_lost(tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "p.kzc"
    _check(path, _run(path, "ulimit"))
    assert _documents(path) == 1  # read with its -wal: nothing lost


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str):
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(folder)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"POSIX permissions: mounting a tmpfs needs root ({mounted.stderr[-80:]})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_tmpfs_at_closing_is_told_and_nothing_is_lost(tmp_path):
    with _tmpfs(tmp_path / "small", "3m") as folder:
        path = folder / "p.kzc"
        _check(path, _run(path, "fill"))
        (folder / "filler").unlink()  # room again
        assert _documents(path) == 1
        from kzcoder.services.project import Project

        with Project.open(path) as project:  # opened with room: the log goes into the file
            assert project.close() == ""
        assert not path.with_name("p.kzc-wal").exists() and _documents(path) == 1


def test_a_change_refused_by_a_full_disk_says_where_the_saved_changes_are(tmp_path):
    from kzcoder.core.errors import KzError
    from kzcoder.services.codebook.editing import add_code
    from kzcoder.services.documents import import_paths
    from kzcoder.services.project import Project

    source = tmp_path / "article.txt"
    source.write_text("Words of an article that fill many pages. " * 20_000, encoding="utf-8")
    with _tmpfs(tmp_path / "small", "3m") as folder:
        path = folder / "p.kzc"
        project = Project.create(path)
        try:
            assert import_paths(project, [source]).value.imported
            fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, bytes(65536))
            os.close(fd)
            with pytest.raises(KzError) as refused:
                for number in range(10_000):  # until the log must grow
                    add_code(project, f"code {number} " + "x" * 2000, "#123456")
            assert str(refused.value).startswith(
                f"{path}: the disk is full; your change was not saved, the project is as it "
                "was; its latest changes are still in p.kzc-wal beside it")
        finally:
            project.close()
        (folder / "filler").unlink()
        assert _documents(path) == 1


def test_a_project_another_program_reads_closes_without_a_false_alarm(tmp_path):
    from kzcoder.services.codebook.editing import add_code
    from kzcoder.services.project import Project

    path = tmp_path / "p.kzc"
    project = Project.create(path)
    reader = sqlite3.connect(path, isolation_level=None)  # another program, mid-read
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM codes").fetchone()
        for number in range(50):  # committed after the reader's snapshot: not checkpointable
            add_code(project, f"code {number}", "#123456")
        assert project.close() == ""  # the reader's program finishes the checkpoint later
    finally:
        reader.execute("COMMIT")
        reader.close()
