"""``manifest.csv`` beside imported files: one row per file, its other columns become attributes."""

from __future__ import annotations

import csv
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.exchange.text_reader import decode_bytes

MANIFEST_NAME = "manifest.csv"
FILE_COLUMN = "file"


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Map each listed file name to its attributes; KzError naming the file on a bad manifest."""
    try:
        text = decode_bytes(path.read_bytes(), path.name).text
    except OSError as exc:
        raise KzError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    if FILE_COLUMN not in columns:
        raise KzError(f"{path}: needs a '{FILE_COLUMN}' column (has: {', '.join(columns)})")
    rows: dict[str, dict[str, str]] = {}
    for line_number, row in enumerate(reader, start=2):
        name = (row.get(FILE_COLUMN) or "").strip()
        if not name:
            raise KzError(f"{path}: line {line_number} names no file")
        rows[name] = {key.strip(): (value or "").strip() for key, value in row.items()
                      if key and key != FILE_COLUMN and value}
    return rows
