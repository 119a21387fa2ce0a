"""Coded segments as an Excel workbook (XLSX), streamed: 100,000 codings take little memory.

openpyxl in write-only mode writes the workbook: its styles, the three small sheets and the
``segments`` sheet's header, frozen pane, column widths and autofilter. The segments' rows,
a million cells and more, are streamed by this module to a file beside the target as the
``<row>`` elements openpyxl itself would write (inline strings, numbers as numbers) and put
into that sheet when the package is copied to its place: openpyxl's cell objects cost about
8 µs each, and took 10 to 17 s for corpus_1k's 1.1 million cells where this takes 1 to 2 s.

Four sheets, each with a bold header row that stays in view (frozen), an autofilter and
column widths fitted to their content within bounds:

- ``segments``: one row per coding, the CSV's columns (``EXPORT_COLUMNS``); ``start`` and
  ``end`` are numbers (code points, end exclusive);
- ``codebook``: every code, parents before children: path, name, colour (the cell filled with
  it), description, memo, and its codings and documents *in this export*;
- ``documents``: every document: name, length (code points), codings in this export, then one
  column per attribute name (title, outlet, published...);
- ``code x document``: one row per document and one column per code (headed by its path), the
  number of the export's codings of that code in that document (Excel's last column is the
  16,384th: a codebook bigger than that has its first 16,383 codes there).

Every text cell goes through ``xlsx_text``: ``core.cells.neutralise`` first, then what XML
cannot hold (control characters other than tab, newline and carriage return) written as
Excel's ``_xHHHH_`` escape, which Excel and LibreOffice show as the character itself (a text
that already contains such a pattern has its ``_`` written ``_x005F_``, as Excel does), and
a text longer than Excel's limit of 32,767 characters (UTF-16 units) cut there: ``end -
start`` still tells its whole length, and the CSV and JSON exports hold it whole.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kzcoder.core.cells import neutralise
from kzcoder.core.export_records import EXPORT_COLUMNS, CodebookRow, DocumentRow, ExportRow
from kzcoder.exchange.report_html import ink_for

SHEETS = ("segments", "codebook", "documents", "code x document")
SEGMENTS_PART = "xl/worksheets/sheet1.xml"  # where openpyxl puts the first sheet
COMPRESSION = 6  # zlib's default; 1 saves little time and makes the file 40% bigger
#: Excel's limit on a cell's text, in UTF-16 units
CELL_LIMIT = 32_767
#: Excel's last column is the 16,384th; one is the document's name
MAX_CODE_COLUMNS = 16_383
SEGMENT_WIDTHS = {"guid": 38, "document": 24, "title": 40, "code": 20, "code_path": 32,
                  "coder": 14, "start": 9, "end": 9, "text": 60, "memo": 40, "created": 21,
                  "published": 12, "outlet": 20}
MIN_WIDTH, MAX_WIDTH = 8, 60

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_BOLD = Font(bold=True)
_ERRORS = frozenset(ERROR_CODES)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "_x005F_" if char == "_" else f"_x{ord(char):04X}_"


def _fits(cell: str) -> bool:
    return len(cell) <= CELL_LIMIT // 2 or len(cell.encode("utf-16-le")) // 2 <= CELL_LIMIT


def xlsx_text(value: str) -> str:
    """*value* as an XLSX text cell: neutralised, escaped where XML cannot hold it, and cut
    to Excel's limit (see the module docstring)."""
    cell = _NOT_XML.sub(_escape, neutralise(value))
    if _fits(cell):
        return cell
    low, high = 0, len(value)  # the longest beginning of *value* whose cell fits
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(_NOT_XML.sub(_escape, neutralise(value[:middle]))):
            low = middle
        else:
            high = middle - 1
    return _NOT_XML.sub(_escape, neutralise(value[:low]))


class _Sheet:
    """A write-only sheet with a bold, frozen header row and an autofilter over its rows."""

    def __init__(self, workbook: Workbook, title: str, header: Sequence[str],
                 widths: Sequence[float]) -> None:
        self.sheet = workbook.create_sheet(title)
        self.columns = len(header)
        self.rows = 0
        self.sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.append([self.styled(name, font=_BOLD) for name in header])

    def styled(self, value: object, **style: object) -> WriteOnlyCell:
        """A cell of this sheet with *style* (font=, fill=...); a text stays text."""
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str) and value in ERROR_CODES:  # "#N/A" as text, not an error
            cell.data_type = "s"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def append(self, values: list) -> None:
        for index, value in enumerate(values):
            if isinstance(value, str) and value in _ERRORS:
                values[index] = self.styled(value)
        self.sheet.append(values)
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(max(self.columns, 1))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def _width(values: Iterable[str], header: str) -> float:
    longest = max((len(line) for value in values for line in value.split("\n")), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, len(header) + 2, longest + 2)))


def write_xlsx(path: Path, rows: Iterable[ExportRow], codebook: Sequence[CodebookRow],
               documents: Sequence[DocumentRow]) -> int:
    """Write the workbook to *path*: *rows* on ``segments``, and the codebook, documents and
    code-by-document counts of those rows; returns how many rows.

    The rows go to a file beside *path* first (``_segment_rows``), openpyxl then writes the
    workbook with the ``segments`` sheet's header alone, and the rows are put into that sheet
    as its package is copied to *path* (``_splice``). Files beside *path* are removed."""
    path = Path(path)
    rows_path = path.with_name(f".{path.name}.rows")
    book_path = path.with_name(f".{path.name}.book")
    try:
        with open(rows_path, "wb") as out:
            count, pairs = _segment_rows(out, rows)
        workbook = Workbook(write_only=True)
        try:
            segments = _Sheet(workbook, SHEETS[0], EXPORT_COLUMNS,
                              [SEGMENT_WIDTHS[name] for name in EXPORT_COLUMNS])
            segments.rows = count
            segments.finish()
            _codebook_sheet(workbook, codebook, pairs)
            _documents_sheet(workbook, documents, pairs)
            _matrix_sheet(workbook, codebook, documents, pairs)
            workbook.save(book_path)
        except BaseException:
            _discard(workbook)
            raise
        _splice(book_path, path, rows_path)
    finally:
        rows_path.unlink(missing_ok=True)
        book_path.unlink(missing_ok=True)
    return count


def _xml(text: str) -> str:
    """A cell's text (already ``xlsx_text``) as the content of ``<t>``: markup characters
    escaped, a carriage return as a character reference (XML would read it as a newline)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def _string(column: str, row: str, text: str | None) -> str:
    if not text:
        return ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{column}{row}" t="inlineStr"><is><t{space}>{_xml(text)}</t></is></c>'


def _segment_rows(out: BinaryIO, rows: Iterable[ExportRow]
                  ) -> tuple[int, Counter[tuple[str, str]]]:
    """The ``<row>`` elements of the segments sheet from row 2 on, in UTF-8, as openpyxl
    writes them (inline strings, numbers as numbers); returns how many rows and the codings
    per (document, code path). Written here, not by openpyxl (see the module docstring)."""
    pairs: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}  # the cells of names, made once each
    count = 0
    lines: list[str] = []
    for count, (guid, document, title, code, code_path, coder, start, end, text, memo,
                created, published, outlet) in enumerate(rows, start=1):
        r = str(count + 1)
        cells = []
        for column, value in (("B", document), ("C", title), ("D", code), ("E", code_path),
                              ("F", coder)):
            cell = names.get(value)
            if cell is None:
                cell = names[value] = xlsx_text(value)
            cells.append(_string(column, r, cell))
        lines.append(f'<row r="{r}">{_string("A", r, xlsx_text(guid))}{"".join(cells)}'
                     f'<c r="G{r}"><v>{start}</v></c><c r="H{r}"><v>{end}</v></c>'
                     f'{_string("I", r, xlsx_text(text))}{_string("J", r, xlsx_text(memo))}'
                     f'{_string("K", r, xlsx_text(created))}'
                     f'{_string("L", r, xlsx_text(published))}'
                     f'{_string("M", r, xlsx_text(outlet))}</row>')
        pairs[document, code_path] += 1
        if len(lines) >= 1000:
            out.write("".join(lines).encode("utf-8"))
            lines = []
    out.write("".join(lines).encode("utf-8"))
    return count, pairs


def _splice(book_path: Path, path: Path, rows_path: Path) -> None:
    """Copy the package at *book_path* to *path* with the rows at *rows_path* put at the end
    of the segments sheet's ``sheetData`` (after its header row)."""
    with zipfile.ZipFile(book_path) as book, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as out:
        names = book.namelist()
        if SEGMENTS_PART not in names:
            raise RuntimeError(f"openpyxl wrote no {SEGMENTS_PART}")  # a bug, not the user's
        for info in book.infolist():
            data = book.read(info)
            if info.filename != SEGMENTS_PART:
                out.writestr(info.filename, data)
                continue
            head, end, tail = data.partition(b"</sheetData>")
            if not end:
                raise RuntimeError(f"no sheetData in {SEGMENTS_PART}")
            big = rows_path.stat().st_size > (1 << 30)
            with out.open(info.filename, "w", force_zip64=big) as entry, \
                    open(rows_path, "rb") as rows:
                entry.write(head)
                shutil.copyfileobj(rows, entry, 1 << 20)
                entry.write(end + tail)


def _discard(workbook: Workbook) -> None:
    """Delete the temporary files of a workbook that will not be saved (openpyxl keeps each
    write-only sheet's rows in one until it saves, and otherwise until the process ends)."""
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        rows = getattr(sheet, "_rows", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()  # ends the sheet's XML and closes its file
            writer.xf.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def _codebook_sheet(workbook: Workbook, codebook: Sequence[CodebookRow],
                    pairs: Counter[tuple[str, str]]) -> None:
    codings: Counter[str] = Counter()
    in_documents: Counter[str] = Counter()
    for (_document, code_path), count in pairs.items():
        codings[code_path] += count
        in_documents[code_path] += 1
    header = ("path", "name", "colour", "description", "memo", "codings", "documents")
    widths = [_width((c.path for c in codebook), "path"),
              _width((c.name for c in codebook), "name"),
              10, _width((c.description for c in codebook), "description"),
              _width((c.memo for c in codebook), "memo"), 10, 11]
    sheet = _Sheet(workbook, SHEETS[1], header, widths)
    for code in codebook:
        swatch = sheet.styled(code.color, fill=PatternFill("solid", fgColor=code.color[1:]),
                              font=Font(color=ink_for(code.color)[1:]))
        sheet.append([xlsx_text(code.path), xlsx_text(code.name), swatch,
                      xlsx_text(code.description), xlsx_text(code.memo),
                      codings[code.path], in_documents[code.path]])
    sheet.finish()


def _attribute_names(documents: Sequence[DocumentRow]) -> list[str]:
    names: dict[str, None] = {}
    for document in documents:
        names.update(dict.fromkeys(document.attributes))
    return list(names)


def _documents_sheet(workbook: Workbook, documents: Sequence[DocumentRow],
                     pairs: Counter[tuple[str, str]]) -> None:
    per_document: Counter[str] = Counter()
    for (document, _code_path), count in pairs.items():
        per_document[document] += count
    names = _attribute_names(documents)
    header = ["name", "length", "codings", *names]
    widths = [_width((d.name for d in documents), "name"), 10, 10,
              *(_width((d.attributes.get(n, "") for d in documents[:1000]), n) for n in names)]
    sheet = _Sheet(workbook, SHEETS[2], [xlsx_text(h) for h in header], widths)
    for document in documents:
        sheet.append([xlsx_text(document.name), document.length, per_document[document.name],
                      *(xlsx_text(document.attributes.get(n, "")) for n in names)])
    sheet.finish()


def _matrix_sheet(workbook: Workbook, codebook: Sequence[CodebookRow],
                  documents: Sequence[DocumentRow], pairs: Counter[tuple[str, str]]) -> None:
    codes = [code.path for code in codebook[:MAX_CODE_COLUMNS]]
    header = ["document", *codes]
    widths = [_width((d.name for d in documents), "document"),
              *(min(MAX_WIDTH, max(MIN_WIDTH, len(path) + 2)) for path in codes)]
    sheet = _Sheet(workbook, SHEETS[3], [xlsx_text(h) for h in header], widths)
    for document in documents:
        sheet.append([xlsx_text(document.name),
                      *(pairs.get((document.name, path), 0) for path in codes)])
    sheet.finish()
