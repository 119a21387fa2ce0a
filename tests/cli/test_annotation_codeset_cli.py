"""Annotations and code sets on the command line: ``kzcoder annotation`` and ``kzcoder
codeset`` add, list (tab-separated and JSON) and remove; what they make goes out in a .qdpx
(an annotation as a PlainTextSelection with a Description and no Coding, a code set as a Set
of MemberCodes); refusals are one line and change nothing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile

import pytest

from tests.cli.test_cli import run, snapshot

NS = {"q": "urn:QDA-XML:project:1.0"}
TEXT = "Жаңаөзен 😀 strike: workers gathered\nsecond line"


@pytest.fixture
def project(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", str(path))[0] == 0
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run(capfd, "import", str(path), str(article))[0] == 0
    return path


def test_annotation_add_list_remove_and_export(project, capfd, tmp_path):
    p = str(project)
    start = TEXT.index("strike")  # code points: the emoji before it counts once
    code, out, err = run(capfd, "annotation", p, "add", "article", str(start),
                         str(start + len("strike")), "--text", "first strike 😀",
                         "--author", "Ана")
    assert (code, err) == (0, "")
    first = int(out)
    note = tmp_path / "note.txt"
    note.write_bytes(b"two\r\nlines\r\n")
    code, out, _err = run(capfd, "annotation", p, "add", "id:1", "0", "3", "--file", str(note))
    assert code == 0
    second = int(out)
    code, out, _err = run(capfd, "annotation", p, "list", "--json")
    listed = json.loads(out)
    assert [(a["id"], a["start"], a["end"], a["text"]) for a in listed] == [
        (second, 0, 3, "two\nlines"), (first, start, start + 6, "first strike 😀")]
    assert listed[1]["document"] == "article" and listed[1]["author"] == "Ана"
    assert TEXT[listed[1]["start"]:listed[1]["end"]] == "strike"
    code, out, _err = run(capfd, "annotation", p, "list", "--doc", "article")
    assert out.splitlines()[0].split("\t") == [str(second), "article", "0", "3", listed[0][
        "author"], "two\\nlines"]
    out_file = tmp_path / "p.qdpx"
    assert run(capfd, "export", p, "--format", "qdpx", "-o", str(out_file))[0] == 0
    root = ET.fromstring(zipfile.ZipFile(out_file).read("project.qde"))
    selections = root.findall(".//q:PlainTextSelection", NS)
    annotated = [s for s in selections if s.find("q:Coding", NS) is None]
    assert sorted((int(s.get("startPosition")), int(s.get("endPosition")),
                   s.findtext("q:Description", namespaces=NS)) for s in annotated) == [
        (0, 3, "two\nlines"), (start, start + 6, "first strike 😀")]
    code, out, _err = run(capfd, "annotation", p, "remove", str(first))
    assert code == 0 and out.startswith(f"removed annotation {first} on [{start}, ")
    code, out, _err = run(capfd, "annotation", p, "list", "--json")
    assert [a["id"] for a in json.loads(out)] == [second]


def test_codeset_add_list_replace_remove_and_export(project, capfd, tmp_path):
    p = str(project)
    for args in (("Actors",), ("Police", "--parent", "Actors"), ("Demands",)):
        assert run(capfd, "code-add", p, *args)[0] == 0
    code, out, err = run(capfd, "codeset", p, "add", "State", "Police", "Demands",
                         "--description", "who answers")
    assert (code, err, out) == (0, "", "added code set 'State' of 2 code(s)\n")
    assert run(capfd, "codeset", p, "add", "Empty")[0] == 0
    code, out, _err = run(capfd, "codeset", p, "list", "--json")
    assert json.loads(out) == [
        {"name": "Empty", "description": "", "codes": []},
        {"name": "State", "description": "who answers", "codes": ["Actors / Police",
                                                                   "Demands"]}]
    code, out, _err = run(capfd, "codeset", p, "list")
    assert out.splitlines()[1].split("\t") == ["State", "2", "Actors / Police", "Demands"]
    out_file = tmp_path / "p.qdpx"
    assert run(capfd, "export", p, "--format", "qdpx", "-o", str(out_file))[0] == 0
    root = ET.fromstring(zipfile.ZipFile(out_file).read("project.qde"))
    guids = {c.get("name"): c.get("guid") for c in root.iter(f"{{{NS['q']}}}Code")}
    sets = {s.get("name"): {m.get("targetGUID") for m in s.findall("q:MemberCode", NS)}
            for s in root.iter(f"{{{NS['q']}}}Set")}
    assert sets["State"] == {guids["Police"], guids["Demands"]}
    assert run(capfd, "codeset", p, "add", "State", "Actors", "--replace")[0] == 0
    code, out, _err = run(capfd, "codeset", p, "list", "--json")
    assert json.loads(out)[1]["codes"] == ["Actors"]
    code, out, _err = run(capfd, "codeset", p, "remove", "Empty")
    assert (code, out) == (0, "removed code set 'Empty'\n")
    code, out, _err = run(capfd, "codes", p, "--json")
    assert {c["name"] for c in json.loads(out)} == {"Actors", "Police", "Demands"}


@pytest.mark.parametrize("args, status, message", [
    (["annotation", "add", "article", "5", "2", "--text", "x"], 1, "5"),
    (["annotation", "add", "article", "0", "9999", "--text", "x"], 1, "9999"),
    (["annotation", "add", "nope", "0", "2", "--text", "x"], 1, "nope"),
    (["annotation", "add", "article", "0", "2", "--text", " "], 1, "needs a text"),
    (["annotation", "add", "article", "0", "2"], 2, "one of the arguments --text --file"),
    (["annotation", "remove", "99"], 1, "no annotation numbered 99"),
    (["codeset", "add", "Taken", "Actors"], 1, "a code set named 'Taken' already exists"),
    (["codeset", "add", "New", "Actors", "Nope"], 1, "Nope"),
    (["codeset", "add", " ", "Actors"], 1, "a code set needs a name"),
    (["codeset", "add", "Nope", "Actors", "--replace"], 1, "no code set named 'Nope'"),
    (["codeset", "remove", "Nope"], 1, "no code set named 'Nope'"),
])
def test_refusals_are_one_line_and_change_nothing(project, capfd, args, status, message):
    p = str(project)
    assert run(capfd, "code-add", p, "Actors")[0] == 0
    assert run(capfd, "codeset", p, "add", "Taken")[0] == 0
    before = snapshot(project)
    code, _out, err = run(capfd, args[0], p, *args[1:])
    assert code == status and message in err and err.count("\n") == 1, err
    assert snapshot(project) == before
