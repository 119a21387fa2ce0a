import codecs

from kzcoder.services.documents import (
    document_text,
    get_document,
    import_paths,
    list_documents,
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
        "photo.jpg: not a supported document (accepted: .md, .txt)",
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
