import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kzcoder.core.errors import KzError
from kzcoder.db import engine as db_engine
from kzcoder.db.backends.sqlite_fts import INDEX_TABLES
from kzcoder.db.migrate import head_revision
from kzcoder.db.models import Base, Code, Coder, Coding, Document
from kzcoder.services.project import Project


def _all_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from kzcoder.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_head_constant_matches_the_migrations():
    assert head_revision() == db_engine.HEAD_REVISION
    # every revision a user's project may be at can be opened (and upgraded)
    assert list(db_engine.KNOWN_REVISIONS) == _all_revisions()


# The expression index (unique sibling names) cannot be reflected; a test below covers it.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrations_build_exactly_the_models(project):
    with project._engine.connect() as connection:
        # the full-text index is a virtual table and its shadow tables, made by the migration
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, _parent: not (kind == "table"
                                                             and name in INDEX_TABLES)})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_pragmas_are_on(project):
    with project.unit() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        # FULL (2): a commit survives power loss
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2


def _doc(name="d", length=10):
    return Document(name=name, text="x" * length, length=length, sha256=name)


def test_sibling_code_names_are_unique_even_at_the_root(project):
    with pytest.raises(IntegrityError), project.unit() as session:
        session.add_all([Code(name="A", color="#000000"), Code(name="A", color="#000000")])


def test_colour_must_be_hex(project):
    with pytest.raises(IntegrityError), project.unit() as session:
        session.add(Code(name="A", color="red"))


def test_span_order_is_checked_by_the_database(project):
    with pytest.raises(IntegrityError), project.unit() as session:
        doc, code, coder = _doc(), Code(name="A", color="#000000"), Coder(name="c")
        session.add_all([doc, code, coder])
        session.flush()
        session.add(Coding(document_id=doc.id, code_id=code.id, coder_id=coder.id,
                           start=5, end=5))


def test_deleting_a_document_deletes_its_codings(project):
    with project.unit() as session:
        doc, code, coder = _doc(), Code(name="A", color="#000000"), Coder(name="c")
        session.add_all([doc, code, coder])
        session.flush()
        session.add(Coding(document_id=doc.id, code_id=code.id, coder_id=coder.id,
                           start=0, end=5))
    with project.unit() as session:
        session.execute(text("DELETE FROM documents"))
    with project.unit() as session:
        assert session.execute(text("SELECT count(*) FROM codings")).scalar() == 0


def test_every_row_gets_a_guid(project):
    with project.unit() as session:
        a, b = _doc("a"), _doc("b")
        session.add_all([a, b])
        session.flush()
        assert len(a.guid) == 36 and a.guid != b.guid


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(KzError, match="no such project file"):
        Project.open(tmp_path / "nope.kzc")
    assert not (tmp_path / "nope.kzc").exists()


def test_text_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "notes.kzc"
    path.write_bytes(b"not a database")
    with pytest.raises(KzError, match="not a kzcoder project file"):
        Project.open(path)
    assert path.read_bytes() == b"not a database"


def test_other_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.kzc"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(KzError, match="SQLite file, but not a kzcoder project"):
        Project.open(path)


def test_project_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.kzc"
    Project.create(path).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num='9999_future'")
    connection.commit()
    connection.close()
    with pytest.raises(KzError, match="newer version of kzcoder"):
        Project.open(path)


@pytest.mark.parametrize("old", _all_revisions()[:-1])
def test_older_schema_is_backed_up_then_upgraded(tmp_path, old):
    from alembic import command

    from kzcoder.db.migrate import alembic_config

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:  # a project as kzcoder wrote it at the baseline schema
        config.attributes["connection"] = connection
        command.upgrade(config, old)
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        connection.execute(text("INSERT INTO documents (id, guid, name, text, length, sha256, "
                                "source_encoding, memo, created) VALUES (1, 'd', 'old doc', "
                                "'text', 4, 's', 'utf-8', '', '2024-01-01T00:00:00Z')"))
    engine.dispose()
    assert db_engine.read_revision(path) == old

    with Project.open(path) as project:
        from kzcoder.services import originals

        with pytest.raises(KzError, match="^document 'old doc' has no original file kept"):
            originals.original_info(project, 1)
    backup = db_engine.backup_path(path, old)
    assert db_engine.read_revision(backup) == old
    assert db_engine.read_revision(path) == db_engine.HEAD_REVISION
    indexes = {row[0] for row in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_codings_document_span" in indexes
    assert "ix_codings_document_start" not in indexes


def test_covering_index_serves_a_documents_codings(project):
    with project.unit() as session:
        plan = session.execute(text(
            'EXPLAIN QUERY PLAN SELECT id, code_id, coder_id, start, "end" FROM codings '
            'WHERE document_id = 1 ORDER BY start, "end", id')).all()
    detail = " ".join(row[-1] for row in plan)
    assert "COVERING INDEX ix_codings_document_span" in detail
    assert "TEMP B-TREE" not in detail


def test_create_refuses_an_existing_file_and_wrong_suffix(tmp_path):
    (tmp_path / "a.kzc").write_text("keep me")
    with pytest.raises(KzError, match="already exists"):
        Project.create(tmp_path / "a.kzc")
    assert (tmp_path / "a.kzc").read_text() == "keep me"
    with pytest.raises(KzError, match=r"must end in \.kzc"):
        Project.create(tmp_path / "a.db")


def test_a_0009_project_upgrades_to_memo_times_and_keeps_its_memos(tmp_path):
    """0012_memo_times: a project of 0009 keeps its memos, has no time for any (none was
    recorded), and a memo changed after the upgrade gets one."""
    from alembic import command

    from kzcoder.db.migrate import alembic_config
    from kzcoder.services.memos import get_memo, set_memo

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009_history")
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', 'project memo', '2024-01-01T00:00:00Z')"))
        connection.execute(text("INSERT INTO documents (id, guid, name, text, length, sha256, "
                                "source_encoding, memo, created) VALUES (1, 'd', 'old doc', "
                                "'text', 4, 's', 'utf-8', 'doc memo', '2024-01-01T00:00:00Z')"))
    engine.dispose()
    with Project.open(path) as project:
        assert get_memo(project, "document", "id:1").text == "doc memo"
        assert get_memo(project, "project").text == "project memo"
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM memo_times").fetchone() == (0,)
        from kzcoder.db.models import utc_now

        before = utc_now()
        set_memo(project, "document", "id:1", "doc memo, edited")
        after = utc_now()
    assert db_engine.read_revision(db_engine.backup_path(path, "0009_history")) == "0009_history"
    with sqlite3.connect(path) as db:
        [(guid, modified)] = db.execute("SELECT guid, modified FROM memo_times").fetchall()
    assert guid == "d" and before <= modified <= after
