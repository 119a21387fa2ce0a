"""``segments --subcodes`` and ``export --subcodes``: a code with every code below it.

The expected rows are computed apart from the code under test: from the unfiltered
``segments --json`` and the parents in ``codes --json``, walking the tree by hand.
"""

from __future__ import annotations

import csv
import json
import random

import pytest

from kzcoder.cli.main import main
from kzcoder.services.codebook.editing import add_code
from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project


def run(capfd, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path, capfd):
    """The sample with Dissent > Strike > Sit-in and Dissent > Petition, and 60 random
    codings over every code."""
    path = tmp_path / "tree.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    rng = random.Random(21)
    with Project.open(path) as project:
        strike = add_code(project, "Strike", "#112233", parent="Dissent").value
        add_code(project, "Sit-in", "#223344", parent=strike.id)
        add_code(project, "Petition", "#334455", parent="Dissent")
    _, out, _ = run(capfd, "codes", path, "--json")
    codes = [c["id"] for c in json.loads(out)]
    with Project.open(path) as project:
        for _ in range(60):
            start = rng.randrange(0, 400)
            add_coding(project, rng.randrange(1, 6), rng.choice(codes), start,
                       start + rng.randrange(1, 40), coder=rng.choice(["ana", "bo"]))
    return path


def _below(codes: list[dict], name: str) -> set[str]:
    parents = {c["id"]: c["parent"] for c in codes}
    names = {c["id"]: c["name"] for c in codes}
    root = next(c["id"] for c in codes if c["name"] == name)
    found = set()
    for code_id in parents:
        walk = code_id
        while walk is not None and walk != root:
            walk = parents[walk]
        if walk == root:
            found.add(names[code_id])
    return found


def test_segments_subcodes_lists_the_code_and_everything_below_it(tree, capfd):
    _, out, _ = run(capfd, "codes", tree, "--json")
    inside = _below(json.loads(out), "Dissent")
    assert inside == {"Dissent", "Strike", "Sit-in", "Petition"}
    _, out, _ = run(capfd, "segments", tree, "--json")
    every = json.loads(out)
    expected = [s["id"] for s in every if s["code"] in inside]
    assert len(expected) > 10 and len(expected) < len(every)
    code, out, err = run(capfd, "segments", tree, "--code", "Dissent", "--subcodes", "--json")
    assert (code, err) == (0, "")
    assert [s["id"] for s in json.loads(out)] == expected  # in document order, like all
    _, out, _ = run(capfd, "segments", tree, "--code", "Dissent", "--json")
    assert [s["id"] for s in json.loads(out)] == [s["id"] for s in every
                                                  if s["code"] == "Dissent"]
    _, out, _ = run(capfd, "segments", tree, "--code", "Strike", "--subcodes", "--coder", "bo",
                    "--json")
    assert [s["id"] for s in json.loads(out)] == [
        s["id"] for s in every if s["code"] in {"Strike", "Sit-in"} and s["coder"] == "bo"]


def test_export_subcodes_writes_the_same_rows(tree, tmp_path, capfd):
    _, out, _ = run(capfd, "segments", tree, "--code", "Dissent", "--subcodes", "--json")
    wanted = [(s["document"], s["code"], s["coder"], s["start"], s["end"])
              for s in json.loads(out)]
    target = tmp_path / "dissent.csv"
    code, out, err = run(capfd, "export", tree, "--format", "csv", "-o", target,
                         "--code", "Dissent", "--subcodes")
    assert code == 0, err
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["document"], r["code"], r["coder"], int(r["start"]), int(r["end"]))
            for r in rows] == wanted
    target = tmp_path / "dissent.json"
    assert run(capfd, "export", tree, "--format", "json", "-o", target, "--code", "Dissent",
               "--subcodes")[0] == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["filters"]["subcodes"] is True and data["filters"]["code"] == "Dissent"


@pytest.mark.parametrize("command", ["segments", "export"])
def test_subcodes_without_a_code_is_a_usage_error(tree, tmp_path, capfd, command):
    extra = ["--format", "csv", "-o", tmp_path / "x.csv"] if command == "export" else []
    code, out, err = run(capfd, command, tree, *extra, "--subcodes")
    assert code == 2 and out == ""
    assert err.strip() == f"kzcoder {command}: error: --subcodes needs --code (the code whose " \
                          "sub-codes to include)"
    assert not (tmp_path / "x.csv").exists()
