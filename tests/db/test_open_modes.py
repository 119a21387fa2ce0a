"""How a project file is opened and left: WAL while open, one file when closed, read-only
opening with nothing created beside, one snapshot per unit of work, translated failures."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from kzcoder.core.errors import KzError
from kzcoder.db import engine as db_engine
from kzcoder.db.queries import raw
from kzcoder.services.codings import add_coding
from kzcoder.services.documents import list_documents
from kzcoder.services.project import Project


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def header_modes(path: Path) -> bytes:
    return path.read_bytes()[18:20]


def test_an_open_project_is_in_wal_mode_and_a_closed_one_is_one_file(tmp_path):
    path = tmp_path / "p.kzc"
    project = Project.create(path)
    with project.unit() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert header_modes(path) == b"\x02\x02"
    project.close()
    assert header_modes(path) == b"\x01\x01"  # rollback journal: readable where not writable
    assert beside(path) == ["p.kzc"]


def test_a_project_another_connection_holds_stays_in_wal_until_the_last_close(tmp_path):
    path = tmp_path / "p.kzc"
    Project.create(path).close()
    first, second = Project.open(path), Project.open(path)
    first.close()
    assert header_modes(path) == b"\x02\x02"
    assert list_documents(second) == []
    second.close()
    assert header_modes(path) == b"\x01\x01" and beside(path) == ["p.kzc"]


def test_the_busy_timeout_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(db_engine.BUSY_TIMEOUT_ENV, "250")
    with Project.create(tmp_path / "p.kzc") as project, project.unit() as session:
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 250
    monkeypatch.setenv(db_engine.BUSY_TIMEOUT_ENV, "soon")
    with pytest.raises(KzError, match="KZCODER_BUSY_TIMEOUT_MS='soon': give a whole number"):
        Project.open(tmp_path / "p.kzc")


# --- one unit of work, one snapshot ---------------------------------------------------------

def test_a_unit_of_work_reads_one_snapshot(sample_project):
    path = sample_project.path
    with sample_project.unit(read=True) as session:  # a write unit would hold the writer off
        before = session.execute(text("SELECT count(*) FROM codes")).scalar()
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("INSERT INTO codes (guid, name, color, description, position) "
                      "VALUES ('g', 'Later', '#000000', '', 9)")
        other.close()  # committed
        assert session.execute(text("SELECT count(*) FROM codes")).scalar() == before
        assert raw(session).execute("SELECT count(*) FROM codes").fetchone()[0] == before
    with sample_project.unit() as session:
        assert session.execute(text("SELECT count(*) FROM codes")).scalar() == before + 1


def test_ddl_is_transactional(tmp_path):
    engine = db_engine.make_engine(tmp_path / "x.db")
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x)")
        raise RuntimeError("a migration failed half-way")
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 't'").scalar() == 0
    engine.dispose()


def test_savepoints_roll_back_inside_a_unit(project):
    with project.unit() as session:
        session.execute(text("INSERT INTO coders (guid, name) VALUES ('a', 'kept')"))
        nested = session.begin_nested()
        session.execute(text("INSERT INTO coders (guid, name) VALUES ('b', 'dropped')"))
        nested.rollback()
    with project.unit() as session:
        assert session.execute(text("SELECT name FROM coders")).scalars().all() == ["kept"]


# --- read-only ------------------------------------------------------------------------------

@pytest.fixture
def not_writable(monkeypatch):
    """Pretend this process may not write the files named (permissions do not bind root)."""
    denied: set[Path] = set()
    real = db_engine.may_write
    monkeypatch.setattr(db_engine, "may_write", lambda p: Path(p) not in denied and real(p))
    return denied


def test_a_read_only_file_opens_read_only_and_refuses_changes(sample_project, not_writable):
    path = sample_project.path
    sample_project.close()
    content = path.read_bytes()
    not_writable.add(path)
    with Project.open(path) as project:
        assert project.read_only and project.read_only_reason == "you may not write to the file"
        assert len(list_documents(project)) == 5
        with pytest.raises(KzError) as caught:
            add_coding(project, 1, 1, 0, 5, coder="ana")
        assert beside(path) == ["sample.kzc"]
    assert str(caught.value) == (f"{path} is read-only (you may not write to the file); your "
                                 "change was not saved")
    assert path.read_bytes() == content and beside(path) == ["sample.kzc"]


def test_a_read_only_folder_opens_read_only_with_its_own_reason(sample_project, not_writable):
    path = sample_project.path
    sample_project.close()
    not_writable.add(path.parent)
    with Project.open(path) as project:
        assert project.read_only
        with pytest.raises(KzError) as caught:
            add_coding(project, 1, 1, 0, 5, coder="ana")
    assert str(caught.value) == (f"{path} is read-only (its folder {path.parent} is read-only, "
                                 "and SQLite must create files beside it); your change was not "
                                 "saved")
    assert beside(path) == ["sample.kzc"]


def wal_on_disk(path: Path) -> None:
    """Leave *path* in WAL mode with no -wal or -shm (as kzcoder before 0.2 closed a project)."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    assert header_modes(path) == b"\x02\x02" and beside(path) == [path.name]


def test_a_read_only_wal_file_is_read_from_a_private_copy(sample_project, not_writable):
    path = sample_project.path
    sample_project.close()
    wal_on_disk(path)
    content = path.read_bytes()
    not_writable.add(path)
    project = Project.open(path)
    snapshot = project._file.snapshot
    assert project.read_only and snapshot is not None and snapshot.is_dir()
    assert len(list_documents(project)) == 5
    with pytest.raises(KzError, match="is read-only"):
        add_coding(project, 1, 1, 0, 5, coder="ana")
    project.close()
    assert not snapshot.exists()
    assert beside(path) == ["sample.kzc"] and path.read_bytes() == content


def test_a_read_only_wal_file_in_use_is_read_in_place(sample_project, not_writable):
    writer = sqlite3.connect(sample_project.path)  # another program has it open: -wal, -shm
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("SELECT count(*) FROM documents").fetchone()
    sample_project.close()
    not_writable.add(sample_project.path)
    with Project.open(sample_project.path) as project:
        assert project.read_only and project._file.snapshot is None
        assert len(list_documents(project)) == 5
    writer.close()


def test_an_old_schema_that_is_read_only_is_not_upgraded(tmp_path, not_writable):
    from alembic import command

    from kzcoder.db.migrate import alembic_config

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_baseline")
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
    engine.dispose()
    db_engine.leave_wal(path)
    not_writable.add(path)
    with pytest.raises(KzError, match="written by an older kzcoder .* cannot be upgraded"):
        Project.open(path)
    assert beside(path) == ["old.kzc"]


# --- failures become KzError at the unit of work --------------------------------------------

def test_a_full_disk_is_reported_and_nothing_changes(sample_project, monkeypatch):
    path = sample_project.path
    sample_project.close()
    real = db_engine.configure

    def no_room(connection, **kwargs):  # noqa: ANN001, ANN003
        real(connection, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(db_engine, "configure", no_room)
    with Project.open(path) as project:
        with pytest.raises(KzError) as caught:
            add_coding(project, 1, 1, 0, 5, coder="ana", memo="m" * 200_000)
        assert str(caught.value) == (f"{path}: the disk is full; your change was not saved, "
                                     "the project is as it was")
        with project.unit() as session:
            assert session.execute(text("SELECT count(*) FROM codings")).scalar() == 0


def test_other_database_errors_stay_bugs(project):
    with pytest.raises(sqlite3.OperationalError, match="no such table"), project.unit() as s:
        raw(s).execute("SELECT * FROM nowhere")


@pytest.mark.parametrize(("code", "name", "says"), [
    (5, "SQLITE_BUSY", "is locked by another program (it kept the project busy for more "
                       "than 10 s); try again when it has finished"),
    (517, "SQLITE_BUSY_SNAPSHOT", "is locked by another program (it changed the project while "
                                  "this change was being made)"),
    (8, "SQLITE_READONLY", "is read-only (it cannot be written); your change was not saved"),
    (1544, "SQLITE_READONLY_DIRECTORY", "is read-only (its folder"),
    (13, "SQLITE_FULL", ": the disk is full; your change was not saved"),
    (11, "SQLITE_CORRUPT", "is damaged: boom; restore it from a backup"),
    (26, "SQLITE_NOTADB", "is damaged: boom; restore it from a backup"),
    (10, "SQLITE_IOERR", ": the disk could not be read or written (boom)"),
    (14, "SQLITE_CANTOPEN", ": cannot be opened (boom)"),
])
def test_sqlite_failures_are_translated(tmp_path, code, name, says):
    error = sqlite3.OperationalError("boom")
    error.sqlite_errorcode, error.sqlite_errorname = code, name
    translated = db_engine.failure(tmp_path / "p.kzc", error)
    assert translated is not None and says in str(translated)
    assert "\n" not in str(translated)


def test_an_error_without_a_code_is_read_from_its_message(tmp_path):
    assert "disk is full" in str(db_engine.failure(
        tmp_path / "p.kzc", sqlite3.OperationalError("database or disk is full")))
    assert db_engine.failure(tmp_path / "p.kzc", sqlite3.OperationalError("near x")) is None


def test_read_only_sidecars_left_by_an_older_kzcoder_are_made_writable(tmp_path, monkeypatch):
    # the owner's write bit, as permissions are for anyone but root
    monkeypatch.setattr(db_engine, "may_write", lambda p: bool(os.stat(p).st_mode & 0o200))
    path = tmp_path / "p.kzc"
    Project.create(path).close()
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT 1 FROM project").fetchone()
    for suffix in db_engine.SIDECARS:
        os.chmod(db_engine.sidecar(path, suffix), 0o444)
    try:
        assert db_engine.read_only_reason(path) == ""
        for suffix in db_engine.SIDECARS:
            assert os.stat(db_engine.sidecar(path, suffix)).st_mode & 0o200
    finally:
        holder.close()


def test_nothing_is_left_beside_a_refused_wal_file(tmp_path):
    path = tmp_path / "other.kzc"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    with pytest.raises(KzError, match="not a kzcoder project"):
        Project.open(path)
    assert beside(path) == ["other.kzc"]



def test_a_project_deleted_while_open_is_not_made_again(sample_project):
    path = sample_project.path
    path.unlink()
    sample_project.engine.dispose()  # a new connection: the file must not come back empty
    with pytest.raises(KzError, match="cannot be opened"):
        list_documents(sample_project)
    assert not path.exists()


def test_a_read_only_file_left_half_written_is_one_plain_refusal(sample_project, not_writable):
    import signal
    import subprocess
    import sys

    path = sample_project.path
    sample_project.close()
    # a program that stops in the middle of a big change leaves a hot journal beside the file
    script = ("import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
              "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN');"
              "c.execute(\"UPDATE documents SET text = text || 'x'\");"
              "print('written', flush=True); time.sleep(60)")
    writer = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout.readline().strip() == "written"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert (path.parent / "sample.kzc-journal").exists()
    not_writable.add(path)
    with pytest.raises(KzError) as caught:
        Project.open(path)
    assert str(caught.value) == (f"{path} was left half-written by a program that stopped, "
                                 "and is read-only (you may not write to the file), so it "
                                 "cannot be repaired; make it writable and open it once")
    not_writable.clear()
    with Project.open(path) as project:  # writable again: SQLite rolls the change back
        assert len(list_documents(project)) == 5
    assert beside(path) == ["sample.kzc"]
