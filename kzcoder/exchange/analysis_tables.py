"""Analysis tables (a code matrix, a co-occurrence table) as CSV and XLSX.

A table is a header (its first cell names the row labels' column, then the column labels) and
rows whose first cell is a label and whose other cells are numbers. CSV: UTF-8 with a byte
order mark, ``\\r\\n`` line ends, as the segments' CSV. XLSX: one sheet, the numbers as
numbers (never formulas), a bold frozen header. Every text cell goes through
``core.cells.neutralise`` (a code or attribute value beginning with ``=`` stays text).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Sequence
from pathlib import Path

from kzcoder.core.cells import neutralise

Cell = str | int | float


def write_table_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> int:
    """Write the table to *path* as CSV; returns the number of rows (header not counted)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(codecs.BOM_UTF8.decode("utf-8"))
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in header])
        for row in rows:
            writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return len(rows)


def write_table_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]], *,
                     sheet: str = "table") -> int:
    """Write the table to *path* as a one-sheet workbook; returns the number of rows."""
    from openpyxl import Workbook  # loaded only for an XLSX
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    page.freeze_panes = "B2"
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(page, value=neutralise(text))
        cell.font = bold
        cells.append(cell)
    page.append(cells)
    for row in rows:
        page.append([neutralise(v) if isinstance(v, str) else v for v in row])
    book.save(path)
    return len(rows)
