"""Memos of the project, documents, codes and codings: read, set (one unit of work), what
views are told, what is refused, and the undoable edit with its merge rule."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import event

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import MemoTarget
from kzcoder.services import codings, documents
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.memos import MERGE_PAUSE_S, EditMemo, get_memo, set_memo
from kzcoder.services.project import Project

TEXT = "Why?\n\ttabs,  spaces  \nи кириллица, 😀 𝕏 e\u0301\n\n"


def _units(project):
    begins, commits = [], []
    event.listen(project.engine, "begin", lambda conn: begins.append(1))
    event.listen(project.engine, "commit", lambda conn: commits.append(1))
    return begins, commits


@pytest.fixture
def coding(sample_project):
    return codings.add_coding(sample_project, 2, 3, 10, 20, coder="ana").value


def test_the_project_memo_is_read_and_set_exactly(sample_project):
    memo = get_memo(sample_project)
    assert (memo.target, memo.label, memo.text) == (MemoTarget("project"),
                                                     "the project 'sample'", "")
    begins, commits = _units(sample_project)
    result = set_memo(sample_project, "project", None, TEXT)
    assert (len(begins), len(commits)) == (1, 1)  # one unit of work
    before, after = result.value
    assert (before.text, after.text) == ("", TEXT)
    assert result.changes == Changes(memos=True)
    assert get_memo(sample_project, "project").text == TEXT


def test_line_endings_become_newlines_and_nothing_else_changes(sample_project):
    set_memo(sample_project, "project", None, "a\r\nb\rc\n\u2028d  ")
    assert get_memo(sample_project).text == "a\nb\nc\n\u2028d  "


@pytest.mark.parametrize("ref", [2, "2", "id:2",
                                 "name:2011-12-20_kazakhstan-defends-use-of-force-against-"
                                 "protesters",
                                 "2011-12-20_kazakhstan-defends-use-of-force-against-protesters"])
def test_a_document_memo_by_every_kind_of_reference(sample_project, ref):
    result = set_memo(sample_project, "document", ref, TEXT)
    _before, after = result.value
    assert after.target == MemoTarget("document", 2)
    assert after.label == "document 'Kazakhstan defends use of force against protesters'"
    assert result.changes == Changes(memos=True, documents=frozenset({2}))
    assert get_memo(sample_project, "document", ref).text == TEXT
    # what the views share shows it (the documents list marks it)
    assert documents.list_documents(sample_project, [2])[0].memo == TEXT
    assert documents.get_document(sample_project, 2).memo == TEXT


@pytest.mark.parametrize("ref", [3, "3", "id:3", "name:Force", "Force"])
def test_a_code_memo_is_apart_from_its_definition(sample_project, ref):
    definition = codebook.get_code(sample_project, 3).description
    result = set_memo(sample_project, "code", ref, TEXT)
    assert result.value[1].label == "code 'Force'"
    assert result.changes == Changes(memos=True, codes=frozenset({3}))
    code = codebook.get_code(sample_project, 3)
    assert (code.memo, code.description) == (TEXT, definition)
    assert {c.id: c.memo for c in codebook.list_codes(sample_project)}[3] == TEXT
    codebook.update_code(sample_project, 3, name="Violence", description="new definition")
    assert codebook.get_code(sample_project, 3).memo == TEXT  # editing the code keeps it


def test_a_coding_memo_tells_the_views_its_segment(sample_project, coding):
    begins, commits = _units(sample_project)
    result = set_memo(sample_project, "coding", f"id:{coding.id}", TEXT)
    assert (len(begins), len(commits)) == (1, 1)
    before, after = result.value
    assert after.target == MemoTarget("coding", coding.id)
    assert after.label == "coding 'Force' in 'Kazakhstan defends use of force against " \
                          "protesters'"
    changes = result.changes
    assert changes.memos and changes.codings == {coding.id} and changes.coded_documents == {2}
    assert not changes.code_counts  # its code's count did not change
    segment = changes.segments[coding.id]
    assert (segment.memo, segment.start, segment.end, segment.code) == (TEXT, 10, 20, "Force")
    for ref in (coding.id, str(coding.id), f"id:{coding.id}"):
        assert get_memo(sample_project, "coding", ref).text == TEXT
    assert codings.codings_by_id(sample_project, [coding.id])[coding.id].memo == TEXT


def test_the_same_memo_again_writes_and_announces_nothing(sample_project, coding):
    set_memo(sample_project, "code", 3, "kept")
    begins, commits = _units(sample_project)
    result = set_memo(sample_project, "code", 3, "kept")
    assert not result.changes and result.value[0] == result.value[1]
    assert not set_memo(sample_project, "coding", coding.id, "").changes
    assert len(begins) == 2  # read, nothing written


@pytest.mark.parametrize("kind, ref, message", [
    ("document", "nothing", "no document named or numbered 'nothing'"),
    ("document", "id:99", "no document numbered 99"),
    ("code", "name:Nothing", "no code named 'Nothing'"),
    ("code", 99, "no code numbered 99"),
    ("coding", 99, "no coding numbered 99"),
    ("coding", "id:99", "no coding numbered 99"),
    ("coding", "first", "no coding numbered 'first'"),
    ("coding", "-1", "no coding numbered -1"),
    ("coding", 0, "no coding numbered 0"),
    ("document", None, "which document? give its reference"),
    ("coding", None, "which coding? give its reference"),
])
def test_references_to_nothing_are_refused(sample_project, kind, ref, message):
    with pytest.raises(KzError) as error:
        set_memo(sample_project, kind, ref, "x")
    assert str(error.value) == message
    with pytest.raises(KzError):
        get_memo(sample_project, kind, ref)


def test_an_ambiguous_reference_is_refused(sample_project):
    documents.update_document(sample_project, 1, name="2")  # named 2, while id 2 is another
    with pytest.raises(KzError, match="'2' is ambiguous"):
        set_memo(sample_project, "document", "2", "x")
    assert get_memo(sample_project, "document", "name:2").target.id == 1
    assert get_memo(sample_project, "document", "id:2").text == ""
    codebook.add_code(sample_project, "Force", "#123456", parent="Dissent")
    with pytest.raises(KzError, match="more than one code is named 'Force'"):
        set_memo(sample_project, "code", "Force", "x")


def test_text_that_cannot_be_stored_and_unknown_kinds_are_refused(sample_project):
    with pytest.raises(KzError, match="not valid text"):
        set_memo(sample_project, "project", None, "bad \udcff byte")
    assert get_memo(sample_project).text == ""
    with pytest.raises(ValueError):
        set_memo(sample_project, "segment", 1, "x")
    with pytest.raises(ValueError):
        get_memo(sample_project, "project", 1)


def test_a_read_only_project_refuses_a_memo(tmp_path, sample_template, monkeypatch):
    from kzcoder.db import engine as db_engine

    path = tmp_path / "ro.kzc"
    shutil.copy(sample_template, path)
    real = db_engine.may_write
    monkeypatch.setattr(db_engine, "may_write", lambda p: p != path and real(p))
    with Project.open(path) as project:
        assert project.read_only
        with pytest.raises(KzError, match="read-only"):
            set_memo(project, "code", "Force", "x")
        assert get_memo(project, "code", "Force").text == ""


def test_edit_memo_does_undoes_and_redoes(sample_project, coding):
    for target in (MemoTarget("project"), MemoTarget("document", 1), MemoTarget("code", 2),
                   MemoTarget("coding", coding.id)):
        set_memo(sample_project, target.kind, target.id, "old")
        edit = EditMemo(target, "new\r\nline")
        changes = edit.do(sample_project)
        assert changes.memos and edit.before == "old" and edit.memo == "new\nline"
        assert edit.text.startswith("Edit memo of ") and edit.label in edit.text
        assert get_memo(sample_project, *target).text == "new\nline"
        assert edit.undo(sample_project).memos
        assert get_memo(sample_project, *target).text == "old"
        edit.do(sample_project)
        assert get_memo(sample_project, *target).text == "new\nline"
        assert edit.before == "old"  # a redo keeps what undo gives back


def test_edits_of_one_burst_are_absorbed(sample_project):
    first = EditMemo(MemoTarget("code", 3), "a", typed_from=100.0, typed_until=101.0)
    first.do(sample_project)
    later = EditMemo(MemoTarget("code", 3), "ab", typed_from=101.0 + MERGE_PAUSE_S - 0.01,
                     typed_until=105.0)
    assert first.absorb(later) and (first.memo, first.typed_until) == ("ab", 105.0)
    assert first.before == ""
    paused = EditMemo(MemoTarget("code", 3), "abc", typed_from=105.0 + MERGE_PAUSE_S)
    other = EditMemo(MemoTarget("code", 2), "x", typed_from=105.5)
    assert not first.absorb(paused) and not first.absorb(other)
    assert first.memo == "ab" and not first.changes_nothing
    assert first.absorb(EditMemo(MemoTarget("code", 3), "", typed_from=106.0))
    assert first.changes_nothing  # typed, then deleted again
