"""``kzcoder memo``: print a memo exactly, set it from an argument, a file or standard input;
refusals are one line and change nothing."""

from __future__ import annotations

import io
import sys

import pytest

from tests.cli.test_cli import run, snapshot

TEXT = "Two lines\n\tand 😀 кириллица, e\u0301  "


@pytest.fixture
def project(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", str(path), "--sample")[0] == 0
    return path


def _memo(capfd, path, *which: str) -> str:
    code, out, err = run(capfd, "memo", str(path), *which)
    assert (code, err) == (0, "")
    return out


@pytest.mark.parametrize("which", [(), ("--doc", "id:2"), ("--code", "Force"),
                                   ("--coding", "1")])
def test_set_then_print_each_kind_of_memo_exactly(project, capfd, which):
    p = str(project)
    assert run(capfd, "code", p, "id:2", "Force", "0", "10", "--coder", "ana")[:2] == (0, "1\n")
    assert _memo(capfd, project, *which) == ""
    code, out, err = run(capfd, "memo", p, *which, "--set", TEXT)
    assert (code, out) == (0, "")
    assert err.startswith("set the memo of ") and err.count("\n") == 1
    assert _memo(capfd, project, *which) == TEXT  # UTF-8, no newline added
    code, _out, err = run(capfd, "memo", p, *which, "--set", TEXT)
    assert code == 0 and err.startswith("unchanged: the memo of")
    assert run(capfd, "memo", p, *which, "--set", "")[0] == 0
    assert _memo(capfd, project, *which) == ""


def test_memos_of_different_items_are_apart(project, capfd):
    p = str(project)
    run(capfd, "memo", p, "--set", "project")
    run(capfd, "memo", p, "--doc", "1", "--set", "document")
    run(capfd, "memo", p, "--code", "id:3", "--set", "code")
    assert _memo(capfd, project) == "project"
    assert _memo(capfd, project, "--doc", "id:1") == "document"
    assert _memo(capfd, project, "--code", "Force") == "code"
    assert _memo(capfd, project, "--code", "Dissent") == ""
    codes = run(capfd, "codes", p, "--json")[1]
    assert '"description": "' in codes  # the definition is another thing than the memo


def test_a_memo_from_a_file_or_standard_input(project, capfd, tmp_path, monkeypatch):
    p = str(project)
    file = tmp_path / "memo.txt"
    file.write_bytes(b"\xef\xbb\xbfline one\r\nline two\r\n")
    assert run(capfd, "memo", p, "--code", "Force", "--file", str(file))[0] == 0
    assert _memo(capfd, project, "--code", "Force") == "line one\nline two"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("из stdin\n\n".encode())))
    assert run(capfd, "memo", p, "--file", "-")[0] == 0
    assert _memo(capfd, project) == "из stdin\n"  # one final newline is dropped


@pytest.mark.parametrize("args, message", [
    (["--doc", "nothing", "--set", "x"], "no document named or numbered 'nothing'"),
    (["--code", "name:Nothing"], "no code named 'Nothing'"),
    (["--coding", "99", "--set", "x"], "no coding numbered 99"),
    (["--coding", "x"], "no coding numbered 'x'"),
    (["--file", "{missing}"], "{missing}: cannot be read (No such file or directory)"),
    (["--file", "{latin1}"], "{latin1}: the memo is not UTF-8 text (byte 0)"),
])
def test_refusals_are_one_line_and_change_nothing(project, capfd, tmp_path, args, message):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("é".encode("latin-1") * 2)
    names = {"missing": str(tmp_path / "missing.txt"), "latin1": str(latin1)}
    before = snapshot(project)
    code, out, err = run(capfd, "memo", str(project), *[a.format(**names) for a in args])
    assert (code, out) == (1, "")
    assert err == f"kzcoder: {message.format(**names)}\n"
    assert snapshot(project) == before


@pytest.mark.parametrize("args", [["--doc", "1", "--code", "2"], ["--set", "a", "--file", "b"]])
def test_one_item_and_one_source_at_a_time(project, capfd, args):
    code, _out, err = run(capfd, "memo", str(project), *args)
    assert code == 2 and "not allowed with argument" in err


def test_memo_is_a_command_in_the_help(capfd):
    code, out, _err = run(capfd, "--help")
    assert code == 0 and "memo" in out
    code, out, _err = run(capfd, "memo", "--help")
    assert code == 0 and "--coding" in out and "--file" in out
