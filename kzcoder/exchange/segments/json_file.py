"""Coded segments as one JSON document, for scripts (UTF-8, no byte order mark)::

    {"format": "kzcoder-segments", "version": 1,
     "project": "NAME", "exported": "2026-01-07T10:00:00Z",
     "offsets": "code points of the stored text, end exclusive",
     "filters": {"code": null, "document": null, "coder": null, "codings": null},
     "segments": [{"guid": "...", "document": "...", "title": "...", "code": "...",
                   "code_path": ["Parent", "Child"], "coder": "...", "start": 0, "end": 5,
                   "text": "...", "memo": "...", "created": "..."}, ...],
     "count": 1}

A segment has the CSV's columns under the same names, except that ``code_path`` is the list of
names from the root (no escaping needed). Nothing is neutralised: no spreadsheet runs JSON.
``text`` is exactly the stored text's ``[start:end]`` in Python; in JavaScript that is
``Array.from(text).slice(start, end).join("")`` (a JavaScript string index counts UTF-16 units,
not code points). Written one segment at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from kzcoder.core.export_records import ExportRow, join_code_path, split_code_path

FORMAT = "kzcoder-segments"
VERSION = 1


def segment_json(row: ExportRow) -> dict[str, object]:
    """One coding as a JSON object (``code_path`` as a list of names)."""
    item: dict[str, object] = row._asdict()
    item["code_path"] = split_code_path(row.code_path)
    return item


def write_json(path: Path, rows: Iterable[ExportRow], header: Mapping[str, object]) -> int:
    """Write *header*'s keys, then ``segments`` and ``count``, to *path* as one JSON object;
    returns how many segments were written."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        fields = {"format": FORMAT, "version": VERSION, **header}
        for key, value in fields.items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        out.write('  "segments": [')
        for row in rows:
            out.write(",\n    " if count else "\n    ")
            out.write(json.dumps(segment_json(row), ensure_ascii=False))
            count += 1
        out.write("\n  ],\n" if count else "],\n")
        out.write(f'  "count": {count}\n}}\n')
    return count


def read_json(path: Path) -> tuple[dict[str, object], list[ExportRow]]:
    """The header and the segments of a file ``write_json`` wrote (ValueError if it is not
    one)."""
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path.name}: not a kzcoder segments file")
    rows = [ExportRow(**{**item, "code_path": join_code_path(item["code_path"])})
            for item in data.pop("segments")]
    return data, rows
