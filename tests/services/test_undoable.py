from kzcoder.services.codings import code_counts, update_coding
from kzcoder.services.segments import list_segments
from kzcoder.services.undoable import AddCoding, EditCoding, RemoveCoding


def _segments(project):
    from kzcoder.services.codings import codings_by_id

    found = list_segments(project)
    guids = {i: c.guid for i, c in codings_by_id(project, [s.id for s in found]).items()}
    return [(s.code, s.start, s.end, s.memo, guids[s.id]) for s in found]


def test_add_undo_redo_keeps_identity(sample_project):
    command = AddCoding(document_id=1, code_id=3, start=0, end=5, coder="ana", code_name="Force")
    assert command.text == "Code as Force"
    changes = command.do(sample_project)
    assert changes.coded_documents == {1} and changes.code_counts == {3}
    assert changes.counts == {3: 1}  # the views need not ask again
    [segment] = changes.segments.values()
    assert (segment.code, segment.start, segment.end, segment.text) == ("Force", 0, 5, "Kazak")
    [(code, start, end, _, guid)] = _segments(sample_project)
    assert (code, start, end) == ("Force", 0, 5)
    command.undo(sample_project)
    assert _segments(sample_project) == []
    command.do(sample_project)
    assert _segments(sample_project) == [("Force", 0, 5, "", guid)]


def test_remove_undo_restores_the_same_coding(sample_project):
    add = AddCoding(document_id=2, code_id=1, start=10, end=20, coder="ana", memo="why")
    add.do(sample_project)
    before = _segments(sample_project)
    remove = RemoveCoding(add.added.id)
    remove.do(sample_project)
    assert _segments(sample_project) == []
    remove.undo(sample_project)
    assert _segments(sample_project) == before
    remove.do(sample_project)  # redo works on the restored row
    assert _segments(sample_project) == []


def test_edit_changes_code_and_memo_and_undo_reverts(sample_project):
    add = AddCoding(document_id=1, code_id=1, start=0, end=4, coder="ana")
    add.do(sample_project)
    edit = EditCoding(add.added.id, code_id=2, memo="re-read")
    edit.do(sample_project)
    assert _segments(sample_project)[0][:4] == ("Dissent", 0, 4, "re-read")
    assert code_counts(sample_project) == {2: 1}
    edit.undo(sample_project)
    assert _segments(sample_project)[0][:4] == ("State justification", 0, 4, "")
    before, after = update_coding(sample_project, add.added.id, memo="x").value
    assert (before.memo, after.memo) == ("", "x")


def test_counts_and_lookup_by_id(sample_project):
    from kzcoder.services.codings import codings_by_id

    add = AddCoding(document_id=1, code_id=1, start=0, end=4, coder="ana")
    add.do(sample_project)
    assert code_counts(sample_project, [1, 2]) == {1: 1, 2: 0}
    assert codings_by_id(sample_project, [add.added.id, 999]) == {add.added.id: add.added}
    add.undo(sample_project)
    assert codings_by_id(sample_project, [add.added.id]) == {}
