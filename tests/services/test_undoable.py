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


def _details(project, document_id):
    from kzcoder.services.documents import get_document

    info = get_document(project, document_id)
    return info.name, dict(info.attributes)


def test_edit_document_do_undo_redo_restores_exactly(sample_project):
    from kzcoder.services.undoable import EditDocument

    original = _details(sample_project, 1)
    command = EditDocument(1, name="Renamed", set_attributes={"title": "T", "section": "World"},
                           unset=("outlet",))
    assert command.text == "Edit document details"
    changes = command.do(sample_project)
    assert changes.documents == {1} and not changes.memos
    edited = _details(sample_project, 1)
    assert edited == ("Renamed", {"published": "2005-11-20", "section": "World", "title": "T"})
    assert command.undo(sample_project).documents == {1}
    assert _details(sample_project, 1) == original  # 'section' gone, 'outlet' back
    command.do(sample_project)
    assert _details(sample_project, 1) == edited
    command.undo(sample_project)
    assert _details(sample_project, 1) == original


def test_undoing_an_edit_restores_a_value_the_rules_would_refuse_now(sample_project):
    """An imported date the edit rules refuse still comes back exactly on undo."""
    from dataclasses import replace

    from kzcoder.services.documents import restore_document, update_document
    from kzcoder.services.undoable import EditDocument

    before = update_document(sample_project, 2, set_attributes={"outlet": "x"}).value[0]
    restore_document(sample_project, replace(before, attributes={
        **before.attributes, "published": "20 Dec 2011", "empty": ""}))
    original = _details(sample_project, 2)
    command = EditDocument(2, set_attributes={"published": "2011-12-20"})
    command.do(sample_project)
    command.undo(sample_project)
    assert _details(sample_project, 2) == original
    assert original[1]["published"] == "20 Dec 2011" and original[1]["empty"] == ""
