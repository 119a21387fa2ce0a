"""Imports keep what they finished: one commit per file, a stopped, failing or killed import
keeps every file it finished and none half-written, an unreadable file or folder is one
refusal, and a large file costs at most about twice its size in memory."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from kzcoder.cli.main import main
from kzcoder.db import engine as db_engine
from kzcoder.db.queries import documents as document_q
from kzcoder.services.documents import document_text, import_paths, list_documents
from kzcoder.services.project import Project

REPO = Path(__file__).resolve().parents[2]


def write_files(folder: Path, count: int, size: int = 200) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"f{i:03}.txt"
        path.write_text(f"file {i} " + "Қазақ text 😀 " * (size // 14), encoding="utf-8")
        paths.append(path)
    (folder / "manifest.csv").write_text(
        "file,number\n" + "".join(f"{p.name},{i}\n" for i, p in enumerate(paths)),
        encoding="utf-8")
    return paths


def stored_rows(path: Path) -> dict[str, tuple[str, int, str | None]]:
    """sha256 -> (name, length, its 'number' attribute), read with plain sqlite3."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = connection.execute(
            "SELECT d.sha256, d.name, d.length, length(d.text), typeof(d.text), a.value "
            "FROM documents d LEFT JOIN document_attributes a "
            "ON a.document_id = d.id AND a.name = 'number'").fetchall()
    finally:
        connection.close()
    found = {}
    for sha, name, length, stored_length, kind, number in rows:
        assert kind == "text" and stored_length == length
        found[sha] = (name, length, number)
    return found


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()


def test_each_file_is_one_commit(project, tmp_path):
    files = write_files(tmp_path / "src", 6)
    write_files(tmp_path / "again", 1)  # the same text as f000: a duplicate
    commits = []
    event.listen(project.engine, "commit", lambda _conn: commits.append(1))
    report = import_paths(project, [*files, tmp_path / "again" / "f000.txt"]).value
    assert len(report.imported) == 6 and len(report.duplicates) == 1
    assert len(commits) == 7  # one unit of work per file, the duplicate's included


def test_a_stopped_import_keeps_every_file_it_finished(project, tmp_path):
    files = write_files(tmp_path / "src", 8)
    result = import_paths(project, [tmp_path / "src"], progress=lambda done, *_: done < 3)
    ids = {d.id for d in result.value.imported}
    assert len(ids) == 3 and result.changes.documents == ids and result.changes.document_list
    assert {d.id for d in list_documents(project)} == ids
    # importing again adds the rest (those already in are skipped)
    again = import_paths(project, [tmp_path / "src"]).value
    assert len(again.imported) == 5 and len(again.duplicates) == 3
    assert len(list_documents(project)) == len(files)


def test_a_full_disk_stops_the_import_and_keeps_what_went_in(tmp_path, monkeypatch):
    path = tmp_path / "full.kzc"
    Project.create(path).close()
    connection = sqlite3.connect(path)
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.close()
    real = db_engine.configure

    def small_disk(dbapi_connection, **kwargs):  # noqa: ANN001, ANN003
        real(dbapi_connection, **kwargs)
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 6}")

    monkeypatch.setattr(db_engine, "configure", small_disk)
    write_files(tmp_path / "src", 20, size=3000)
    with Project.open(path) as project:
        result = import_paths(project, [tmp_path / "src"])
        report = result.value
        assert 0 < len(report.imported) < 20
        went_in = {d.id for d in report.imported}
        assert result.changes.documents == went_in
        assert {d.id for d in list_documents(project)} == went_in
    stopped = len(report.imported)
    assert [r.reason for r in report.refused] == [
        f"f{stopped:03}.txt: not imported: {path}: the disk is full; your change was not "
        "saved, the project is as it was",
        f"{19 - stopped} more file(s) not imported: the import stopped at f{stopped:03}.txt"]
    assert len(stored_rows(path)) == stopped


def test_an_unreadable_folder_or_file_is_one_refusal_and_the_rest_go_in(project, tmp_path,
                                                                      monkeypatch):
    # the tests run as root, for whom chmod 000 blocks nothing: the refusals are simulated
    write_files(tmp_path / "src" / "locked", 2)
    write_files(tmp_path / "src" / "open", 3)
    secret = tmp_path / "src" / "open" / "f001.txt"
    real_scandir, real_open = os.scandir, Path.open

    def scandir(path):  # noqa: ANN001, ANN202 - the folder walk lists folders with scandir
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "open", open_)
    report = import_paths(project, [tmp_path / "src"]).value
    assert sorted(d.name for d in report.imported) == ["f000", "f002"]
    assert sorted(r.reason for r in report.refused) == [
        f"{tmp_path / 'src' / 'locked'}: folder cannot be read (Permission denied); its files "
        "were not imported",
        "f001.txt: cannot be read (Permission denied)"]


def test_the_command_line_refuses_an_unreadable_folder_in_one_line(tmp_path, capfd,
                                                                   monkeypatch):
    project = tmp_path / "p.kzc"
    Project.create(project).close()
    write_files(tmp_path / "src" / "locked", 1)
    write_files(tmp_path / "src" / "open", 2)
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202 - the folder walk lists folders with scandir
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code = main(["import", str(project), str(tmp_path / "src")])
    out, err = capfd.readouterr()
    assert code == 1  # refused, not 3 (an unexpected error)
    assert err == (f"kzcoder: refused {tmp_path / 'src' / 'locked'}: folder cannot be read "
                   "(Permission denied); its files were not imported\n")
    assert out.endswith("imported 2 document(s), skipped 0 already in the project, "
                        "refused 1\n")


def test_a_long_text_is_staged_and_stored_exactly(project, tmp_path, monkeypatch):
    monkeypatch.setattr(document_q, "STAGE_FROM", 64)  # every text here is "long"
    texts = {"a.txt": "Митинг 😀 e\u0301 " * 50, "b.txt": "short", "c.txt": "x" * 3_000_000}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = import_paths(project, [tmp_path / n for n in texts]).value
    assert [d.name for d in report.imported] == ["a", "b", "c"]
    for info, text in zip(report.imported, texts.values(), strict=True):
        assert info.length == len(text)
        assert document_text(project, info.id) == text
    rows = stored_rows(project.path)
    assert {sha_of(tmp_path / n) for n in texts} == set(rows)


def test_a_killed_import_keeps_every_file_it_finished(tmp_path):
    """A child imports 60 files, printing each time progress says how many are finished; it
    is killed (SIGKILL) after a random number of them. Every file it reported is there whole;
    nothing is half-written."""
    project = tmp_path / "k.kzc"
    Project.create(project).close()
    files = write_files(tmp_path / "src", 60, size=20_000)
    child = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from kzcoder.services.documents import import_paths
        from kzcoder.services.project import Project
        def progress(done, total, name):
            print(done, flush=True)
        with Project.open(Path({str(project)!r})) as project:
            print("ready", flush=True)
            import_paths(project, [Path({str(tmp_path / 'src')!r})], progress=progress)
        print("end", flush=True)
    """)
    rng = __import__("random").Random(7)
    for _round in range(3):
        process = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE,
                                   text=True, cwd=REPO)
        acknowledged, deadline = 0, time.monotonic() + 60
        target = rng.randint(1, 40)
        try:
            assert process.stdout.readline().strip() == "ready"
            while time.monotonic() < deadline:
                line = process.stdout.readline().strip()
                if not line or line == "end":
                    break
                acknowledged = int(line)
                if acknowledged >= target:
                    os.kill(process.pid, signal.SIGKILL)
                    break
        finally:
            process.kill()
            process.wait(timeout=30)
        rows = stored_rows(project)
        for index, path in enumerate(files[:acknowledged]):
            assert sha_of(path) in rows, f"acknowledged file {path.name} is missing"
            assert rows[sha_of(path)][2] == str(index)
        for _name, _length, number in rows.values():
            assert number is not None  # a document never goes in without its attributes


LINES = {"latin": "Rally police power opposition square workers oil 2022 Zhanaozen.\n",
         "cyrillic": "Митинг полиция власти оппозиция площадь рабочие нефть 2022.\n"}


def _import_peak(tmp_path: Path, line: str) -> tuple[int, int]:
    """(file size, growth of peak resident memory) importing one 24 MB file of *line* into a
    project with its search index, in a child."""
    child = textwrap.dedent(f"""
        from pathlib import Path
        from kzcoder.services.documents import import_paths
        from kzcoder.services.project import Project
        folder = Path({str(tmp_path)!r})
        big = folder / "big.txt"
        line = {line!r}
        big.write_text(line * (24_000_000 // len(line.encode())), encoding="utf-8")
        (folder / "warm.txt").write_text("warm up", encoding="utf-8")
        def status(key):
            for row in open("/proc/self/status"):
                if row.startswith(key):
                    return int(row.split()[1]) * 1024
        path = folder / "m.kzc"
        Project.create(path).close()
        with Project.open(path) as project:
            import_paths(project, [folder / "warm.txt"])
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
            base = status("VmRSS")
            assert len(import_paths(project, [big]).value.imported) == 1
            print(big.stat().st_size, status("VmHWM") - base)
    """)
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                         cwd=REPO, timeout=120, check=True,
                         env={**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072"}).stdout
    size, growth = map(int, out.split())
    return size, growth


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="Linux /proc only")
@pytest.mark.parametrize("script", sorted(LINES))
def test_peak_memory_of_a_large_file_is_about_twice_its_size(tmp_path, script):
    """The process's peak resident memory while one 24 MB file is imported, its search index
    included, grows by at most twice the file plus 16 MB (it was 5.2 times the file while the
    index took each text as one row: docs/reliability.md). In Latin a Python str costs a byte
    per character, in Cyrillic two (about what UTF-8 costs there).

    glibc's malloc is given a fixed mmap threshold, so that every large block goes back to the
    system when it is freed: by default it raises the threshold after a free and keeps freed
    blocks under 32 MB for reuse, which would show up here as peak memory that is not held."""
    size, growth = _import_peak(tmp_path, LINES[script])
    assert growth <= 2 * size + 16_000_000, f"peak grew by {growth / size:.2f}x the file"


def test_a_disk_filling_during_the_sample_leaves_no_project(tmp_path, monkeypatch, capfd):
    """Whatever moment the disk fills at, `new --sample` creates the whole sample or nothing."""
    real = db_engine.configure
    limit = [0]

    def small_disk(dbapi_connection, **kwargs):  # noqa: ANN001, ANN003
        real(dbapi_connection, **kwargs)
        dbapi_connection.execute(f"PRAGMA max_page_count={limit[0]}")

    monkeypatch.setattr(db_engine, "configure", small_disk)
    outcomes = []
    for pages in range(20, 62, 3):
        limit[0] = pages
        path = tmp_path / f"p{pages}.kzc"
        code = main(["new", str(path), "--sample"])
        capfd.readouterr()
        documents = (sqlite3.connect(path).execute("SELECT count(*) FROM documents")
                     .fetchone()[0] if path.exists() else None)
        outcomes.append((pages, code, documents))
    assert all(outcome[1:] in ((1, None), (0, 5)) for outcome in outcomes), outcomes
