import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.codebook.json_file import read_codebook_json
from kzcoder.exchange.manifest import load_manifest, read_manifest


def test_manifest_columns_become_attributes(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text('file,title,outlet\na.txt,"Title, with comma",IWPR\nb.txt,,\n',
                    encoding="utf-8")
    assert read_manifest(path) == {"a.txt": {"title": "Title, with comma", "outlet": "IWPR"},
                                   "b.txt": {}}


def test_manifest_without_file_column_is_refused(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("name,title\n", encoding="utf-8")
    with pytest.raises(KzError, match="needs a 'file' column"):
        read_manifest(path)


def test_a_file_listed_twice_refuses_the_manifest_naming_both_lines(tmp_path):
    # The later row never wins silently. Line numbers are the file's own: a quoted value
    # spanning two lines and a blank line count.
    path = tmp_path / "manifest.csv"
    path.write_bytes(b'file,title\r\na.txt,"two\r\nlines"\r\n\r\nb.txt,B\r\na.txt,Again\r\n')
    with pytest.raises(KzError) as info:
        read_manifest(path)
    assert str(info.value) == (f"{path}: a.txt is listed twice (lines 2 and 6); keep one row "
                               "per file")


def test_a_row_naming_no_file_gives_its_line(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text('file,title\na.txt,"x\ny"\n,orphan\n', encoding="utf-8")
    with pytest.raises(KzError, match=r"manifest\.csv: line 4 names no file$"):
        read_manifest(path)


def test_a_column_named_twice_is_refused(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("file,title, title\na.txt,One,Two\n", encoding="utf-8")
    with pytest.raises(KzError, match=r"manifest\.csv: column 'title' appears twice$"):
        read_manifest(path)


def test_a_line_separator_inside_a_value_stays_in_it(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("file,title\na.txt,one\u2028two\x85three\n", encoding="utf-8")
    assert read_manifest(path) == {"a.txt": {"title": "one\u2028two\x85three"}}


def test_invalid_csv_is_refused_in_one_line(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("file,title\na.txt," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(KzError, match=r"manifest\.csv: line 2 is not valid CSV \(field larger"):
        read_manifest(path)


def test_a_manifests_encoding_warnings_are_kept(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes("file,title\na.txt,“Café” — ".encode() + b"it\x92s over\n")
    manifest = load_manifest(path)
    assert manifest.rows == {"a.txt": {"title": "“Café” — it’s over"}}
    assert manifest.warnings == ("manifest.csv: read as UTF-8; 1 byte was not UTF-8 and was "
                                 "taken as Windows-1252 (’ on line 2)",)


def test_codebook_json_nests_children(tmp_path):
    path = tmp_path / "cb.json"
    path.write_text('{"codes": [{"name": "A", "color": "#000000", "children": '
                    '[{"name": "B", "color": "#FFFFFF"}]}]}', encoding="utf-8")
    [entry] = read_codebook_json(path)
    assert entry.name == "A"
    assert [child.name for child in entry.children] == ["B"]


def test_codebook_json_errors_name_the_entry(tmp_path):
    path = tmp_path / "cb.json"
    path.write_text('{"codes": [{"name": "A"}]}', encoding="utf-8")
    with pytest.raises(KzError, match=r"cb.json: code 1 \('A'\) needs a 'color'"):
        read_codebook_json(path)
