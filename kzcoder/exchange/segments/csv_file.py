"""Coded segments as CSV: one row per coding, for spreadsheets, R and pandas.

UTF-8 with a byte order mark (so that Excel reads it as UTF-8 rather than the system's code
page), comma-separated, every field that needs it quoted by Python's ``csv`` module (a text
with newlines, quotes or commas is one quoted field), rows ending ``\\r\\n`` as RFC 4180 says.
The header row is ``EXPORT_COLUMNS``: guid, document, title, code, code_path, coder, start,
end, text, memo, created, published, outlet. ``start`` and ``end`` are code points, end
exclusive. Every text field is passed through ``core.cells.neutralise`` (a leading apostrophe
before ``=``, ``+``, ``-``, ``@``, tab, carriage return); numbers are written as they are.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from pathlib import Path

from kzcoder.core.cells import neutralise
from kzcoder.core.export_records import EXPORT_COLUMNS, ExportRow


def csv_row(row: ExportRow) -> list[str | int]:
    """One coding as a CSV row: text fields neutralised, offsets as numbers."""
    (guid, document, title, code, code_path, coder, start, end, text, memo, created,
     published, outlet) = row
    n = neutralise
    return [n(guid), n(document), n(title), n(code), n(code_path), n(coder), start, end,
            n(text), n(memo), n(created), n(published), n(outlet)]


def write_csv(path: Path, rows: Iterable[ExportRow]) -> int:
    """Write *rows* to *path* (created or truncated) as CSV; returns how many were written.
    Rows are formatted into a buffer and encoded a thousand at a time."""
    count = 0
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    with open(path, "wb") as out:
        out.write(codecs.BOM_UTF8)
        writer.writerow(EXPORT_COLUMNS)
        for count, row in enumerate(rows, start=1):
            writer.writerow(csv_row(row))
            if count % 1000 == 0:
                out.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
        out.write(buffer.getvalue().encode("utf-8"))
    return count
