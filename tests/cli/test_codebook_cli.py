"""The codebook on the command line: add, edit, move, merge, delete, export, import."""

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


def test_add_edit_move_merge_and_delete(project, capfd):
    p = str(project)
    code, out, err = run(capfd, "code-add", p, "Police", "--parent", "Force", "--shortcut", "5",
                         "--description", "Police actions")
    assert (code, err) == (0, "")
    police = int(out)
    codes = _codes(capfd, project)
    assert codes["Police"]["path"] == ["Force", "Police"] and codes["Police"]["shortcut"] == "5"
    assert run(capfd, "code-edit", p, f"id:{police}", "--name", "Полиция", "--color",
               "#123456", "--no-shortcut", "--root")[0] == 0
    codes = _codes(capfd, project)
    assert codes["Полиция"]["path"] == ["Полиция"] and codes["Полиция"]["shortcut"] is None
    assert run(capfd, "code", p, "id:1", "Force", "0", "10", "--coder", "ana")[0] == 0
    assert run(capfd, "code", p, "id:1", "Полиция", "0", "10", "--coder", "ana")[0] == 0
    code, out, _err = run(capfd, "code-merge", p, "Полиция", "Force")
    assert code == 0 and "1 collapsed" in out
    codes = _codes(capfd, project)
    assert "Полиция" not in codes and codes["Force"]["codings"] == 1
    assert codes["Force"]["documents"] == 1
    code, out, _err = run(capfd, "code-delete", p, "Force")
    assert code == 0 and out.startswith("deleted 1 code(s) and 1 coding(s)")
    assert "Force" not in _codes(capfd, project)


@pytest.mark.parametrize("args, message", [
    (["code-add", "{p}", "Force"], "a code named 'Force' already exists there"),
    (["code-add", "{p}", "X", "--shortcut", "1"], "shortcut 1 is already used"),
    (["code-add", "{p}", "X", "--color", "red"], "colour 'red' is not of the form"),
    (["code-edit", "{p}", "Force"], "nothing to change"),
    (["code-edit", "{p}", "Force", "--parent", "Force"], "cannot move under itself"),
    (["code-merge", "{p}", "Force", "Force"], "cannot be merged into itself"),
    (["code-delete", "{p}", "Nope"], "no code named or numbered 'Nope'"),
    (["codebook-import", "{p}", "{bad}"], "not a readable REFI-QDA file"),
])
def test_refusals_are_one_line_and_change_nothing(project, capfd, tmp_path, args, message):
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook><Codes>", encoding="utf-8")
    before = snapshot(project)
    code, out, err = run(capfd, *[a.format(p=project, bad=bad) for a in args])
    assert code == 1 and message in err and err.count("\n") == 1
    assert snapshot(project) == before


@pytest.mark.parametrize("fmt", ["qdc", "csv", "md"])
def test_export_and_import(project, capfd, tmp_path, fmt):
    out_file = tmp_path / f"codebook.{fmt}"
    code, out, _err = run(capfd, "codebook-export", str(project), "--format", fmt, "-o",
                          str(out_file))
    assert code == 0 and out.startswith("wrote 4 code(s)")
    if fmt == "md":
        assert "## Force" in out_file.read_text(encoding="utf-8")
        return
    other = tmp_path / "other.kzc"
    assert run(capfd, "new", str(other))[0] == 0
    code, out, _err = run(capfd, "codebook-import", str(other), str(out_file))
    assert code == 0 and out.endswith("added 4 code(s), matched 0 already in the project\n")
    theirs, ours = _codes(capfd, other), _codes(capfd, project)
    assert {n: c["guid"] for n, c in theirs.items()} == {n: c["guid"] for n, c in ours.items()}
