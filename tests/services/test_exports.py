"""Exports of coded segments (CSV, XLSX, JSON) and the HTML report, through the services, on a
project with awkward text: emoji and other astral characters, text from CRLF files, combining
accents, Cyrillic and Kazakh, a form feed, memos with newlines and tabs, formula-like cells and
a code named =HYPERLINK("x"). Every row read back is compared with the stored text."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kzcoder.core.cells import neutralise
from kzcoder.core.errors import KzError
from kzcoder.core.export_records import EXPORT_COLUMNS, ExportRow, join_code_path
from kzcoder.exchange.segments.json_file import read_json
from kzcoder.exchange.segments.xlsx_file import MAX_WIDTH, MIN_WIDTH, SHEETS
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.codings import add_coding, codings_by_id
from kzcoder.services.documents import (
    document_text,
    get_document,
    import_paths,
    update_document,
)
from kzcoder.services.exports import export_report, export_segments
from kzcoder.services.segments import list_segments

FILES = {
    "crlf.txt": "Protest in Almaty\r\n-5 protesters\r\n=SUM(A1) said the 😀 report\r\n".encode(),
    "accents.txt": "Cafe\u0301 owner: de\u0301ja\u0300 vu.\n+7 700 000 and @handle\n".encode(),
    "kazakh.txt": "Жаңаөзен: мұнайшылар ереуілі. Полиция 😀𝕏 «Қазақстан»\n\tTabbed\n".encode(),
    "<script>.txt": b"Page one\x0cPage two: _x0041_ and #N/A\n",
}
MEMOS = ("", "first line\nsecond\tafter a tab", "=1+1 memo", "<script>alert('m')</script>")


def _codings(text: str) -> list[tuple[int, int]]:
    """Spans of *text*: the whole, each line, two that overlap, one on each astral character."""
    spans = [(0, len(text))]
    start = 0
    for line in text.split("\n"):
        if line:
            spans.append((start, start + len(line)))
        start += len(line) + 1
    spans += [(0, min(len(text), 12)), (5, len(text) - 2)]
    spans += [(i, i + 1) for i, char in enumerate(text) if ord(char) > 0xFFFF]
    spans += [(0, i) for i, char in enumerate(text) if char == "\u0301"][:1]  # a mark cut off
    return spans


@pytest.fixture
def rich(project, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    docs = import_paths(project, sorted(folder.iterdir())).value.imported
    assert len(docs) == len(FILES)
    stored = "".join(document_text(project, d.id) for d in docs)
    assert "\u0301" in stored and "\r" not in stored and "\x0c" in stored
    update_document(project, "crlf", set_attributes={"title": "=Title with a formula"})
    update_document(project, "kazakh", set_attributes={"title": "Жаңаөзен 2011",
                                                        "outlet": "Azattyq"})
    hyperlink = add_code(project, '=HYPERLINK("x")', "#0072B2").value
    actors = add_code(project, "Actors", "#E69F00").value
    police = add_code(project, "Police / army", "#CC79A7", parent=actors.id).value
    script = add_code(project, "<script>", "#009E73").value
    codes = [hyperlink.id, actors.id, police.id, script.id]
    n = 0
    for doc in docs:
        for start, end in _codings(document_text(project, doc.id)):
            add_coding(project, doc.id, codes[n % 4], start, end,
                       coder=("aigerim", "daniyar")[n % 2], memo=MEMOS[n % 4])
            n += 1
    return project


def expected_rows(project, **filters) -> list[ExportRow]:
    """The rows an export must hold, made from other services than the export's."""
    codes = {c.id: c for c in list_codes(project)}

    def path(code_id):
        names = []
        while code_id is not None:
            names.append(codes[code_id].name)
            code_id = codes[code_id].parent_id
        return join_code_path(reversed(names))

    segments = list_segments(project, **filters)
    infos = codings_by_id(project, [s.id for s in segments])
    rows = []
    for s in segments:
        text = document_text(project, s.document_id)
        assert s.text == text[s.start:s.end]
        document = get_document(project, s.document_id)
        rows.append(ExportRow(infos[s.id].guid, s.document, document.title, s.code,
                              path(s.code_id), s.coder, s.start, s.end, text[s.start:s.end],
                              s.memo, infos[s.id].created, document.attributes.get("published",
                                                                                   ""),
                              document.attributes.get("outlet", "")))
    return rows


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def excel_unescape(cell: str) -> str:
    """What Excel shows for an XLSX text (openpyxl reads the ``_xHHHH_`` escapes as they are)."""
    return re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), cell)


def test_every_csv_row_holds_the_stored_text_neutralised_and_nothing_else_changed(rich, tmp_path):
    result = export_segments(rich, tmp_path / "s.csv", "csv")
    expected = expected_rows(rich)
    assert result.rows == len(expected) > 20 and result.path == tmp_path / "s.csv"
    assert result.describe() == f"{len(expected)} codings as CSV"
    header, *rows = read_csv(result.path)
    assert tuple(header) == EXPORT_COLUMNS
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert row == [str(v) if isinstance(v, int) else neutralise(v) for v in want]
        start, end = int(row[6]), int(row[7])
        stored = document_text(rich, get_document(rich, want.document).id)
        assert row[8] in (stored[start:end], "'" + stored[start:end])
    minus = [r for r in rows if r[8].startswith("'-5")]
    assert [r[8] for r in minus] == ["'-5 protesters"]
    assert any(r[3] == '\'=HYPERLINK("x")' for r in rows)
    assert any(r[9] == "first line\nsecond\tafter a tab" for r in rows)  # a memo, whole
    assert any(r[8] == "😀" for r in rows) and any(r[8] == "𝕏" for r in rows)


def test_every_xlsx_row_holds_the_stored_text_with_numbers_as_numbers(rich, tmp_path):
    result = export_segments(rich, tmp_path / "s.xlsx")
    expected = expected_rows(rich)
    book = load_workbook(result.path)
    assert book.sheetnames == list(SHEETS)
    sheet = book["segments"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(expected) + 1}"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == EXPORT_COLUMNS and all(cell.font.b for cell in sheet[1])
    assert len(rows) - 1 == len(expected) == result.rows
    for row, want in zip(rows[1:], expected, strict=True):
        assert isinstance(row[6], int) and isinstance(row[7], int)
        shown = [v if isinstance(v, int) else excel_unescape(v or "") for v in row]
        assert shown == [v if isinstance(v, int) else neutralise(v) for v in want]
    assert any("\x0c" in excel_unescape(r[8]) for r in rows[1:])  # a form feed, escaped
    assert any("_x0041_" in excel_unescape(r[8]) for r in rows[1:])  # a literal pattern kept
    for name in SHEETS:
        ws = book[name]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and all(MIN_WIDTH <= w <= MAX_WIDTH for w in widths)


def test_the_other_sheets_count_the_exported_codings(rich, tmp_path):
    path = export_segments(rich, tmp_path / "s.xlsx", coder="aigerim").path
    expected = expected_rows(rich, coder="aigerim")
    book = load_workbook(path)
    codebook = list(book["codebook"].iter_rows(values_only=True))
    assert codebook[0] == ("path", "name", "colour", "description", "memo", "codings",
                           "documents")
    paths = [row[0] for row in codebook[1:]]
    assert paths == ['\'=HYPERLINK("x")', "Actors", "Actors / Police \\/ army", "<script>"]
    assert {row[2] for row in codebook[1:]} == {c.color for c in list_codes(rich)}
    assert sum(row[5] for row in codebook[1:]) == len(expected)
    documents = list(book["documents"].iter_rows(values_only=True))
    assert documents[0][:3] == ("name", "length", "codings") and "title" in documents[0]
    assert sum(row[2] for row in documents[1:]) == len(expected)
    title = documents[0].index("title")
    assert "'=Title with a formula" in [row[title] for row in documents[1:]]
    matrix = list(book["code x document"].iter_rows(values_only=True))
    assert matrix[0][1:] == tuple(paths)
    assert sum(sum(row[1:]) for row in matrix[1:]) == len(expected)


def test_json_round_trip_gives_the_rows_unaltered(rich, tmp_path):
    result = export_segments(rich, tmp_path / "s.json")
    header, rows = read_json(result.path)
    assert rows == expected_rows(rich)
    assert header["count"] == len(rows) and header["project"] == "empty"
    assert header["filters"] == {"code": None, "subcodes": False, "document": None,
                                 "coder": None, "codings": None}


@pytest.mark.parametrize("filters", [
    {"code": "Actors"},  # that code only, not its sub-code (as list_segments)
    {"code": "Police / army"},
    {"doc": "kazakh"},
    {"coder": "daniyar"},
    {"code": "<script>", "coder": "daniyar"},
])
def test_filters_select_what_list_segments_selects(rich, tmp_path, filters):
    header, rows = read_json(export_segments(rich, tmp_path / "s.json", **filters).path)
    wanted = {"document" if k == "doc" else k: v for k, v in filters.items()}
    assert rows == expected_rows(rich, **wanted) and rows


def test_coding_ids_keep_just_those_codings(rich, tmp_path):
    everything = list_segments(rich)
    chosen = [s.id for s in everything[::3]] + [999_999]  # one that does not exist
    result = export_segments(rich, tmp_path / "s.csv", coding_ids=chosen)
    _header, *rows = read_csv(result.path)
    guids = codings_by_id(rich, chosen)
    assert [r[0] for r in rows] == [guids[s.id].guid for s in everything[::3]]
    both = export_segments(rich, tmp_path / "t.json", coding_ids=chosen, coder="aigerim")
    _h, rows = read_json(both.path)
    assert rows and all(r.coder == "aigerim" and r.guid in {g.guid for g in guids.values()}
                        for r in rows)
    assert export_segments(rich, tmp_path / "u.csv", coding_ids=[]).rows == 0


def test_refusals_are_one_line_and_write_nothing(rich, tmp_path):
    target = tmp_path / "s.csv"
    target.write_text("keep me")
    before = sorted(tmp_path.iterdir())
    with pytest.raises(KzError, match="already exists"):
        export_segments(rich, target)
    assert target.read_text() == "keep me"
    assert export_segments(rich, target, overwrite=True).rows > 0
    for call, message in [
        (lambda: export_segments(rich, tmp_path / "nowhere" / "s.csv"), "no such folder"),
        (lambda: export_segments(rich, tmp_path / "s.txt"), "say which format"),
        (lambda: export_segments(rich, tmp_path / "v.csv", coder="nobody"), "no coder"),
        (lambda: export_segments(rich, tmp_path / "v.csv", code="Nope"), "Nope"),
        (lambda: export_segments(rich, rich.path, "csv", overwrite=True),
         "open kzcoder project"),
        (lambda: export_report(rich, tmp_path), "is a folder"),
    ]:
        with pytest.raises(KzError, match=message) as caught:
            call()
        assert "\n" not in str(caught.value)
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "html"])
def test_stopping_leaves_nothing_behind(rich, tmp_path, fmt):
    before = sorted(tmp_path.iterdir())
    calls = []

    def progress(done, total, name):
        calls.append((done, total, name))
        return done < 2

    target = tmp_path / f"out.{fmt}"
    result = (export_report(rich, target, progress=progress) if fmt == "html"
              else export_segments(rich, target, progress=progress))
    assert result.stopped and result.path is None
    assert result.describe() == "stopped; nothing was written"
    assert sorted(tmp_path.iterdir()) == before
    assert [c[0] for c in calls] == [0, 1, 2] and calls[0][1] == len(FILES)


def test_progress_runs_to_the_end(rich, tmp_path):
    calls = []
    export_segments(rich, tmp_path / "s.xlsx", progress=lambda *a: calls.append(a) or True)
    assert [c[0] for c in calls] == [0, 1, 2, 3, 4] and calls[-1] == (4, 4, "")
    assert all(c[2] for c in calls[:-1])


class _Coverage(HTMLParser):
    """Each document's text in the report and, per character, the codes of the spans around
    it (classes ``cID``); the titles of the runs."""

    def __init__(self):
        super().__init__()
        self.documents: list[list[tuple[str, frozenset[int]]]] = []
        self.stack: list[set[int]] = []
        self.inside = False
        self.titles: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "text":
            self.inside = True
            self.documents.append([])
        elif self.inside and tag == "span":
            self.stack.append({int(c[1:]) for c in attrs["class"].split()
                               if c[0] == "c" and c[1:].isdigit()})
            if "title" in attrs:
                self.titles.append(attrs["title"])

    def handle_endtag(self, tag):
        if self.inside and tag == "span":
            self.stack.pop()
        elif self.inside and tag == "div":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            codes = frozenset().union(*self.stack)
            self.documents[-1] += [(char, codes) for char in data]


def test_the_report_highlights_every_coding_and_escapes_everything(rich, tmp_path):
    add_coding(rich, "kazakh", "Actors", 0, 8, coder="<script>", memo="<b>memo</b>")
    result = export_report(rich, tmp_path / "report.html")
    page = result.path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert "<b>memo" not in page and "&lt;b&gt;memo&lt;/b&gt;" in page
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from elsewhere
    for code in list_codes(rich):
        assert code.color in page
    parser = _Coverage()
    parser.feed(page)
    segments = list_segments(rich)
    documents = sorted({s.document_id for s in segments})
    assert len(parser.documents) == len(documents)
    for doc_id, shown in zip(documents, parser.documents, strict=True):
        text = document_text(rich, doc_id)
        assert "".join(char for char, _codes in shown) == text
        for index, (_char, codes) in enumerate(shown):
            assert codes == {s.code_id for s in segments
                             if s.document_id == doc_id and s.start <= index < s.end}
    assert any('=HYPERLINK("x")' in t and "Actors / Police \\/ army" in t
               for t in parser.titles)  # overlapping codings: both codes shown
    for memo in MEMOS[1:]:
        assert html_escape(memo) in page


def html_escape(text):
    import html

    return html.escape(text, quote=True)


def test_a_report_of_the_sample_project_and_of_an_empty_one(sample_project, project, tmp_path):
    add_coding(sample_project, 1, 1, 10, 50, coder="a")
    add_coding(sample_project, 1, 2, 30, 80, coder="b")
    page = export_report(sample_project, tmp_path / "sample.html").path.read_text()
    assert page.count('<div class="text"') == 5 and "Segments by code" in page
    empty = export_report(project, tmp_path / "empty.html")
    assert empty.rows == 0 and "No codes." in empty.path.read_text()
