import codecs

import pytest

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.services.documents import (
    check_published,
    document_text,
    get_document,
    import_paths,
    list_documents,
    restore_document,
    update_document,
)


def _write(folder, name, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


def test_import_files_and_folders_with_refusals_and_duplicates(project, tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    good = _write(src, "a.txt", b"alpha\r\n")
    _write(src / "sub", "b.md", codecs.BOM_UTF8 + b"beta")
    _write(src, "empty.txt", b"")
    _write(src, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    _write(src, "photo.jpg", b"\xff\xd8")
    _write(src, ".hidden.txt", b"hidden")
    report = import_paths(project, [src, tmp_path / "missing.txt"]).value

    assert [d.name for d in report.imported] == ["a", "b"]
    assert sorted(r.reason for r in report.refused) == [
        f"{tmp_path / 'missing.txt'}: no such file or folder",
        "empty.txt: empty file",
        "image.txt: binary file, not text",
        f"photo.jpg: not a supported document (accepted: {readers.describe_accepted()})",
    ]
    assert document_text(project, report.imported[0].id) == "alpha\n"

    again = import_paths(project, [good]).value
    assert again.imported == ()
    assert [r.reason for r in again.duplicates] == ["a.txt: already in the project as 'a'"]
    assert len(list_documents(project)) == 2


def test_same_text_in_another_encoding_is_a_duplicate(project, tmp_path):
    one = _write(tmp_path, "one.txt", "Қазақ".encode())
    two = _write(tmp_path, "two.txt", "Қазақ".encode("utf-16"))
    report = import_paths(project, [one, two]).value
    assert len(report.imported) == 1 and len(report.duplicates) == 1


def test_names_stay_unique(project, tmp_path):
    (tmp_path / "x").mkdir()
    a = _write(tmp_path, "same.txt", b"one")
    b = _write(tmp_path / "x", "same.txt", b"two")
    report = import_paths(project, [a, b]).value
    assert [d.name for d in report.imported] == ["same", "same (2)"]


def test_manifest_beside_files_gives_attributes(project, tmp_path):
    _write(tmp_path, "manifest.csv", b"file,title,published\nart.txt,The Title,2022-01-07\n")
    art = _write(tmp_path, "art.txt", b"text")
    [doc] = import_paths(project, [art]).value.imported
    assert (doc.title, doc.published) == ("The Title", "2022-01-07")
    assert get_document(project, "art").attributes == {"title": "The Title",
                                                      "published": "2022-01-07"}


def test_progress_is_reported_and_can_stop(project, tmp_path):
    files = [_write(tmp_path, f"f{i}.txt", f"text {i}".encode()) for i in range(5)]
    seen = []

    def progress(done, total, name):
        seen.append((done, total))
        return done < 2

    report = import_paths(project, files, progress=progress).value
    assert len(report.imported) == 2
    assert seen[:3] == [(0, 5), (1, 5), (2, 5)]


def test_documents_are_found_by_name_before_id(project, tmp_path):
    first = _write(tmp_path, "first.txt", b"1")
    named_2 = _write(tmp_path, "2.txt", b"named two")
    import_paths(project, [first, named_2])
    assert get_document(project, "1").name == "first"
    assert get_document(project, "2").name == "2"


# --- editing a document's details ------------------------------------------------------------

def _dump(project) -> list[str]:
    import sqlite3

    connection = sqlite3.connect(project.path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_update_document_renames_and_sets_and_unsets(sample_project):
    result = update_document(sample_project, 1, name="  Security forces  ",
                             set_attributes={" title ": " New title ", "section": "World"},
                             unset=["outlet", "absent"])
    before, after = result.value
    assert before.name == "2005-11-20_kazak-security-forces-bracing-for-trouble"
    assert before.attributes == {"outlet": "IWPR", "published": "2005-11-20",
                                 "title": "Kazak Security Forces Bracing for Trouble"}
    assert after.name == "Security forces"
    assert after.attributes == {"published": "2005-11-20", "section": "World",
                                "title": "New title"}
    assert result.changes == Changes(documents=frozenset({1}))
    assert not result.changes.memos and not result.changes.document_list
    stored = get_document(sample_project, "Security forces")
    assert (stored.id, stored.attributes) == (1, after.attributes)


def test_an_empty_value_unsets_and_the_name_may_stay(sample_project):
    before, after = update_document(sample_project, "2", set_attributes={"outlet": "  "}).value
    assert after.name == before.name
    assert "outlet" not in after.attributes and "outlet" in before.attributes
    assert get_document(sample_project, 2).attributes == after.attributes


def test_a_document_with_no_attributes_gets_some(project, tmp_path):
    [doc] = import_paths(project, [_write(tmp_path, "bare.txt", b"text")]).value.imported
    assert doc.attributes == {}
    after = update_document(project, "bare", set_attributes={
        "title": "Bare", "outlet": "Nowhere", "published": "2022-01"}).value[1]
    assert (after.title, after.outlet, after.published) == ("Bare", "Nowhere", "2022-01")


@pytest.mark.parametrize("value", ["2022-01-07", "2022-01", "2022", " 2024-02-29 "])
def test_published_dates_accepted(value):
    assert check_published(value) == value.strip()


@pytest.mark.parametrize("value", ["2022-13-40", "2023-02-29", "2022-1-7", "07.01.2022",
                                   "22", "2022-00", "January 2022", "2022-01-07T10:00"])
def test_published_dates_refused_in_one_line(value):
    with pytest.raises(KzError) as caught:
        check_published(value)
    assert str(caught.value) == (f"published date '{value}' is not a date: use YYYY-MM-DD, "
                                 "YYYY-MM or YYYY")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"set_attributes": {"published": "2022-13-40"}}, "published date '2022-13-40' is not"),
    ({"name": "2022-01-07_kazakh-president-gives-shoot-to-kill-order"},
     "a document named '2022-01-07_kazakh-president-gives-shoot-to-kill-order' already exists"),
    ({"name": "   "}, "a document needs a name"),
    ({"set_attributes": {" ": "x"}}, "an attribute needs a name"),
    ({"unset": [""]}, "an attribute needs a name"),
    ({"set_attributes": {"title": "x"}, "unset": ["title"]}, "'title' is both set and unset"),
])
def test_a_refused_edit_changes_nothing(sample_project, kwargs, message):
    before = _dump(sample_project)
    # a valid part alongside the refused one must not go in either
    kwargs = {"set_attributes": {"outlet": "Changed", **kwargs.pop("set_attributes", {})},
              **kwargs}
    with pytest.raises(KzError, match=message):
        update_document(sample_project, 1, **kwargs)
    assert _dump(sample_project) == before


def test_an_unknown_document_is_refused(sample_project):
    with pytest.raises(KzError, match="no document named or numbered 'nope'"):
        update_document(sample_project, "nope", name="x")


def test_restore_document_puts_back_name_and_exact_attributes(sample_project):
    original = get_document(sample_project, 3)
    update_document(sample_project, 3, name="three", set_attributes={"extra": "1"},
                    unset=["title"])
    result = restore_document(sample_project, original)
    assert result.changes == Changes(documents=frozenset({3}))
    restored = get_document(sample_project, 3)
    assert (restored.name, restored.attributes) == (original.name, original.attributes)
