"""``kzcoder export`` and ``kzcoder import-project`` on the command line: every format is
written and named, refusals are one line that write nothing, and a ``.qdpx`` comes back as a
project holding the same codings."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import run, snapshot


@pytest.fixture
def coded(tmp_path, capfd):
    """The sample project with three codings by two coders, one with a memo."""
    path = tmp_path / "p.kzc"
    p = str(path)
    assert run(capfd, "new", p, "--sample")[0] == 0
    assert run(capfd, "code", p, "id:1", "Force", "0", "12", "--coder", "ana")[0] == 0
    assert run(capfd, "code", p, "id:2", "Dissent", "5", "40", "--coder", "bek",
               "--memo", "=1+1 is not a formula")[0] == 0
    assert run(capfd, "code", p, "id:2", "Force", "30", "60", "--coder", "ana")[0] == 0
    return path


def _segments(capfd, path) -> list[dict]:
    code, out, err = run(capfd, "segments", str(path), "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "qdpx", "html"])
def test_every_format_is_written_and_named(coded, capfd, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    code, stdout, err = run(capfd, "export", coded, "--format", fmt, "-o", out)
    assert (code, err) == (0, "")
    assert stdout.startswith(f"wrote {out} (") and stdout.count("\n") == 1
    assert out.is_file() and out.stat().st_size > 0
    texts = sorted(s["text"] for s in _segments(capfd, coded))
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
        assert sorted(r["text"] for r in rows) == texts
        assert {r["memo"] for r in rows} == {"", "'=1+1 is not a formula"}  # neutralised
    elif fmt == "xlsx":
        sheet = load_workbook(out, read_only=True)["segments"]
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert sorted(r[header.index("text")] for r in rows) == texts
    elif fmt == "json":
        assert sorted(s["text"] for s in json.loads(out.read_text("utf-8"))["segments"]) == texts
    elif fmt == "qdpx":
        assert "project.qde" in zipfile.ZipFile(out).namelist()
    else:
        page = out.read_text("utf-8")
        assert page.startswith("<!DOCTYPE html>") and "Dissent" in page


def test_filters_select_segments(coded, capfd, tmp_path):
    out = tmp_path / "force.csv"
    code, _out, err = run(capfd, "export", coded, "--format", "csv", "-o", out,
                          "--code", "Force", "--coder", "ana")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [(r["code"], r["coder"]) for r in rows] == [("Force", "ana")] * 2


@pytest.mark.parametrize("args, says", [
    (("--format", "qdpx", "--code", "Force"), "whole project"),
    (("--format", "csv", "--code", "No such code"), "No such code"),
    (("--format", "csv", "--doc", "id:99"), "99"),
])
def test_refusals_are_one_line_and_write_nothing(coded, capfd, tmp_path, args, says):
    before = snapshot(coded)
    out = tmp_path / "refused.out"
    code, stdout, err = run(capfd, "export", coded, "-o", out, *args)
    assert (code, stdout) == (1, "")
    assert err.count("\n") == 1 and says in err and "Traceback" not in err
    assert not out.exists() and snapshot(coded) == before


def test_an_existing_file_is_replaced_only_with_force(coded, capfd, tmp_path):
    out = tmp_path / "there.csv"
    out.write_text("keep me")
    code, _out, err = run(capfd, "export", coded, "--format", "csv", "-o", out)
    assert code == 1 and err.count("\n") == 1 and str(out) in err
    assert out.read_text() == "keep me"
    assert run(capfd, "export", coded, "--format", "csv", "-o", out, "--force")[0] == 0
    assert out.read_text("utf-8-sig").startswith("guid,document,")


def test_import_project_gives_back_the_same_codings(coded, capfd, tmp_path):
    archive = tmp_path / "p.qdpx"
    assert run(capfd, "export", coded, "--format", "qdpx", "-o", archive)[0] == 0
    copy = tmp_path / "copy.kzc"
    code, out, err = run(capfd, "import-project", archive, copy)
    assert (code, err) == (0, "")
    assert f"report saved as {copy}.import-report.txt" in out
    def key(s):
        return (s["document"], s["code"], s["coder"], s["start"], s["end"],
                s["text"], s["memo"])
    assert sorted(map(key, _segments(capfd, copy))) == sorted(map(key, _segments(capfd, coded)))
    # a second import to the same place is refused and leaves the first project as it was
    before = snapshot(copy)
    code, out, err = run(capfd, "import-project", archive, copy)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert snapshot(copy) == before


def test_a_hostile_archive_is_one_line_and_nothing_is_written(capfd, tmp_path):
    bad = tmp_path / "in" / "evil.qdpx"
    bad.parent.mkdir()
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project.qde", b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("../escape.txt", b"x")
    (tmp_path / "out").mkdir()
    before = sorted(os.walk(tmp_path))
    code, out, err = run(capfd, "import-project", bad, tmp_path / "out" / "new.kzc")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "evil.qdpx" in err and "Traceback" not in err
    assert sorted(os.walk(tmp_path)) == before
