"""The segment writers (CSV, XLSX, JSON) and the HTML report on records made by hand: cell
neutralising, XLSX escaping and limits, the JSON round trip, code paths, the report's runs,
lanes and escaping."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kzcoder.core.cells import FORMULA_STARTS, neutralise
from kzcoder.core.export_records import (
    EXPORT_COLUMNS,
    CodebookRow,
    DocumentRow,
    ExportRow,
    ReportDocument,
    join_code_path,
    split_code_path,
)
from kzcoder.core.records import CodedSpan
from kzcoder.exchange.report_html import ReportLimits, _lanes, ink_for, write_report
from kzcoder.exchange.segments.csv_file import write_csv
from kzcoder.exchange.segments.json_file import read_json, write_json
from kzcoder.exchange.segments.xlsx_file import CELL_LIMIT, write_xlsx, xlsx_text


def row(text: str, **fields) -> ExportRow:
    values = dict(guid="g-1", document="doc", title="T", code="Code", code_path="Code",
                  coder="me", start=0, end=len(text), text=text, memo="", created="2026-01-07Z")
    values.update(fields)
    return ExportRow(**values)


# --- neutralise -------------------------------------------------------------------------


def test_a_segment_beginning_with_minus_gets_an_apostrophe_and_nothing_else():
    assert neutralise("-5 protesters") == "'-5 protesters"


@pytest.mark.parametrize("start", sorted(FORMULA_STARTS))
def test_each_formula_start_is_neutralised(start):
    assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert set(FORMULA_STARTS) == set("=+-@\t\r")


@pytest.mark.parametrize("text", ["", "5-3", " =1", "'=1", "protest", "\n=1", "😀=1", "#N/A"])
def test_other_cells_are_left_alone(text):
    assert neutralise(text) == text


@given(st.text())
def test_neutralise_adds_at_most_one_apostrophe_in_front(text):
    out = neutralise(text)
    assert out == text or out == "'" + text
    assert (out != text) == (text[:1] in FORMULA_STARTS)


# --- code paths -------------------------------------------------------------------------


@given(st.lists(st.text(min_size=1).map(str.strip).filter(bool), min_size=1, max_size=4))
def test_a_code_path_splits_back_into_its_names(names):
    assert split_code_path(join_code_path(names)) == names


def test_slash_and_backslash_in_a_name_are_escaped():
    assert join_code_path(["Actors", "Police / army", "a\\b"]) == \
        "Actors / Police \\/ army / a\\\\b"
    assert join_code_path(["Plain", "names"]) == "Plain / names"


# names made of the characters that matter: a space, a slash, a backslash, tabs, a letter
TRICKY = st.text(alphabet=[" ", "/", "\\", "\t", "a", "\u00a0"], max_size=6)


@given(st.lists(TRICKY, min_size=1, max_size=5))
def test_any_names_even_spaced_slashes_split_back(names):
    assert split_code_path(join_code_path(names)) == names


def test_a_slash_between_letters_is_written_as_it_is():
    """Issue 21: ``a/b`` under a parent is ``Parent / a/b`` in every export, as a reader
    writes it; only a slash with a space beside it is escaped."""
    assert join_code_path(["Parent", "a/b"]) == "Parent / a/b"
    assert split_code_path("Parent / a/b") == ["Parent", "a/b"]
    assert join_code_path(["a /b", "c/ d"]) == "a \\/b / c\\/ d"
    assert split_code_path("Parent / a\\/b") == ["Parent", "a/b"]  # older files read back


# --- CSV ---------------------------------------------------------------------------------


def test_csv_has_a_bom_a_header_and_neutralised_text_cells(tmp_path):
    rows = [row("-5 protesters", memo="line\nnext\ttab"),
            row('=HYPERLINK("x")', code='=HYPERLINK("x")', start=3, end=18),
            row("😀 e\u0301 Жаңаөзен", title="@title")]
    assert write_csv(tmp_path / "s.csv", rows) == 3
    data = (tmp_path / "s.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header, *back = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(header) == EXPORT_COLUMNS
    assert back[0][8] == "'-5 protesters" and back[0][9] == "line\nnext\ttab"
    assert back[1][3] == back[1][8] == '\'=HYPERLINK("x")' and back[1][6:8] == ["3", "18"]
    assert back[2][8] == "😀 e\u0301 Жаңаөзен" and back[2][2] == "'@title"


def test_csv_of_no_rows_is_a_header(tmp_path):
    assert write_csv(tmp_path / "s.csv", []) == 0
    assert (tmp_path / "s.csv").read_bytes() == \
        b"\xef\xbb\xbf" + ",".join(EXPORT_COLUMNS).encode() + b"\r\n"


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_text_escapes_what_xml_cannot_hold_and_a_literal_escape():
    assert xlsx_text("a\x0cb\x01") == "a_x000C_b_x0001_"
    assert xlsx_text("_x0041_ and _x41_") == "_x005F_x0041_ and _x41_"
    assert xlsx_text("tab\tnew\nline") == "tab\tnew\nline"
    assert xlsx_text("=1") == "'=1"


def test_xlsx_text_is_cut_to_excels_limit_in_utf16_units():
    long = "😀" * 20_000  # 40,000 UTF-16 units
    cell = xlsx_text(long)
    assert len(cell.encode("utf-16-le")) // 2 <= CELL_LIMIT and long.startswith(cell)
    assert len(cell) == CELL_LIMIT // 2
    assert xlsx_text("x" * CELL_LIMIT) == "x" * CELL_LIMIT
    assert xlsx_text("-" + "x" * CELL_LIMIT) == "'-" + "x" * (CELL_LIMIT - 2)


def test_xlsx_sheets_keep_numbers_numbers_and_error_like_text_text(tmp_path):
    codebook = [CodebookRow(1, "g", "#N/A", "#N/A", 0, "#112233", "def", "memo")]
    documents = [DocumentRow(1, "doc", 13, {"title": "T", "outlet": "=X"})]
    rows = [row("#N/A", code="#N/A", code_path="#N/A"), row("plain", start=2, end=7)]
    assert write_xlsx(tmp_path / "s.xlsx", rows, codebook, documents) == 2
    book = load_workbook(tmp_path / "s.xlsx")
    sheet = book["segments"]
    assert sheet["I2"].value == "#N/A" and sheet["I2"].data_type == "s"
    assert sheet["G3"].value == 2 and sheet["G3"].data_type == "n"
    assert book["codebook"]["C2"].fill.fgColor.rgb.endswith("112233")
    assert [c.value for c in book["documents"][1]] == ["name", "length", "codings", "title",
                                                       "outlet"]
    assert [c.value for c in book["documents"][2]] == ["doc", 13, 2, "T", "'=X"]
    assert [[c.value for c in r] for r in book["code x document"].rows] == [
        ["document", "#N/A"], ["doc", 1]]  # the other row's code is not in the codebook


def test_xlsx_rows_keep_markup_carriage_returns_and_edge_spaces(tmp_path):
    texts = ["  lead & <tag> trail\r\n ", "a\rb", "\ttab first", "😀\u0301 Жаңаөзен"]
    rows = [row(text, memo=text, guid=f"g{i}") for i, text in enumerate(texts)]
    assert write_xlsx(tmp_path / "s.xlsx", rows, [], []) == len(texts)
    back = list(load_workbook(tmp_path / "s.xlsx")["segments"].iter_rows(values_only=True))
    assert [(r[0], r[8], r[9]) for r in back[1:]] == [
        (f"g{i}", xlsx_text(text), xlsx_text(text)) for i, text in enumerate(texts)]
    assert back[1][8] == "  lead & <tag> trail\r\n " and back[3][8] == "'\ttab first"
    assert not list(tmp_path.glob(".*"))  # nothing left beside it


# --- JSON --------------------------------------------------------------------------------


def test_json_round_trip_and_shape(tmp_path):
    rows = [row("-5 😀\r\n", code_path="A / B \\/ C", memo="m\tm"), row("x", start=1, end=2)]
    assert write_json(tmp_path / "s.json", rows, {"project": "P"}) == 2
    header, back = read_json(tmp_path / "s.json")
    assert back == rows and header["project"] == "P" and header["count"] == 2
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["segments"][0]["code_path"] == ["A", "B / C"]
    assert data["segments"][0]["text"] == "-5 😀\r\n"  # not neutralised
    assert write_json(tmp_path / "e.json", [], {}) == 0
    assert read_json(tmp_path / "e.json")[1] == []


# --- the report --------------------------------------------------------------------------


def test_lanes_keep_one_height_per_coding():
    spans = [CodedSpan(i, 1, 1, "c", s, e) for i, (s, e) in
             enumerate([(0, 10), (2, 5), (3, 12), (6, 8), (11, 13)])]
    assert _lanes(spans) == [0, 1, 2, 1, 0]


def test_ink_reads_on_its_colour():
    assert ink_for("#000000") == "#FFFFFF" and ink_for("#F0E442") == "#000000"


def _report(tmp_path, limits=None):
    codebook = [CodebookRow(1, "g1", "<script>", "<script>", 0, "#0072B2", "<i>def</i>", "",
                            2, 1),
                CodebookRow(2, "g2", "Kid", "<script> / Kid", 1, "#E69F00", "", "memo & co",
                            1, 1)]
    text = "Alpha <b>beta</b> gamma 😀 delta"
    spans = [CodedSpan(1, 1, 1, "<coder>", 0, 17, "<script>alert(1)</script>"),
             CodedSpan(2, 1, 2, "me", 6, 24, ""), CodedSpan(3, 1, 1, "me", 24, 25, "")]
    path = tmp_path / "r.html"
    write_report(path, "<Project>", codebook,
                 [ReportDocument("<script>doc", "<title>", text, spans)], ["<script>doc"],
                 limits or ReportLimits())
    return path.read_text(encoding="utf-8"), text


def test_the_report_escapes_everything_and_shows_overlaps(tmp_path):
    page, text = _report(tmp_path)
    assert "<script" not in page and "<b>beta" not in page and "<i>def" not in page
    assert "&lt;b&gt;beta&lt;/b&gt;" in page and "&lt;i&gt;def&lt;/i&gt;" in page
    assert "&lt;script&gt;doc" in page and "&lt;Project&gt;" in page
    assert html.escape("<script>alert(1)</script>") in page and "&lt;coder&gt;" in page
    assert "#0072B2" in page and "#E69F00" in page
    assert 'title="&lt;script&gt;; &lt;script&gt; / Kid"' in page  # both codes over "<b>beta"
    assert '<span class="c1 l0"><span class="t c2 l1"' in page
    assert "😀" in page and 'href="#code-1"' in page


def test_the_report_says_what_its_limits_left_out(tmp_path):
    page, _text = _report(tmp_path, ReportLimits(text_per_document=5, segments_per_code=1,
                                                 segment_chars=3))
    assert "The rest of this document" in page and "1 more coding of this code" in page
    shown = page.split('<div class="text"')[1].split("</div>")[0]
    assert "Alpha" in shown and "beta" not in shown
