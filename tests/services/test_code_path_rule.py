"""One rule for a code path in every export (docs/exports.md, "Code paths"): the names from
the root joined with " / "; in a name a backslash is doubled and only a slash with a space
beside it is written "\\/". A code "a/b" under "Parent" is "Parent / a/b" everywhere, and
"p / q" is "Parent / p \\/ q"; the codebook CSV reads both back into the same tree."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from kzcoder.services.analysis.cooccurrence import project_cooccurrence
from kzcoder.services.analysis.matrix import project_matrix
from kzcoder.services.analysis.tables import cooccurrence_table, matrix_table
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.codebook.exchange import export_codebook, import_codebook
from kzcoder.services.codings import add_coding
from kzcoder.services.exports import export_report, export_segments
from kzcoder.services.project import Project

SLASHED = "Parent / a/b"  # written as a reader writes it
SPACED = "Parent / p \\/ q"  # the one escape: a slash with spaces beside it


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _project(sample_project):
    parent = add_code(sample_project, "Parent", "#112233").value.id
    slashed = add_code(sample_project, "a/b", "#445566", parent=parent).value.id
    spaced = add_code(sample_project, "p / q", "#778899", parent=parent).value.id
    add_coding(sample_project, 1, slashed, 0, 10, coder="ana")
    add_coding(sample_project, 1, spaced, 5, 15, coder="ana")
    return sample_project


def test_segments_csv_xlsx_json(sample_project, tmp_path):
    project = _project(sample_project)
    export_segments(project, tmp_path / "s.csv")
    assert {r["code_path"] for r in _csv(tmp_path / "s.csv")} == {SLASHED, SPACED}
    export_segments(project, tmp_path / "s.json")
    items = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["segments"]
    assert sorted(i["code_path"] for i in items) == [["Parent", "a/b"], ["Parent", "p / q"]]
    export_segments(project, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)
    cells = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
             if isinstance(c, str)}
    assert {SLASHED, SPACED} <= cells
    assert "Parent / a\\/b" not in cells  # what issue 21 found in the XLSX


def test_codebook_csv_markdown_and_back(sample_project, tmp_path):
    project = _project(sample_project)
    export_codebook(project, tmp_path / "c.csv")
    paths = {r["name"]: r["path"] for r in _csv(tmp_path / "c.csv")}
    assert (paths["a/b"], paths["p / q"]) == (SLASHED, SPACED)
    export_codebook(project, tmp_path / "c.md")
    assert "### a/b\n" in (tmp_path / "c.md").read_text(encoding="utf-8")
    # without GUIDs or parents the path alone places each code
    rows = _csv(tmp_path / "c.csv")
    bare = tmp_path / "bare.csv"
    with open(bare, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "path"])
        writer.writerows([r["name"], r["path"]] for r in rows)
    for source in (tmp_path / "c.csv", bare):
        with Project.create(tmp_path / f"{source.stem}.kzc") as fresh:
            import_codebook(fresh, source)
            codes = {c.id: c for c in list_codes(fresh)}
            tree = {(codes[c.parent_id].name if c.parent_id else None, c.name)
                    for c in codes.values()}
            assert {("Parent", "a/b"), ("Parent", "p / q"), (None, "Parent")} <= tree


def test_report_and_the_matrix_table(sample_project, tmp_path, capfd):
    """The matrix and co-occurrence CSV/XLSX name each code in their documented ``code``
    column (as their JSON's ``code``); where a path is written, the terminal table and the
    charts, it follows the rule."""
    from kzcoder.cli.main import main
    from kzcoder.core.analysis.charts import frequency_chart, matrix_heat_map

    project = _project(sample_project)
    page = export_report(project, tmp_path / "r.html").path.read_text(encoding="utf-8")
    assert SLASHED in page and SPACED in page
    assert main(["matrix", str(project.path)]) == 0
    lines = capfd.readouterr().out.splitlines()
    # a tab-separated record doubles every backslash on top (core/escaping.escape_field)
    assert {SLASHED, SPACED.replace("\\", "\\\\")} <= {line.split("\t")[0] for line in lines}
    matrix = project_matrix(project)
    codes = list_codes(project)
    assert {SLASHED, SPACED} <= {s.name for s in frequency_chart(matrix, codes).series}
    assert {SLASHED, SPACED} <= set(matrix_heat_map(matrix).rows)
    _header, rows = matrix_table(matrix)
    assert {"a/b", "p / q"} <= {r[0] for r in rows}
    codes, table = project_cooccurrence(project)
    header, _rows = cooccurrence_table(codes, table)
    assert {"a/b", "p / q"} <= set(header)

