"""The command line, run in-process through main() and, for the wiring, as a real process."""

from __future__ import annotations

import codecs
import json
import sqlite3
import subprocess
import sys

import pytest

from kzcoder import __version__
from kzcoder.cli.main import main
from kzcoder.paths import resource
from kzcoder.services.codebook.editing import add_code
from kzcoder.services.project import Project


def run(capfd, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def snapshot(path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def sample(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    return path


def test_new_sample_lists_articles_and_codes(sample, capfd):
    code, out, _ = run(capfd, "docs", sample, "--json")
    docs = json.loads(out)
    assert code == 0 and len(docs) == 5
    assert docs[1]["attributes"]["title"] == "Kazakhstan defends use of force against protesters"
    assert {"id", "name", "length", "attributes"} <= set(docs[0])
    code, out, _ = run(capfd, "codes", sample)
    for name in ("State justification", "Dissent", "Force", "International reaction"):
        assert name in out
    assert out.count("Do not code:") == 4
    codes = json.loads(run(capfd, "codes", sample, "--json")[1])
    assert [c["shortcut"] for c in codes] == ["1", "2", "3", "4"]


ENCODED = {
    "emoji.txt": ("Protest 😀 in Almaty 🇰🇿 today 𝕏 end".encode(), "𝕏 end"),
    "kazakh.txt": ("Митинг в Алматы. Қазақстан, Жаңаөзен — ұлттық.".encode(), "Қазақстан"),
    "combining.txt": ("Cafe\u0301 Zhanaozen\u0306 e\u0301\u0301 x".encode(), "e\u0301\u0301"),
    "crlf.txt": (b"line one\r\nline two\r\nline three", "two\nline"),
    "bom.txt": (codecs.BOM_UTF8 + "после BOM 😀 text".encode(), "😀 text"),
    "utf16.txt": ("UTF-16 😀 Қазақ text".encode("utf-16"), "Қазақ"),
    "cp1251.txt": (("Власти заявили, что полиция применила оружие только после нападения. "
                    "Митингующие требовали повышения зарплаты.\n").encode("cp1251") * 3,
                   "полиция применила оружие"),
}


def test_spans_come_back_exactly_after_reopening(tmp_path, capfd):
    project = tmp_path / "enc.kzc"
    run(capfd, "new", project)
    for name, (data, _) in ENCODED.items():
        (tmp_path / name).write_bytes(data)
    code, out, err = run(capfd, "import", project, *(tmp_path / n for n in ENCODED))
    assert code == 0, err
    assert "imported 7 document(s)" in out
    expected = {}
    for name, (_, piece) in ENCODED.items():
        stored = run(capfd, "show", project, name[:-4])[1]
        expected[name[:-4]] = (stored, stored.index(piece), piece)
    with Project.open(project) as opened:  # the command line has no codebook editing yet
        add_code(opened, "Force", "#CC79A7")
    ids = {}
    for doc, (_, start, piece) in expected.items():
        code, out, err = run(capfd, "code", project, doc, "Force", start, start + len(piece),
                             "--coder", "ana", "--memo", "μ")
        assert code == 0, err
        ids[doc] = int(out)
    segments = json.loads(run(capfd, "segments", project, "--json")[1])
    by_doc = {s["document"]: s for s in segments}
    for doc, (stored, start, piece) in expected.items():
        segment = by_doc[doc]
        assert segment["text"] == piece == stored[start:start + len(piece)]
        assert (segment["start"], segment["end"]) == (start, start + len(piece))
        assert (segment["id"], segment["coder"], segment["memo"]) == (ids[doc], "ana", "μ")
    assert "\r" not in expected["crlf"][0]
    assert not expected["bom"][0].startswith("\ufeff")


def test_show_prints_stored_text_byte_for_byte(sample):
    out = subprocess.run([sys.executable, "-m", "kzcoder", "show", str(sample), "2"],
                         capture_output=True, check=True).stdout
    original = resource("sample_corpus",
                        "2011-12-20_kazakhstan-defends-use-of-force-against-protesters.txt")
    assert out == original.read_bytes()


def test_code_and_uncode(sample, capfd):
    code, out, _ = run(capfd, "code", sample, "1", "Force", 0, 5, "--coder", "bo")
    coding_id = out.strip()
    segments = json.loads(run(capfd, "segments", sample, "--code", "Force", "--json")[1])
    assert [(s["id"], s["text"], s["coder"]) for s in segments] == [
        (int(coding_id), "Kazak", "bo")]
    assert run(capfd, "uncode", sample, coding_id)[0] == 0
    assert json.loads(run(capfd, "segments", sample, "--json")[1]) == []


@pytest.mark.parametrize(("args", "message"), [
    (["code", "{p}", "1", "Force", "0", "999999"], "past the end of"),
    (["code", "{p}", "1", "Force", "-1", "3"], "negative"),
    (["code", "{p}", "1", "Nonexistent", "0", "3"], "no code named or numbered 'Nonexistent'"),
    (["code", "{p}", "nodoc", "Force", "0", "3"], "no document named or numbered 'nodoc'"),
    (["code", "{p}", "1", "Force", "zero", "3"], "invalid int value: 'zero'"),
    (["uncode", "{p}", "42"], "no coding numbered 42"),
    (["segments", "{p}", "--code", "Nope"], "no code named"),
])
def test_errors_are_one_line_and_change_nothing(sample, capfd, args, message):
    before = snapshot(sample)
    code, out, err = run(capfd, *[a.format(p=sample) for a in args])
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(sample) == before


def test_binary_and_empty_files_are_refused_by_name_and_change_nothing(sample, tmp_path, capfd):
    (tmp_path / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "blank.txt").write_bytes(b"")
    before = snapshot(sample)
    for name, reason in (("scan.txt", "binary file"), ("blank.txt", "empty file")):
        code, _, err = run(capfd, "import", sample, tmp_path / name)
        assert code == 1
        assert err.strip().splitlines() == [f"kzcoder: refused {name}: {reason}" +
                                            (", not text" if reason == "binary file" else "")]
    assert snapshot(sample) == before


def test_a_refused_file_does_not_stop_the_others(sample, tmp_path, capfd):
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("good", encoding="utf-8")
    code, out, err = run(capfd, "import", sample, tmp_path / "bad.txt", tmp_path / "good.txt")
    assert code == 1 and "bad.txt: empty file" in err
    assert "imported 1 document(s)" in out


def test_duplicates_are_reported_and_skipped(sample, capfd):
    code, out, err = run(capfd, "import", sample, resource("sample_corpus"))
    assert code == 1 and "codebook.json: not a supported document (accepted: .pdf" in err
    assert out.count("skipped 20") == 5
    assert len(json.loads(run(capfd, "docs", sample, "--json")[1])) == 5


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such project file"),
    (b"hello", "not a kzcoder project file"),
])
def test_not_a_project_is_one_clear_line(tmp_path, capfd, content, message):
    path = tmp_path / "x.kzc"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(capfd, "docs", path)
    assert code == 1 and err.strip() == f"kzcoder: {path}: {message}"
    assert (path.read_bytes() if content is not None else not path.exists()) in (content, True)


def test_new_refuses_to_overwrite(sample, capfd):
    before = snapshot(sample)
    code, _, err = run(capfd, "new", sample, "--sample")
    assert code == 1 and "already exists" in err
    assert snapshot(sample) == before


def test_real_process_version_and_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kzcoder", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.stdout.strip() == f"kzcoder {__version__}"
    result = subprocess.run([sys.executable, "-m", "kzcoder", "docs", str(tmp_path / "n.kzc")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == f"kzcoder: {tmp_path / 'n.kzc'}: no such project file"


def test_command_line_does_not_import_qt(tmp_path):
    script = ("import sys; from kzcoder.cli.main import main; "
              f"main(['new', r'{tmp_path / 'q.kzc'}', '--sample']); "
              "print(any(m.startswith('PySide6') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("False")


def test_doc_edit_renames_sets_and_unsets(sample, capfd):
    code, out, err = run(capfd, "doc-edit", sample, "1", "--name", "Bracing",
                         "--set", "title=Bracing for trouble", "--set", "published=2005-11",
                         "--set", "note=a=b", "--unset", "outlet", "--unset", "absent")
    assert code == 0, err
    listed = run(capfd, "docs", sample)[1].splitlines()
    assert out.splitlines() == [listed[0]]
    assert listed[0] == ("1\tBracing\t6490\tnote=a=b; published=2005-11; "
                         "title=Bracing for trouble")
    doc = json.loads(run(capfd, "docs", sample, "--json")[1])[0]
    assert doc["attributes"] == {"note": "a=b", "published": "2005-11",
                                 "title": "Bracing for trouble"}
    code, out, _ = run(capfd, "doc-edit", sample, "Bracing", "--set", "note=")
    assert code == 0 and out == "1\tBracing\t6490\tpublished=2005-11; title=Bracing for trouble\n"


@pytest.mark.parametrize(("args", "message", "status"), [
    (["--set", "published=2022-13-40"],
     "kzcoder: published date '2022-13-40' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", 1),
    (["--set", "title"], "argument --set: 'title' is not KEY=VALUE", 2),
    (["--set", "=x"], "kzcoder: an attribute needs a name", 1),
    (["--name", "2022-01-12_protesters-fear-prosecution-and-crackdown"],
     "already exists", 1),
])
def test_doc_edit_refusals_are_one_line_and_change_nothing(sample, capfd, args, message,
                                                           status):
    before = snapshot(sample)
    code, out, err = run(capfd, "doc-edit", sample, "1", "--set", "outlet=changed", *args)
    assert code == status and out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(sample) == before


def test_doc_edit_of_an_unknown_document_changes_nothing(sample, capfd):
    before = snapshot(sample)
    code, _, err = run(capfd, "doc-edit", sample, "nodoc", "--set", "title=x")
    assert code == 1 and err.strip() == "kzcoder: no document named or numbered 'nodoc'"
    assert snapshot(sample) == before
