"""``kzcoder merge PROJECT OTHER``: prints the report and exits 0; merging again changes
nothing; every refusal is one line on standard error, exit 1, and the project unchanged."""

from __future__ import annotations

import shutil

import pytest

from tests.cli.test_cli import run, snapshot


@pytest.fixture
def pair(tmp_path, capfd):
    """The sample project coded by ana (p.kzc) and a copy coded by bek, who renamed Force."""
    p, q = tmp_path / "p.kzc", tmp_path / "q.kzc"
    assert run(capfd, "new", p, "--sample")[0] == 0
    shutil.copy(p, q)
    assert run(capfd, "code", p, "id:1", "Force", "0", "12", "--coder", "ana")[0] == 0
    assert run(capfd, "code", q, "id:2", "Dissent", "5", "40", "--coder", "bek",
               "--memo", "bek's memo")[0] == 0
    assert run(capfd, "code-edit", q, "Force", "--name", "Violence")[0] == 0
    return p, q


def test_merge_prints_the_report_and_again_changes_nothing(pair, capfd):
    p, q = pair
    code, out, err = run(capfd, "merge", p, q)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("merged q.kzc: added 0 documents, 0 codes, 1 coders, "
                               "1 codings")
    assert "added coder 'bek'" in lines
    assert "renamed code: ours 'Force', theirs 'Violence' (kept ours)" in lines
    code, out, _ = run(capfd, "segments", p, "--coder", "bek", "--json")
    assert code == 0 and "bek's memo" in out
    merged = snapshot(p)
    code, out, err = run(capfd, "merge", p, q)
    assert (code, err) == (0, "")
    assert "nothing changed: everything in it was already here" in out.splitlines()
    assert snapshot(p) == merged


def test_merge_a_qdpx(pair, capfd, tmp_path):
    p, q = pair
    archive = tmp_path / "q.qdpx"
    assert run(capfd, "export", q, "--format", "qdpx", "-o", archive)[0] == 0
    code, out, err = run(capfd, "merge", p, archive)
    assert (code, err) == (0, "")
    assert out.startswith("merged q.qdpx: added 0 documents, 0 codes, 1 coders, 1 codings")


@pytest.mark.parametrize("case", ["missing", "folder", "suffix", "itself", "same-file",
                                  "not-a-project", "bad-qdpx"])
def test_refusals_are_one_line_and_change_nothing(pair, capfd, tmp_path, case):
    p, _q = pair
    other = {"missing": tmp_path / "none.kzc", "folder": tmp_path, "suffix": tmp_path / "x.txt",
             "itself": p, "same-file": tmp_path / "link.kzc",
             "not-a-project": tmp_path / "x.kzc", "bad-qdpx": tmp_path / "x.qdpx"}[case]
    if case in ("suffix", "not-a-project", "bad-qdpx"):
        other.write_bytes(b"not what its name says")
    if case == "same-file":
        other.symlink_to(p)
    before = snapshot(p)
    code, out, err = run(capfd, "merge", p, other)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("kzcoder: ")
    assert snapshot(p) == before
