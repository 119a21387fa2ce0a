"""A codebook as CSV (for spreadsheets and teams: one row per code, read back by kzcoder) and
as Markdown (a readable codebook for a paper's methods appendix)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.core.export_records import join_code_path, split_code_path
from kzcoder.exchange.codebook.json_file import CodeEntry
from kzcoder.exchange.codebook.qdc import normalise_color, normalise_guid
from kzcoder.exchange.text_reader import decode_bytes

CSV_COLUMNS = ("guid", "name", "path", "parent", "colour", "shortcut", "description",
               "codings", "documents")


def _walk(entries: list[CodeEntry] | tuple[CodeEntry, ...], path: tuple[str, ...] = (),
          parent: str = ""):  # noqa: ANN202 - iterator of (entry, path, parent guid)
    for entry in entries:
        here = (*path, entry.name)
        yield entry, here, parent
        yield from _walk(entry.children, here, entry.guid)


def csv_text(entries: list[CodeEntry]) -> str:
    """The CSV of a codebook, parents before children (UTF-8 with a BOM when written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry, path, parent in _walk(entries):
        writer.writerow([entry.guid, _cell(entry.name), _cell(join_code_path(path)),
                         parent, entry.color, entry.shortcut or "", _cell(entry.description),
                         entry.codings, entry.documents])
    return out.getvalue()


def _cell(text: str) -> str:
    """OWASP's rule against formula injection: a cell that a spreadsheet would run as a
    formula gets a leading apostrophe; nothing else is altered."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _uncell(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") \
        else text


def read_csv(path: Path) -> list[CodeEntry]:
    """A codebook from the CSV ``csv_text`` writes (``parent`` is the parent's GUID; without
    GUIDs, the ``path`` column places each code). KzError in one line naming the file."""
    try:
        text = decode_bytes(path.read_bytes(), path.name).text
    except OSError as exc:
        raise KzError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "name" not in (reader.fieldnames or []):
        raise KzError(f"{path.name}: a codebook CSV needs a 'name' column")
    rows: list[tuple[str, str, str, dict]] = []  # (key, parent key, name, row)
    for number, row in enumerate(reader, start=2):
        name = _uncell((row.get("name") or "").strip())
        if not name:
            raise KzError(f"{path.name}: line {number} has no name")
        code_path = split_code_path(_uncell(row.get("path") or "")) if row.get("path") \
            else [name]
        guid = normalise_guid(row.get("guid") or "")
        key = guid or join_code_path(code_path)
        parent = normalise_guid(row.get("parent") or "") or (
            join_code_path(code_path[:-1]) if len(code_path) > 1 else "")
        rows.append((key, parent, name, row))
    return _tree(rows, path)


def _tree(rows: list[tuple[str, str, str, dict]], path: Path) -> list[CodeEntry]:
    children: dict[str, list[str]] = {}
    by_key: dict[str, tuple[str, str, dict]] = {}
    for key, parent, name, row in rows:
        if key in by_key:
            raise KzError(f"{path.name}: the code '{name}' is listed twice")
        by_key[key] = (parent, name, row)
    for key, (parent, _name, _row) in by_key.items():
        children.setdefault(parent if parent in by_key else "", []).append(key)

    def build(key: str, seen: frozenset[str]) -> CodeEntry:
        if key in seen:
            raise KzError(f"{path.name}: the code '{by_key[key][1]}' is its own ancestor")
        _parent, name, row = by_key[key]
        shortcut = (row.get("shortcut") or "").strip() or None
        return CodeEntry(name=name, color=normalise_color(row.get("colour") or row.get("color")),
                         description=_uncell(row.get("description") or ""), shortcut=shortcut,
                         guid=normalise_guid(row.get("guid") or ""),
                         children=tuple(build(k, seen | {key}) for k in children.get(key, [])))

    return [build(key, frozenset()) for key in children.get("", [])]


def markdown_text(entries: list[CodeEntry], title: str) -> str:
    """A readable codebook: the tree as headings, each code's definition and counts."""
    lines = [f"# {title}", "", f"{sum(1 for _ in _walk(entries))} codes.", ""]
    for entry, path, _parent in _walk(entries):
        level = min(len(path) + 1, 6)
        key = f" · key {entry.shortcut}" if entry.shortcut else ""
        lines.append(f"{'#' * level} {entry.name}")
        lines.append("")
        lines.append(f"*{entry.codings} coding{'s' if entry.codings != 1 else ''} in "
                     f"{entry.documents} document{'s' if entry.documents != 1 else ''}{key}*")
        lines.append("")
        if entry.description.strip():
            lines += [line.rstrip() for line in entry.description.strip().splitlines()]
            lines.append("")
    return "\n".join(lines)
