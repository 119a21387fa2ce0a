import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.codebook_json import read_codebook_json
from kzcoder.exchange.manifest import read_manifest


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
