"""References to documents and codes: id:N, name:TEXT, bare, and ints (the window's ids)."""

from __future__ import annotations

import pytest

from kzcoder.core.errors import KzError
from kzcoder.services import references
from kzcoder.services.codebook.editing import add_code, get_code
from kzcoder.services.documents import get_document, import_paths
from kzcoder.services.segments import list_segments


@pytest.mark.parametrize(("ref", "expected"), [
    ("id:2", (2, None)),
    ("id: 2 ", (2, None)),
    ("id:0002", (2, None)),
    ("name:2", (None, "2")),
    ("name:", (None, "")),
    ("name:id:2", (None, "id:2")),
    ("2", (2, "2")),
    ("Force", (None, "Force")),
    ("-1", (None, "-1")),
    ("²", (None, "²")),
    ("٢", (None, "٢")),  # an Arabic-Indic two: int() would take it, an id is ASCII
    ("99999999999999999999", (None, "99999999999999999999")),
    ("9223372036854775807", (2**63 - 1, "9223372036854775807")),
    ("id:9223372036854775808", (None, None)),
    ("id:-1", (None, None)),
    ("id:abc", (None, None)),
    ("id:" + "9" * 5000, (None, None)),  # past Python's int-from-text limit: no ValueError
    (2, (2, None)),
    (0, (None, None)),
    (-3, (None, None)),
    (10**20, (None, None)),
])
def test_parse(ref, expected):
    parsed = references.parse(ref)
    assert (parsed.id, parsed.name) == expected


@pytest.fixture
def numbered(project, tmp_path):
    """Documents named 3, 1, 2 imported in that order: ids 1, 2, 3; and 'notes', id 4."""
    for name in ("3", "1", "2", "notes"):
        (tmp_path / f"{name}.txt").write_text(f"text of {name}", encoding="utf-8")
    import_paths(project, [tmp_path / f"{n}.txt" for n in ("3", "1", "2", "notes")])
    return project


def test_a_bare_number_naming_one_document_and_numbering_another_is_refused(numbered):
    with pytest.raises(KzError) as caught:
        get_document(numbered, "2")
    assert str(caught.value) == ("'2' is ambiguous: document named '2' (id 3) and document id "
                                 "2 ('1'); write id:2 or name:2")


def test_id_and_name_prefixes_say_which(numbered):
    assert (get_document(numbered, "id:2").id, get_document(numbered, "id:2").name) == (2, "1")
    assert (get_document(numbered, "name:2").id, get_document(numbered, "name:2").name) == (
        3, "2")


def test_a_bare_reference_matching_one_way_only_is_that_one(numbered):
    assert get_document(numbered, "4").name == "notes"  # no document is named "4"
    assert get_document(numbered, "notes").id == 4
    with pytest.raises(KzError, match=r"^no document named or numbered '5'$"):
        get_document(numbered, "5")


def test_the_same_document_by_name_and_by_id_is_not_ambiguous(project, tmp_path):
    (tmp_path / "1.txt").write_text("one", encoding="utf-8")
    import_paths(project, [tmp_path / "1.txt"])
    assert get_document(project, "1").id == 1


def test_ints_are_ids(numbered):
    assert get_document(numbered, 3).name == "2"
    with pytest.raises(KzError, match=r"^no document numbered 7$"):
        get_document(numbered, 7)
    with pytest.raises(KzError, match=r"^no document numbered 100000000000000000000$"):
        get_document(numbered, 10**20)


@pytest.mark.parametrize(("ref", "message"), [
    ("id:99999999999999999999", "no document numbered 99999999999999999999"),
    ("id:-1", "no document numbered -1"),
    ("id:²", "no document numbered '²'"),
    ("id:", "no document numbered ''"),
    ("99999999999999999999", "no document named or numbered '99999999999999999999'"),
    ("²", "no document named or numbered '²'"),
    ("-1", "no document named or numbered '-1'"),
    ("name:nobody", "no document named 'nobody'"),
])
def test_numbers_no_document_can_have_match_nothing(numbered, ref, message):
    with pytest.raises(KzError) as caught:
        get_document(numbered, ref)
    assert str(caught.value) == message


def test_codes_sharing_a_name_under_different_parents_need_an_id(sample_project):
    dissent = get_code(sample_project, "Dissent")
    twin = add_code(sample_project, "Force", "#112233", parent=dissent.id).value
    original = get_code(sample_project, "id:3")
    assert original.name == "Force" and original.parent_id is None
    for ref in ("Force", "name:Force"):
        with pytest.raises(KzError) as caught:
            get_code(sample_project, ref)
        assert str(caught.value) == (f"more than one code is named 'Force' (ids 3, "
                                     f"{twin.id}); write id:N with one of them")
    assert get_code(sample_project, f"id:{twin.id}").parent_id == dissent.id


def test_a_code_named_like_another_codes_id_is_ambiguous(sample_project):
    named = add_code(sample_project, "1", "#112233").value
    with pytest.raises(KzError, match=r"^'1' is ambiguous: code named '1' \(id 5\) and code "
                                      r"id 1 \('State justification'\); write id:1 or name:1$"):
        get_code(sample_project, "1")
    assert get_code(sample_project, "name:1").id == named.id
    assert get_code(sample_project, "id:1").name == "State justification"


def test_segment_filters_follow_the_same_rule(numbered):
    add_code(numbered, "Force", "#112233")
    with pytest.raises(KzError, match="is ambiguous"):
        list_segments(numbered, document="2")
    assert list(list_segments(numbered, document="id:2")) == []
    with pytest.raises(KzError, match="no code numbered 9"):
        list_segments(numbered, code="id:9")
