"""Categories (codes that are not codable) and the journal on the command line (issue 24)."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run, snapshot


@pytest.fixture
def project(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", str(path), "--sample")[0] == 0
    return path


def _codes(capfd, path):
    code, out, _err = run(capfd, "codes", str(path), "--json")
    assert code == 0
    return {c["name"]: c for c in json.loads(out)}


def test_a_category_is_listed_refused_for_coding_and_can_become_codable(project, capfd):
    p = str(project)
    code, out, _err = run(capfd, "code-add", p, "Actors", "--not-codable")
    assert code == 0
    actors = out.strip()
    assert run(capfd, "code-add", p, "Police", "--parent", "Actors")[0] == 0
    codes = _codes(capfd, project)
    assert codes["Actors"]["codable"] is False and codes["Police"]["codable"] is True
    assert codes["Force"]["codable"] is True
    before = snapshot(project)
    code, out, err = run(capfd, "code", p, "id:1", f"id:{actors}", "0", "5", "--coder", "ana")
    assert code == 1 and err.count("\n") == 1 and "'Actors' is a category" in err
    assert snapshot(project) == before
    assert run(capfd, "code", p, "id:1", "Police", "0", "5", "--coder", "ana")[0] == 0
    # a code with codings cannot become a category; an empty one can, and back
    code, _out, err = run(capfd, "code-edit", p, "Police", "--not-codable")
    assert code == 1 and "has codings" in err
    assert run(capfd, "code-edit", p, "Actors", "--codable")[0] == 0
    assert _codes(capfd, project)["Actors"]["codable"] is True
    assert run(capfd, "code-edit", p, "Actors", "--not-codable")[0] == 0
    assert _codes(capfd, project)["Actors"]["codable"] is False
    code, out, _err = run(capfd, "codes", p)
    assert [line for line in out.splitlines() if "\tActors\t" in line][0].endswith("\tcategory")
    code, _out, err = run(capfd, "code-merge", p, "Police", "Actors")
    assert code == 1 and "is a category" in err


def test_codable_options_exclude_each_other(project, capfd):
    code, _out, err = run(capfd, "code-edit", str(project), "Force", "--codable",
                          "--not-codable")
    assert code == 2 and "not allowed with" in err


def test_journal_add_list_show_remove(project, capfd, tmp_path):
    p = str(project)
    memo = tmp_path / "plan.txt"
    memo.write_bytes("Research plan 😀\r\nsecond line\r\n".encode())
    code, out, err = run(capfd, "journal", p, "add", "Research plan", "--file", str(memo),
                         "--author", "Айгүл")
    assert (code, err) == (0, "")
    assert run(capfd, "journal", p, "add", "Day 2", "--text", "met the team")[0] == 0
    code, out, _err = run(capfd, "journal", p, "list", "--json")
    entries = json.loads(out)
    assert [set(e) for e in entries] == [{"title", "text", "created", "author"}] * 2
    assert [e["title"] for e in entries] == ["Research plan", "Day 2"]
    assert entries[0]["text"] == "Research plan 😀\nsecond line"
    assert entries[0]["author"] == "Айгүл"
    assert entries[0]["created"].endswith("Z")
    code, out, _err = run(capfd, "journal", p, "show", "Research plan")
    assert out == "Research plan 😀\nsecond line"
    code, out, _err = run(capfd, "journal", p, "list")
    assert out.splitlines()[0].split("\t")[1:] == ["Айгүл", "Research plan"]
    assert run(capfd, "journal", p, "remove", "Day 2")[0] == 0
    code, out, _err = run(capfd, "journal", p, "list", "--json")
    assert [e["title"] for e in json.loads(out)] == ["Research plan"]


@pytest.mark.parametrize("args, status, message", [
    (["add", "T"], 2, "one of the arguments --text --file is required"),
    (["add", "Same", "--text", "again"], 1, "a journal entry titled 'Same' already exists"),
    (["add", " ", "--text", "x"], 1, "a journal entry needs a title"),
    (["add", "T", "--file", "{missing}"], 1, "cannot be read"),
    (["show", "Nope"], 1, "no journal entry titled 'Nope'"),
    (["remove", "Nope"], 1, "no journal entry titled 'Nope'"),
    ([], 2, "required: ACTION"),
])
def test_journal_refusals_are_one_line_and_change_nothing(project, capfd, tmp_path, args,
                                                          status, message):
    assert run(capfd, "journal", str(project), "add", "Same", "--text", "x")[0] == 0
    before = snapshot(project)
    code, _out, err = run(capfd, "journal", str(project),
                          *[a.format(missing=tmp_path / "none.txt") for a in args])
    assert code == status and message in err and err.count("\n") == 1
    assert snapshot(project) == before


def test_export_for_nvivo(project, capfd, tmp_path):
    import zipfile

    out = tmp_path / "n.qdpx"
    code, stdout, err = run(capfd, "export", str(project), "--format", "qdpx", "--for", "nvivo",
                            "-o", str(out))
    assert (code, err) == (0, "") and stdout.startswith("wrote ")
    assert "NVivo" in zipfile.ZipFile(out).read("kzcoder.json").decode()
    code, _out, err = run(capfd, "export", str(project), "--format", "csv", "--for", "nvivo",
                          "-o", str(tmp_path / "n.csv"))
    assert code == 2 and err.count("\n") == 1 and "--for nvivo is for --format qdpx" in err
    assert not (tmp_path / "n.csv").exists()
    code, _out, err = run(capfd, "export", str(project), "--format", "qdpx", "--for", "atlas",
                          "-o", str(tmp_path / "a.qdpx"))
    assert code == 2 and "invalid choice" in err


def test_a_category_survives_a_qdc_codebook_round_trip(project, capfd, tmp_path):
    p = str(project)
    assert run(capfd, "code-add", p, "Actors", "--not-codable")[0] == 0
    qdc = tmp_path / "book.qdc"
    assert run(capfd, "codebook-export", p, "-o", str(qdc))[0] == 0
    assert 'name="Actors" isCodable="false"' in qdc.read_text(encoding="utf-8")
    other = tmp_path / "other.kzc"
    assert run(capfd, "new", str(other))[0] == 0
    assert run(capfd, "codebook-import", str(other), str(qdc))[0] == 0
    codes = _codes(capfd, other)
    assert codes["Actors"]["codable"] is False and codes["Force"]["codable"] is True
