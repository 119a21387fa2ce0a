"""Merging carries the journal (by title and creation time), annotations (by document, span
and text) and code sets (by name, members mapped through the merge's codes), reports them,
changes nothing when merged again, and undoes exactly."""

from __future__ import annotations

import shutil
import sqlite3

from kzcoder.services import annotation, code_sets, journal
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.merge.merging import MergeProject, merge_project
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from tests.services.test_merge import dump


def _pair(tmp_path, sample_template):
    a, b = tmp_path / "a.kzc", tmp_path / "b.kzc"
    shutil.copy(sample_template, a)
    with Project.open(a) as project:
        journal.add_entry(project, "Plan", "ours", created="2024-01-01T00:00:00Z")
        journal.add_entry(project, "Same", "both", created="2024-01-02T00:00:00Z")
        annotation.add_annotation(project, 1, 0, 5, "shared note")
        code_sets.add_code_set(project, "Actors", [1])
    shutil.copy(a, b)
    with Project.open(b) as project:
        journal.add_entry(project, "Later", "theirs only", author="bob",
                          created="2024-03-01T00:00:00Z")
        journal.remove_entry(project, "Plan")  # and written again later, another entry
        journal.add_entry(project, "Plan", "their plan", created="2024-04-01T00:00:00Z")
        journal.set_text(project, "Same", "edited by bob")
        annotation.add_annotation(project, 2, 3, 9, "bob's note", author="bob")
        child = codebook.add_code(project, "Police", "#123456", parent=1).value
        code_sets.set_codes(project, "Actors", [1, 2])
        code_sets.add_code_set(project, "New set", [child.id, 3], description="theirs")
    return a, b, child.guid


def _rows(path, sql):
    with sqlite3.connect(path) as db:
        return sorted(db.execute(sql).fetchall())


def test_journal_annotations_and_code_sets_merge_once_and_undo_exactly(tmp_path,
                                                                         sample_template):
    a, b, police = _pair(tmp_path, sample_template)
    before = dump(a)
    with Project.open(a) as project:
        command = MergeProject(b)
        command.do(project)
        report = command.report
        merged = dump(a)
        assert not merge_project(project, b).value.changed
        assert dump(a) == merged
        sets = {s.name: s for s in code_sets.list_code_sets(project)}
        command.undo(project)
        assert dump(a) == before
        command.do(project)
        assert dump(a) == merged
    assert _rows(a, "SELECT title, created, text FROM journal") == [
        ("Later", "2024-03-01T00:00:00Z", "theirs only"),
        ("Plan", "2024-01-01T00:00:00Z", "ours"),
        ("Plan (2)", "2024-04-01T00:00:00Z", "their plan"),
        ("Same", "2024-01-02T00:00:00Z", "both")]  # same key, other text: ours kept
    assert _rows(a, 'SELECT document_id, start, "end", text, author FROM annotations') == [
        (1, 0, 5, "shared note", ""), (2, 3, 9, "bob's note", "bob")]
    assert sets["Actors"].codes == (1, 2)
    with sqlite3.connect(a) as db:
        police_id = db.execute("SELECT id FROM codes WHERE guid = ?", (police,)).fetchone()[0]
    assert set(sets["New set"].codes) == {police_id, 3}
    assert sets["New set"].description == "theirs"
    assert report.added["journal entries"] == 2 and report.matched["journal entries"] == 1
    assert report.added["annotations"] == 1 and report.matched["annotations"] == 1
    assert report.added["code sets"] == 1 and report.matched["code sets"] == 1
    lines = report.summary_lines()
    assert "added journal entry 'Later'" in lines
    assert ("added journal entry 'Plan (2)' (theirs 'Plan' of 2024-04-01T00:00:00Z: an entry "
            "here has that title)") in lines
    assert any(line.startswith("journal entry 'Same' differs: ours 'both', theirs 'edited by "
                               "bob'") for line in lines)
    assert "added code set 'New set' of 2 code(s)" in lines
    assert any(line.startswith("code set 'Actors': added 1 code(s)") for line in lines)
    assert any(line.startswith("added an annotation on [3, 9) of") for line in lines)
    assert lines[0].endswith("2 journal entries, 1 annotations, 1 code sets")


def test_a_qdpx_carries_them_as_the_kzc_does(tmp_path, sample_template):
    a, b, _police = _pair(tmp_path, sample_template)
    shutil.copy(a, tmp_path / "a2.kzc")
    with Project.open(b) as project:
        export_qdpx(project, tmp_path / "b.qdpx")
    with Project.open(a) as project:
        by_kzc = merge_project(project, b).value
    with Project.open(tmp_path / "a2.kzc") as project:
        by_qdpx = merge_project(project, tmp_path / "b.qdpx").value
        again = dump(tmp_path / "a2.kzc")
        assert not merge_project(project, tmp_path / "b.qdpx").value.changed
        assert dump(tmp_path / "a2.kzc") == again
    for kind in ("journal entries", "annotations", "code sets"):
        assert by_kzc.added[kind] == by_qdpx.added[kind], kind
    for sql in ("SELECT title, created, text FROM journal",
                'SELECT document_id, start, "end", text FROM annotations',
                "SELECT s.name, m.code_id FROM code_sets s JOIN code_set_members m "
                "ON m.set_id = s.id"):
        assert _rows(a, sql) == _rows(tmp_path / "a2.kzc", sql), sql
