"""Original files: every import keeps the file byte for byte, in a table read only when asked
for, and ``kzcoder original`` gives it back exactly, or refuses with one line."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from kzcoder.cli.main import main
from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.services import originals, segments
from kzcoder.services.documents import document_text, import_paths, list_documents

FILES = {
    "crlf.txt": "The minister said:\r\n\u201corder has been restored\u201d\r\n".encode(),
    "utf8.txt": "Caf\u00e9 owners disagreed \u2014 \u049b\u0430\u0437\u0430\u049b.\n".encode(),
    "cp1251.txt": "\u0412\u043b\u0430\u0441\u0442\u0438 \u0437\u0430\u044f\u0432\u0438\u043b\u0438 "
                  "\u043e \u043f\u043e\u0440\u044f\u0434\u043a\u0435.\n".encode("cp1251") * 20,
    "bom.md": b"\xef\xbb\xbf# Title\n\nBody text.\n",
}


def imported(project, tmp_path: Path) -> dict[str, int]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    report = import_paths(project, [folder]).value
    assert not report.refused
    return {info.name: info.id for info in report.imported}


def rows(path: Path) -> dict[str, tuple]:
    with sqlite3.connect(path) as db:
        return {name: rest for name, *rest in db.execute(
            "SELECT file_name, media_type, size, sha256, data IS NULL FROM original_files")}


def test_every_imported_file_is_kept_and_given_back_byte_for_byte(project, tmp_path):
    ids = imported(project, tmp_path)
    kept = rows(project.path)
    for name, data in FILES.items():
        media_type, size, sha256, same_as_text = kept[name]
        assert (media_type, size, sha256) == ("text/plain", len(data),
                                              hashlib.sha256(data).hexdigest())
        # only a file that is exactly its stored text in UTF-8 is not stored twice
        stem = Path(name).stem
        assert same_as_text == (data == document_text(project, ids[stem]).encode())
        out = tmp_path / "out" / name
        out.parent.mkdir(exist_ok=True)
        info = originals.save_original(project, f"name:{stem}", out)
        assert out.read_bytes() == data
        assert info == originals.original_info(project, ids[stem])
    assert kept["utf8.txt"][3] and not kept["crlf.txt"][3] and not kept["bom.md"][3]


def test_the_originals_table_is_read_only_when_asked_for(project, tmp_path):
    ids = imported(project, tmp_path)
    statements: list[str] = []  # every statement, those through the DB-API connection too
    event.listen(project._engine, "checkout",
                 lambda connection, *_: connection.set_trace_callback(statements.append))
    list_documents(project)
    for document_id in ids.values():
        document_text(project, document_id)
    segments.list_segments(project)
    assert statements and not [s for s in statements if "original_files" in s]
    originals.original_info(project, ids["crlf"])
    assert [s for s in statements if "original_files" in s]


def test_a_file_that_changes_while_imported_is_refused_and_nothing_is_kept(
        project, tmp_path, monkeypatch):
    path = tmp_path / "moving.txt"
    # CRLF: the file is not its stored text, so its bytes are copied from it after reading
    path.write_bytes(b"first version of the article\r\n")
    real = readers.read_with

    def read_then_change(reader, file):
        result = real(reader, file)
        file.write_text("second, longer version of the article\n", encoding="utf-8")
        return result

    monkeypatch.setattr(readers, "read_with", read_then_change)
    report = import_paths(project, [path]).value
    assert [r.reason for r in report.refused] == [
        "moving.txt: not imported: the file changed while it was being imported; import it "
        "again"]
    assert list_documents(project) == [] and rows(project.path) == {}


def test_refusals_are_one_line_and_write_nothing(project, tmp_path):
    ids = imported(project, tmp_path)
    out = tmp_path / "exists.txt"
    out.write_bytes(b"keep me")
    with pytest.raises(KzError, match=r"exists\.txt: already exists; choose another name$"):
        originals.save_original(project, ids["crlf"], out)
    assert out.read_bytes() == b"keep me"
    originals.save_original(project, ids["crlf"], out, overwrite=True)
    assert out.read_bytes() == FILES["crlf.txt"]
    with pytest.raises(KzError, match="no such folder"):
        originals.save_original(project, ids["crlf"], tmp_path / "missing" / "x.txt")
    # a damaged original is refused, and no file appears
    with sqlite3.connect(project.path) as db:
        db.execute("UPDATE original_files SET data = x'00' || substr(data, 2) "
                   "WHERE file_name = 'cp1251.txt'")
    with pytest.raises(KzError, match="does not match its SHA-256"):
        originals.save_original(project, ids["cp1251"], tmp_path / "damaged.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.kzc", "empty.kzc-shm",
                                                          "empty.kzc-wal", "exists.txt", "in"]
    # a document imported before originals were kept
    with sqlite3.connect(project.path) as db:
        db.execute("DELETE FROM original_files WHERE file_name = 'utf8.txt'")
    with pytest.raises(KzError, match="^document 'utf8' has no original file kept"):
        originals.original_info(project, "utf8")


def test_the_original_command(tmp_path, capsys):
    project = tmp_path / "p.kzc"
    source = tmp_path / "w.txt"
    source.write_bytes(b"It\x92s over \xe2\x80\x94 Caf\xc3\xa9.\r\n")
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(source)]) == 0
    capsys.readouterr()
    assert main(["original", str(project), "id:1", "-o", str(tmp_path / "back.txt")]) == 0
    assert (tmp_path / "back.txt").read_bytes() == source.read_bytes()
    assert "(22 bytes, text/plain, SHA-256 " in capsys.readouterr().err
    assert main(["original", str(project), "w", "-o", str(tmp_path / "back.txt")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["original", str(project), "nothing", "-o", str(tmp_path / "x.txt")]) == 1
    assert "nothing" in capsys.readouterr().err
    assert main(["original", str(project), "w"]) == 2  # -o is required


def test_written_files_get_the_users_usual_permissions(project, tmp_path):
    import os

    ids = imported(project, tmp_path)
    out = tmp_path / "back.txt"
    originals.save_original(project, ids["crlf"], out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
