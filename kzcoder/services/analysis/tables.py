"""Analysis results as tables (header and rows) and written to CSV or XLSX files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kzcoder.core.analysis.cooccurrence import Cooccurrence
from kzcoder.core.analysis.matrix import Matrix
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodeInfo
from kzcoder.db.snapshot import write_beside
from kzcoder.exchange.analysis_tables import Cell, write_table_csv, write_table_xlsx

TABLE_FORMATS = ("csv", "xlsx")


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[Cell]]]:
    """The matrix as ``code,LABEL...`` and one row per code, in the JSON's order."""
    return (["code", *matrix.columns],
            [[row.code, *row.counts] for row in matrix.rows])


def cooccurrence_table(codes: Sequence[CodeInfo], table: Cooccurrence,
                       ) -> tuple[list[str], list[list[Cell]]]:
    """One rectangular table: ``code,NAME...`` (the counts) then ``c:NAME...`` (the
    c-coefficients, rounded to 6 places), one row per code."""
    names = [c.name for c in codes]
    rows: list[list[Cell]] = [[name, *counts, *(round(x, 6) for x in cs)]
                              for name, counts, cs in zip(names, table.counts, table.c,
                                                          strict=True)]
    return ["code", *names, *(f"c:{name}" for name in names)], rows


def write_table(path: str | Path, fmt: str, header: Sequence[str],
                rows: Sequence[Sequence[Cell]], *, overwrite: bool = False,
                sheet: str = "table") -> Path:
    """Write a table to *path* as ``csv`` or ``xlsx``, safely (a new file beside it, then
    renamed); *path* must not exist unless *overwrite*."""
    if fmt not in TABLE_FORMATS:
        raise KzError(f"a table is written as {' or '.join(TABLE_FORMATS)}, not {fmt}")
    if fmt == "csv":
        return write_new_file(path, lambda p: write_table_csv(p, header, rows),
                              overwrite=overwrite)
    return write_new_file(path, lambda p: write_table_xlsx(p, header, rows, sheet=sheet),
                          overwrite=overwrite)


def write_new_file(path: str | Path, write: Callable[[Path], object], *,
                   overwrite: bool = False) -> Path:
    """Have ``write(temporary)`` fill a new file beside *path*, then give it *path*'s name
    (a chart's image, a table): *path* must not exist unless *overwrite*, and on any failure
    it is as it was. Returns the path written."""
    target = Path(path).expanduser().absolute()
    if not target.parent.is_dir():
        raise KzError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise KzError(f"{target}: is a folder; give a file name")
    if target.exists() and not overwrite:
        raise KzError(f"{target}: already exists; choose another name (or --force)")
    write_beside(target, write, overwrite=overwrite)
    return target
