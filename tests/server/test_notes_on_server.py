"""Journal entries, annotations and code sets on a server (issue 24's kinds, issue 25's
backend): made, removed and put back under their own ids, and a REFI-QDA import's published
to a server. PostgreSQL stores an explicit NULL id as NULL and has no
``INSERT OR IGNORE``/``OR REPLACE``; each of these failed there before."""

from __future__ import annotations

import psycopg

from kzcoder.services import annotation, code_sets, journal
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.merge.merging import merge_project
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from kzcoder.services.refi.importing import import_qdpx
from kzcoder.services.server.publishing import publish
from tests.server.conftest import fresh_database


def rows(project: Project, sql: str) -> list[tuple]:
    url = project.path.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


def test_journal_annotations_and_code_sets_are_made_removed_and_put_back(sample_project):
    entry = journal.add_entry(sample_project, "Plan", "read the 2011 reports").value
    note = annotation.add_annotation(sample_project, 1, 0, 12, "check 😀").value
    codes = [c.id for c in list_codes(sample_project)][:2]
    made = code_sets.add_code_set(sample_project, "Repression", codes).value
    assert rows(sample_project, "SELECT id, title FROM journal") == [(entry.id, "Plan")]
    assert rows(sample_project, 'SELECT id, start, "end" FROM annotations') == [(note.id, 0, 12)]
    assert sorted(rows(sample_project, "SELECT set_id, code_id FROM code_set_members")) == [
        (made.id, c) for c in sorted(codes)]

    journal.remove_entry(sample_project, "Plan")
    annotation.remove_annotation(sample_project, note.id)
    removed = code_sets.remove_code_set(sample_project, "Repression").value
    assert rows(sample_project, "SELECT count(*) FROM code_sets") == [(0,)]
    journal.restore_entry(sample_project, entry)
    annotation.restore_annotation(sample_project, note)
    code_sets.restore_code_set(sample_project, removed)
    assert rows(sample_project, "SELECT id FROM journal") == [(entry.id,)]
    assert rows(sample_project, "SELECT id FROM annotations") == [(note.id,)]
    assert rows(sample_project, "SELECT id, name FROM code_sets") == [(made.id, "Repression")]
    # the sequence never hands a restored id out again
    again = code_sets.add_code_set(sample_project, "Other", codes[:1]).value
    assert again.id > made.id


def test_a_qdpx_with_code_sets_and_lower_case_guids_is_published_to_a_server(
        sample_project, pg_cluster, tmp_path):
    first = add_code(sample_project, "Arrests", "#112233").value.id
    code_sets.add_code_set(sample_project, "Repression", [first])
    archive = tmp_path / "out.qdpx"
    export_qdpx(sample_project, archive)
    # as NVivo and QualCoder write them: GUIDs in lower case
    import zipfile

    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tmp_path / "lower.qdpx", "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "project.qde":
                import re

                data = re.sub(rb'guid="([0-9A-F-]{36})"',
                              lambda m: b'guid="' + m.group(1).lower() + b'"', data)
            out.writestr(item, data)
    url = fresh_database(pg_cluster)
    import_qdpx(tmp_path / "lower.qdpx", tmp_path / "imported.kzc")
    publish(tmp_path / "imported.kzc", url)
    with Project.open(url) as imported:
        [found] = code_sets.list_code_sets(imported)
        assert found.name == "Repression" and len(found.codes) == 1
        assert rows(imported, "SELECT count(*) FROM guid_forms")[0][0] > 0
    # merged into a server project: the merge adds the code set there itself
    other = fresh_database(pg_cluster)
    with Project.create(other) as target:
        merge_project(target, tmp_path / "lower.qdpx")
        [found] = code_sets.list_code_sets(target)
        assert found.name == "Repression" and len(found.codes) == 1
