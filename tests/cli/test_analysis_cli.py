"""``matrix``, ``cooccurrence``, ``sets``, ``chart`` and ``--where``/``--docset`` on the command
line: the exact JSON, CSV and XLSX shapes of the issue, counts checked against ``segments
--json``, and bad input refused with one line, exit 2, nothing changed."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from openpyxl import load_workbook

from tests.analysis_corpus import code_by_keywords
from tests.cli.test_cli import run, snapshot


@pytest.fixture
def coded(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    from kzcoder.services.project import Project

    with Project.open(path) as project:
        code_by_keywords(project)
    return path


def _json(capfd, *args):
    code, out, err = run(capfd, *args)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_matrix_json_by_year_matches_segments(coded, capfd):
    docs = {d["name"]: d for d in _json(capfd, "docs", coded, "--json")}
    segments = _json(capfd, "segments", coded, "--json")
    found = _json(capfd, "matrix", coded, "--by", "published:year", "--format", "json")
    assert found["columns"] == ["2005", "2011", "2022"]
    expected = Counter((s["code"], docs[s["document"]]["attributes"]["published"][:4])
                       for s in segments)
    for row in found["rows"]:
        assert set(row) == {"code", "path", "counts"}
        assert row["counts"] == [expected[(row["code"], y)] for y in found["columns"]]
    assert [r["path"] for r in found["rows"]][3] == ["Force", "Shooting"]


def test_matrix_by_document_labels_are_segment_document_names(coded, capfd):
    found = _json(capfd, "matrix", coded, "--format", "json")
    segments = _json(capfd, "segments", coded, "--json")
    assert set(found["columns"]) >= {s["document"] for s in segments}
    for row in found["rows"]:
        for name, n in zip(found["columns"], row["counts"], strict=True):
            assert n == sum(1 for s in segments if s["document"] == name
                            and s["code"] == row["code"])


def test_matrix_csv_and_xlsx_are_the_json_table(coded, capfd, tmp_path):
    found = _json(capfd, "matrix", coded, "--by", "outlet", "--rollup", "--format", "json")
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"m.{fmt}"
        code, _out, err = run(capfd, "matrix", coded, "--by", "outlet", "--rollup",
                              "--format", fmt, "-o", out)
        assert (code, err) == (0, "")
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
            rows = [[r[0], *map(int, r[1:])] for r in rows[1:]] if rows else []
            header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        else:
            sheet = load_workbook(out).active
            table = [list(r) for r in sheet.iter_rows(values_only=True)]
            header, rows = table[0], table[1:]
            assert all(isinstance(v, int) for r in rows for v in r[1:])  # numbers, no formulas
        assert header == ["code", *found["columns"]]
        assert rows == [[r["code"], *r["counts"]] for r in found["rows"]]
    code, _out, err = run(capfd, "matrix", coded, "--format", "csv", "-o", tmp_path / "m.csv")
    assert code == 1 and "already exists" in err


def test_cooccurrence_json_is_symmetric_with_codings_on_the_diagonal(coded, capfd):
    segments = _json(capfd, "segments", coded, "--json")
    found = _json(capfd, "cooccurrence", coded)
    assert set(found) == {"codes", "counts", "c"}
    n = len(found["codes"])
    for i in range(n):
        assert found["counts"][i][i] == sum(1 for s in segments
                                            if s["code"] == found["codes"][i])
        for j in range(n):
            assert found["counts"][i][j] == found["counts"][j][i]
            assert found["c"][i][j] == found["c"][j][i]
            if i != j:
                pairs = sum(1 for s in segments for t in segments
                            if s["code"] == found["codes"][i] and t["code"] == found["codes"][j]
                            and s["document"] == t["document"]
                            and s["start"] < t["end"] and t["start"] < s["end"])
                assert found["counts"][i][j] == pairs


def test_where_and_docset_on_segments_export_and_matrix(coded, capfd, tmp_path):
    docs = {d["name"]: d for d in _json(capfd, "docs", coded, "--json")}
    early = {n for n, d in docs.items() if d["attributes"]["published"][:4] <= "2011"}
    segments = _json(capfd, "segments", coded, "--json", "--where", "published=2005..2011")
    assert segments and {s["document"] for s in segments} <= early
    everything = _json(capfd, "segments", coded, "--json")
    assert segments == [s for s in everything if s["document"] in early]
    assert run(capfd, "sets", coded, "add", "early", "--where", "published=2005..2011")[0] == 0
    assert _json(capfd, "segments", coded, "--json", "--docset", "early") == segments
    listed = _json(capfd, "sets", coded, "list", "--json")
    assert listed[0]["name"] == "early" and listed[0]["kind"] == "dynamic"
    assert listed[0]["documents"] == len(early)
    out = tmp_path / "early.json"
    assert run(capfd, "export", coded, "--format", "json", "-o", out, "--docset", "early")[0] == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert len(exported["segments"]) == len(segments)
    matrix = _json(capfd, "matrix", coded, "--format", "json", "--where",
                   "outlet=IWPR")
    assert matrix["columns"] == [n for n, d in docs.items()
                                 if d["attributes"]["outlet"] == "IWPR"]


def test_static_sets_and_remove(coded, capfd):
    names = sorted(_json(capfd, "segments", coded, "--json"), key=lambda s: s["document"])
    first = names[0]["document"]
    assert run(capfd, "sets", coded, "add", "mine", "--docs", first)[0] == 0
    assert [s["document"] for s in _json(capfd, "segments", coded, "--json", "--docset",
                                         "mine")] == [s["document"] for s in names
                                                      if s["document"] == first]
    code, out, _err = run(capfd, "sets", coded, "remove", "mine")
    assert code == 0 and "removed set mine" in out
    assert _json(capfd, "sets", coded, "list", "--json") == []


@pytest.mark.parametrize("args, message", [
    (("matrix", "{p}", "--where", "nope=1"), "unknown attribute 'nope'"),
    (("matrix", "{p}", "--where", "published=banana"), "'banana' is not a date"),
    (("matrix", "{p}", "--by", "nope"), "unknown attribute 'nope'"),
    (("matrix", "{p}", "--by", "outlet:year"), "not a date attribute"),
    (("segments", "{p}", "--docset", "none"), "no document set named 'none'"),
    (("export", "{p}", "--format", "csv", "-o", "{d}/x.csv", "--where", "x=1"),
     "unknown attribute 'x'"),
    (("sets", "{p}", "add", "", "--where", "outlet=IWPR"), "needs a name"),
    (("sets", "{p}", "add", "s", "--where", "published=2011..2005"), "the range is empty"),
    (("sets", "{p}", "add", "s", "--docs", "no such document"), "no document named"),
    (("chart", "{p}", "--kind", "matrix", "-o", "{d}/x.gif"), "as .png or .svg"),
])
def test_bad_input_is_one_line_exit_2_nothing_changed(coded, capfd, tmp_path, args, message):
    before = snapshot(coded)
    code, out, err = run(capfd, *(a.format(p=coded, d=tmp_path) for a in args))
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(coded) == before
    assert not (tmp_path / "x.csv").exists()


def test_a_set_that_exists_is_refused(coded, capfd):
    assert run(capfd, "sets", coded, "add", "s", "--where", "outlet=IWPR")[0] == 0
    before = snapshot(coded)
    code, _out, err = run(capfd, "sets", coded, "add", "s", "--docs", "x")
    assert code == 2 and "already exists" in err
    assert snapshot(coded) == before


@pytest.mark.parametrize("kind", ["matrix", "cooccurrence", "frequency"])
@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_chart_is_written_with_its_labels(coded, capfd, tmp_path, kind, suffix):
    out = tmp_path / f"chart.{suffix}"
    code, _out, err = run(capfd, "chart", coded, "--kind", kind, "--by", "published:year",
                          "-o", out)
    assert (code, err) == (0, "")
    data = out.read_bytes()
    if suffix == "png":
        from PySide6.QtGui import QImage

        image = QImage(str(out))
        assert image.width() == 1000 and len({image.pixel(x, y) for x in range(0, 1000, 7)
                                             for y in range(0, image.height(), 7)}) > 5
    else:
        text = data.decode("utf-8")
        assert "<svg" in text
        for label in ("International reaction", "Force"):
            assert label in text
        if kind != "cooccurrence":
            for year in ("2005", "2011", "2022"):
                assert f">{year}<" in text


@pytest.mark.parametrize("value", [
    {"columns": [], "rows": []},
    {"columns": ["2005", "=1+1", "Қазақстан"], "rows": [{"code": "a\"b", "path": ["x", "a\"b"],
                                                         "counts": [1, 0, 2]}]},
    {"codes": ["A"], "counts": [[3]], "c": [[1.0]]},
])
def test_table_json_is_json_with_one_row_a_line(value):
    from kzcoder.cli.analysis import table_json

    text = table_json(value)
    assert json.loads(text) == value
    rows = value.get("rows") or value.get("counts")
    if rows:
        assert sum(1 for line in text.splitlines() if line.startswith("    ")) >= len(rows)


def test_a_words_chart_shows_the_most_frequent_words_as_words_counts_them(coded, capfd,
                                                                         tmp_path):
    code, out, err = run(capfd, "words", coded, "--top", "5", "--json",
                         "--where", "published=2022")
    assert (code, err) == (0, "")
    expected = json.loads(out)
    assert len(expected) == 5
    svg = tmp_path / "words.svg"
    code, _out, err = run(capfd, "chart", coded, "--kind", "words", "--top", "5",
                          "--where", "published=2022", "-o", svg)
    assert (code, err) == (0, "")
    text = svg.read_text(encoding="utf-8")
    for entry in expected:
        assert f">{entry['word']}<" in text
    assert run(capfd, "chart", coded, "--kind", "words", "--stopwords", "xx",
               "-o", tmp_path / "no.svg")[0] == 2
    assert not (tmp_path / "no.svg").exists()


def test_search_autocode_and_words_follow_the_document_filter(coded, capfd):
    code, out, _err = run(capfd, "search", coded, "protesters", "--json")
    everywhere = json.loads(out)
    code, out, _err = run(capfd, "search", coded, "protesters", "--json",
                          "--where", "published=2022")
    in_2022 = json.loads(out)
    code, out, _err = run(capfd, "docs", coded, "--json")
    year_of = {d["name"]: d["attributes"].get("published", "")[:4] for d in json.loads(out)}
    assert in_2022 == [h for h in everywhere if year_of[h["document"]] == "2022"]
    assert 0 < len(in_2022) < len(everywhere)
    assert run(capfd, "words", coded, "--where", "nope=1")[0] == 2
    code, out, _err = run(capfd, "autocode", coded, "protesters", "Dissent",
                          "--where", "published=2022")
    assert code == 0 and out.startswith(f"added {len(in_2022)} codings")
