import pytest

from kzcoder.core.errors import KzError
from kzcoder.services.codebook.editing import add_code, get_code, list_codes
from kzcoder.services.codings import (
    add_coding,
    document_spans,
    remove_coding,
    restore_coding,
)
from kzcoder.services.documents import import_paths
from kzcoder.services.project import Project
from kzcoder.services.segments import list_segments

TEXT = "Ала 😀 Қазақ e\u0301 end 𠀀 tail"


@pytest.fixture
def doc_project(project, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_paths(project, [path])
    add_code(project, "Force", "#CC79A7", shortcut="3")
    add_code(project, "Dissent", "#E69F00")
    return project


def test_coding_covers_exact_code_points(doc_project):
    start = TEXT.index("Қазақ")
    added = add_coding(doc_project, "doc", "Force", start, start + 5, coder="ana", memo="m")
    assert added.changes.codings == {added.value.id}
    [segment] = list_segments(doc_project)
    assert segment.text == "Қазақ"
    assert (segment.document, segment.code, segment.coder, segment.memo) == (
        "doc", "Force", "ana", "m")


def test_segments_after_astral_characters_are_exact(doc_project):
    for piece in ("😀", "e\u0301", "𠀀 tail", TEXT):
        start = TEXT.index(piece)
        add_coding(doc_project, "doc", "Dissent", start, start + len(piece), coder="c")
    texts = [s.text for s in list_segments(doc_project, code="Dissent")]
    assert sorted(texts) == sorted(["😀", "e\u0301", "𠀀 tail", TEXT])


def test_bad_codings_change_nothing(doc_project):
    for call, message in [
        (lambda: add_coding(doc_project, "doc", "Force", 0, len(TEXT) + 1, coder="c"),
         "past the end of 'doc'"),
        (lambda: add_coding(doc_project, "doc", "Nope", 0, 1, coder="c"), "no code named"),
        (lambda: add_coding(doc_project, "nodoc", "Force", 0, 1, coder="c"), "no document"),
        (lambda: add_coding(doc_project, "doc", "Force", 3, 3, coder="c"), "greater than"),
    ]:
        with pytest.raises(KzError, match=message):
            call()
    assert list_segments(doc_project) == []
    assert document_spans(doc_project, 1) == []


def test_remove_returns_the_coding_and_it_can_be_restored_identically(doc_project):
    added = add_coding(doc_project, "doc", "Force", 0, 3, coder="c", memo="note").value
    removed = remove_coding(doc_project, added.id).value
    assert list_segments(doc_project) == []
    restored = restore_coding(doc_project, removed).value
    assert restored == added  # the same id, GUID, creation time, coder and memo
    with pytest.raises(KzError, match="exists already"):
        restore_coding(doc_project, removed)
    with pytest.raises(KzError, match="no coding numbered 999"):
        remove_coding(doc_project, 999)


def test_segment_filters(doc_project):
    add_coding(doc_project, "doc", "Force", 0, 3, coder="ana")
    add_coding(doc_project, "doc", "Dissent", 2, 6, coder="bo")
    assert [s.code for s in list_segments(doc_project, coder="bo")] == ["Dissent"]
    assert [s.coder for s in list_segments(doc_project, code="Force")] == ["ana"]
    with pytest.raises(KzError, match="no coder named 'zed'"):
        list_segments(doc_project, coder="zed")


def test_codings_survive_reopening(doc_project):
    add_coding(doc_project, "doc", "Force", 4, 5, coder="c")
    doc_project.close()
    with Project.open(doc_project.path) as reopened:
        assert [s.text for s in list_segments(reopened)] == ["😀"]


def test_code_rules(project):
    parent = add_code(project, "Parent", "#112233", shortcut="1").value
    child = add_code(project, "Child", "#abcdef", parent="Parent").value
    assert child.parent_id == parent.id and child.color == "#ABCDEF"
    add_code(project, "Child", "#000000")  # same name at another level is fine
    with pytest.raises(KzError, match="already exists there"):
        add_code(project, "Child", "#000000", parent=parent.id)
    with pytest.raises(KzError, match="already used by 'Parent'"):
        add_code(project, "Other", "#000000", shortcut="1")
    with pytest.raises(KzError, match="keys 1 to 9"):
        add_code(project, "Other", "#000000", shortcut="x")
    with pytest.raises(KzError, match="more than one code is named 'Child'"):
        get_code(project, "Child")
    assert [c.name for c in list_codes(project)] == ["Parent", "Child", "Child"]


def test_bulk_add_checks_every_item_before_writing(doc_project):
    from kzcoder.services.codings import add_codings

    with pytest.raises(KzError, match="past the end of document 1"):
        add_codings(doc_project, [(1, 1, 0, 3), (1, 1, 0, len(TEXT) + 1)], coder="c")
    with pytest.raises(KzError, match="item 1: no code numbered 9"):
        add_codings(doc_project, [(1, 9, 0, 3)], coder="c")
    assert list_segments(doc_project) == []
    assert add_codings(doc_project, [(1, 1, 0, 3), (1, 2, 4, 5)], coder="c") == 2
    found = list_segments(doc_project)
    assert [s.text for s in found] == [TEXT[0:3], "😀"]
    from kzcoder.services.codings import codings_by_id

    assert len({c.guid for c in codings_by_id(doc_project, [s.id for s in found]).values()}) == 2


def test_document_spans_all_or_around_a_region(doc_project):
    add_coding(doc_project, "doc", "Force", 0, 3, coder="ana", memo="first")
    add_coding(doc_project, "doc", "Dissent", 2, 8, coder="bo")
    add_coding(doc_project, "doc", "Force", 10, 20, coder="ana")
    spans = document_spans(doc_project, 1)
    assert [(s.start, s.end, s.coder, s.memo) for s in spans] == [
        (0, 3, "ana", "first"), (2, 8, "bo", ""), (10, 20, "ana", "")]
    assert [(s.start, s.end) for s in document_spans(doc_project, 1, start=3, end=10)] == [
        (2, 8)]
    assert [(s.start, s.end) for s in document_spans(doc_project, 1, start=8, end=11)] == [
        (10, 20)]


def test_segment_list_is_a_sequence_built_on_reading(doc_project):
    add_coding(doc_project, "doc", "Force", 10, 20, coder="ana", memo="m")
    add_coding(doc_project, "doc", "Dissent", 0, 3, coder="bo")
    found = list_segments(doc_project)
    assert len(found) == 2
    assert [s.start for s in found] == [0, 10]
    assert found[-1].memo == "m" and found[-1].text == TEXT[10:20]
    assert found[0:1] == [found[0]]
    assert found.order_key(1) == (1, 10, 20, found[1].id)
    assert found == list(found) and found != []


@pytest.mark.parametrize("text_kept", [False, True])
def test_a_coding_carries_its_segment_and_count(tmp_path, text_kept):
    from kzcoder.services.documents import document_text

    source = tmp_path / "emoji.txt"
    source.write_text("Smile 😀 then 𝕏 marks the spot.\n", encoding="utf-8")
    with Project.create(tmp_path / "p.kzc") as project:
        [doc] = import_paths(project, [source]).value.imported
        code = add_code(project, "Force", "#009E73").value
        if text_kept:  # the window has read it: the segment is cut from the kept text
            document_text(project, doc.id)
        changed = add_coding(project, doc.id, code.id, 6, 14, coder="ana")
        segment = changed.changes.segments[changed.value.id]
        assert segment.text == "😀 then 𝕏" == document_text(project, doc.id)[6:14]
        assert changed.changes.counts == {code.id: 1}
        assert changed.changes.coded_documents == {doc.id}
