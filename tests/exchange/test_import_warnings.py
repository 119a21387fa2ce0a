"""A reader's warnings reach the user: the import report lists them and the command line
prints each on stderr as ``kzcoder: warning: …``, still exiting 0 when nothing was refused.

(End to end through services and the command line: the reader's side is tested in
test_text_reader.py and test_encoding_corpus.py.)
"""

from __future__ import annotations

from pathlib import Path

from kzcoder.cli.main import main
from kzcoder.core.records import DocumentInfo, ImportReport, Refusal
from kzcoder.services import documents
from kzcoder.services.project import Project

W_TXT = (b"The minister said: \xe2\x80\x9corder has been restored\xe2\x80\x9d \xe2\x80\x94 "
         b"Caf\xc3\xa9 owners disagreed. It\x92s over.\n")
W_TEXT = "The minister said: “order has been restored” — Café owners disagreed. It’s over.\n"
W_WARNING = ("w.txt: read as UTF-8; 1 byte was not UTF-8 and was taken as Windows-1252 "
             "(’ on line 1)")


def test_summary_lists_warnings_and_counts_the_documents_with_them():
    info = DocumentInfo(1, "g", "w", 10)
    report = ImportReport((info, DocumentInfo(2, "h", "x", 5)),
                          warnings=(Refusal(Path("w.txt"), W_WARNING),))
    assert report.summary_lines() == [
        f"warning {W_WARNING}",
        "imported 2 document(s) (1 with warnings), skipped 0 already in the project, refused 0"]


def test_summary_without_warnings_is_as_before():
    assert ImportReport().summary_lines() == [
        "imported 0 document(s), skipped 0 already in the project, refused 0"]


def test_import_keeps_the_text_and_reports_the_warning(project, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "w.txt").write_bytes(W_TXT)
    (folder / "clean.txt").write_text("clean", encoding="utf-8")
    report = documents.import_paths(project, [folder]).value
    assert [d.name for d in report.imported] == ["clean", "w"]
    assert report.warnings == (Refusal(folder / "w.txt", W_WARNING),)
    assert report.refused == ()
    assert documents.document_text(project, report.imported[1].id) == W_TEXT


def test_a_duplicate_brings_no_warning(project, tmp_path):
    (tmp_path / "w.txt").write_bytes(W_TXT)
    (tmp_path / "same.txt").write_text(W_TEXT, encoding="utf-8")
    report = documents.import_paths(project, [tmp_path / "same.txt", tmp_path / "w.txt"]).value
    assert len(report.imported) == 1 and len(report.duplicates) == 1
    assert report.warnings == ()


def test_command_line_prints_the_warning_on_stderr_and_exits_0(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    Project.create(path).close()
    (tmp_path / "w.txt").write_bytes(W_TXT)
    code = main(["import", str(path), str(tmp_path / "w.txt")])
    out, err = capfd.readouterr()
    assert code == 0
    assert err.splitlines() == [f"kzcoder: warning: {W_WARNING}"]
    assert out.splitlines()[-1] == ("imported 1 document(s) (1 with warnings), skipped 0 "
                                    "already in the project, refused 0")
    main(["show", str(path), "w"])
    assert capfd.readouterr().out == W_TEXT
