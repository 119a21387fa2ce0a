"""Segment exports carry each document's date and outlet (the last two columns), so grouping
by year needs no look-up in the documents sheet."""

from __future__ import annotations

import csv
import json

from kzcoder.cli.main import main
from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project


def run(capfd, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def test_csv_and_json_have_published_and_outlet_of_each_document(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    with Project.open(path) as project:
        for document in range(1, 6):
            add_coding(project, document, 1, 0, 5, coder="ana")
    _, out, _ = run(capfd, "docs", path, "--json")
    attributes = {d["name"]: d["attributes"] for d in json.loads(out)}
    target = tmp_path / "s.csv"
    assert run(capfd, "export", path, "--format", "csv", "-o", target)[0] == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-2:] == ["published", "outlet"]
    assert rows[0][:11] == ["guid", "document", "title", "code", "code_path", "coder", "start",
                            "end", "text", "memo", "created"]  # the older columns stay put
    assert len(rows) == 6
    for row in rows[1:]:
        assert row[-2:] == [attributes[row[1]].get("published", ""),
                            attributes[row[1]].get("outlet", "")]
    target = tmp_path / "s.json"
    assert run(capfd, "export", path, "--format", "json", "-o", target)[0] == 0
    for item in json.loads(target.read_text(encoding="utf-8"))["segments"]:
        assert (item["published"], item["outlet"]) == (
            attributes[item["document"]].get("published", ""),
            attributes[item["document"]].get("outlet", ""))
