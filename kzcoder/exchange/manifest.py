"""``manifest.csv`` beside imported files: one row per file, its other columns become attributes.

The manifest is decoded as documents are (``text_reader.decode_bytes``) and read as CSV (a
quoted value may span lines; line numbers in messages are those of the file). A manifest that
cannot be trusted is refused whole, with one line naming it: no ``file`` column, a column named
twice, a row naming no file, or **a file listed twice** — two rows for one file give it two
sets of attributes and kzcoder will not pick one silently, so the message names the file and
both line numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kzcoder.core.errors import KzError
from kzcoder.exchange.text_reader import decode_bytes

if TYPE_CHECKING:
    from _csv import Reader

MANIFEST_NAME = "manifest.csv"
FILE_COLUMN = "file"


@dataclass(frozen=True, slots=True)
class Manifest:
    """A manifest's rows (file name → attributes) and the warnings its decoding gave."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Map each listed file name to its attributes; KzError naming the file on a bad manifest."""
    return load_manifest(path).rows


def load_manifest(path: Path) -> Manifest:
    """Read *path* as ``read_manifest`` does, keeping the warnings of its decoding (e.g. a byte
    that was not UTF-8); KzError with one line naming the file on a bad manifest."""
    try:
        decoded = decode_bytes(path.read_bytes(), path.name)
    except OSError as exc:
        raise KzError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    reader = csv.reader(io.StringIO(decoded.text, newline=""))
    try:
        return Manifest(_rows(path, reader), decoded.warnings)
    except csv.Error as exc:
        raise KzError(f"{path}: line {reader.line_num} is not valid CSV "
                      f"({_one_line(str(exc))})") from exc


def _rows(path: Path, reader: Reader) -> dict[str, dict[str, str]]:
    columns = next(reader, [])
    if FILE_COLUMN not in columns:
        raise KzError(f"{path}: needs a '{FILE_COLUMN}' column (has: "
                      f"{', '.join(_one_line(column) for column in columns)})")
    seen_columns: set[str] = set()
    for column in columns:
        key = column.strip()
        if key in seen_columns:
            raise KzError(f"{path}: column '{_one_line(key)}' appears twice")
        if key:
            seen_columns.add(key)
    rows: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    while True:
        line_number = reader.line_num + 1
        values = next(reader, None)
        if values is None:
            return rows
        if not values:  # a blank line
            continue
        row = dict(zip(columns, values, strict=False))
        name = (row.get(FILE_COLUMN) or "").strip()
        if not name:
            raise KzError(f"{path}: line {line_number} names no file")
        if name in first_line:
            raise KzError(f"{path}: {_one_line(name)} is listed twice (lines "
                          f"{first_line[name]} and {line_number}); keep one row per file")
        first_line[name] = line_number
        # a header of white space only (e.g. a stray tab) names no attribute
        rows[name] = {key.strip(): value.strip() for key, value in row.items()
                      if key.strip() and key != FILE_COLUMN and value.strip()}


def _one_line(text: str) -> str:
    """*text* with every run of whitespace, line breaks included, as one space."""
    return " ".join(text.split())
