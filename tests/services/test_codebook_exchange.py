"""Codebooks out and in: REFI-QDA .qdc valid against the schema, CSV, Markdown; import of real
tools' codebooks; round trips that are the identity."""

import csv
import io
from pathlib import Path

import pytest
import xmlschema

from kzcoder.core.errors import KzError
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.codebook.exchange import (
    ImportCodebook,
    export_codebook,
    import_codebook,
)
from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project

# The REFI-QDA schemas and real tools' exports, vendored with their provenance.
REFI_DATA = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
SCHEMA = REFI_DATA / "Codebook-mrt2019.xsd"


def _three_levels(project):
    top = add_code(project, "Реакция государства", "#112233",
                   description="Что говорят власти.\nВторая строка.").value
    mid = add_code(project, "Қазақстан билігі", "#A1B2C3", parent=top.id,
                   description="Kazakh: билік, ресми мәлімдеме").value
    add_code(project, "Ministry statements", "#0F0F0F", parent=mid.id, shortcut="5",
             description="Line one\n\nLine three, after a blank line")
    add_code(project, "Second root", "#FFEEDD")


def _codebook(project):
    codes = list_codes(project)
    by_id = {c.id: c for c in codes}
    return [(c.guid, c.name, c.color, c.description,
             by_id[c.parent_id].guid if c.parent_id else None) for c in codes]


@pytest.mark.parametrize("suffix", [".qdc", ".csv"])
def test_export_then_import_into_a_new_project_gives_back_the_same_codebook(tmp_path, suffix):
    with Project.create(tmp_path / "a.kzc") as source:
        _three_levels(source)
        out = tmp_path / f"codebook{suffix}"
        assert export_codebook(source, out) == 4
        expected = _codebook(source)
    with Project.create(tmp_path / "b.kzc") as target:
        result = import_codebook(target, out).value
        assert len(result.added) == 4 and not result.matched
        assert _codebook(target) == expected  # GUIDs, names, colours, descriptions, order
        again = import_codebook(target, out).value  # a second import matches everything
        assert not again.added and len(again.matched) == 4
        assert _codebook(target) == expected


def test_every_qdc_kzcoder_writes_validates_against_the_schema(tmp_path, sample_project):
    _three_levels(sample_project)
    out = tmp_path / "c.qdc"
    export_codebook(sample_project, out)
    xmlschema.XMLSchema(str(SCHEMA)).validate(str(out))


def test_csv_and_markdown_carry_counts_and_are_safe_for_spreadsheets(tmp_path, sample_project):
    add_code(sample_project, "=SUM(A1)", "#123456")
    add_coding(sample_project, 1, "Force", 0, 5, coder="ana")
    add_coding(sample_project, 2, "Force", 0, 5, coder="ana")
    export_codebook(sample_project, tmp_path / "c.csv")
    text = (tmp_path / "c.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeffguid,name,path,parent,colour,shortcut,description,codings")
    assert "'=SUM(A1)" in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    force = next(row for row in rows if row["name"] == "Force")
    assert (force["codings"], force["documents"]) == ("2", "2")
    assert "\n" in force["description"]  # multi-line definitions stay whole
    export_codebook(sample_project, tmp_path / "c.md")
    markdown = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "## Force" in markdown and "*2 codings in 2 documents · key 3*" in markdown


@pytest.mark.parametrize("name, codes, depth", [("nvivo_project.qdpx", 262, 7),
                                                ("qc-1.3.2-demo.qdpx", 262, 7),
                                                ("target-atlas-project.qdpx", 3, 2)])
def test_real_tools_codebooks_import_with_their_nesting(tmp_path, name, codes, depth):
    with Project.create(tmp_path / "p.kzc") as project:
        result = import_codebook(project, REFI_DATA / "samples" / name).value
        assert len(result.added) == codes
        imported = list_codes(project)
        by_id = {c.id: c for c in imported}

        def level(code):
            return 1 if code.parent_id is None else 1 + level(by_id[code.parent_id])

        assert max(level(c) for c in imported) == depth
        assert len({c.color for c in imported}) > 1  # no colour in the file: distinct ones
        out = tmp_path / "again.qdc"
        export_codebook(project, out)  # digit-only GUIDs still give a valid file
        xmlschema.XMLSchema(str(SCHEMA)).validate(str(out))


@pytest.mark.parametrize("content", [b"<CodeBook><Codes>", b"\x00\x01binary",
                                     b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
                                     b"<x>&a;</x>", b"<Other/>"])
def test_a_malformed_file_is_refused_in_one_line_and_changes_nothing(tmp_path, sample_project,
                                                                    content):
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(content)
    before = list_codes(sample_project)
    with pytest.raises(KzError) as error:
        import_codebook(sample_project, bad)
    assert "bad.qdc" in str(error.value) and "\n" not in str(error.value)
    assert list_codes(sample_project) == before


def test_lenient_reading_of_guids_sets_and_codable(tmp_path):
    qdc = tmp_path / "t.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        '<Codes><Code guid="{A182CD3A-D83C-4D8C-BC80-26D9103EC6D6}" name="Parent" '
        'isCodable="false" color="#abc"><Code guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d" '
        'name="Child" isCodable="true"/></Code></Codes><Sets/></CodeBook>', encoding="utf-8")
    with Project.create(tmp_path / "p.kzc") as project:
        command = ImportCodebook(qdc)
        command.do(project)
        codes = list_codes(project)
        assert [(c.guid, c.name, c.color) for c in codes][0] == (
            "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6", "Parent", "#AABBCC")
        assert codes[1].parent_id == codes[0].id
        command.undo(project)
        assert list_codes(project) == []
        command.do(project)
        assert list_codes(project) == codes
