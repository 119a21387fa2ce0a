"""A codebook as JSON: ``{"name": ..., "codes": [{"name", "color", "shortcut", "description",
"children": [...]}]}``. The default codebook ships in this form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kzcoder.core.errors import KzError


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """A code as a codebook file has it: no project ids, its sub-codes inside it.

    ``color`` is "" when the file gives none; ``guid`` is "" when it gives none (a new code
    gets a fresh one); ``codings`` and ``documents`` are counts, for the formats that show them.
    """

    name: str
    color: str
    description: str = ""
    shortcut: str | None = None
    children: tuple[CodeEntry, ...] = field(default=())
    guid: str = ""
    codable: bool = True
    codings: int = 0
    documents: int = 0


def read_codebook_json(path: Path) -> list[CodeEntry]:
    """Parse a JSON codebook; KzError naming the file and the entry on any problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KzError(f"{path}: not a readable JSON codebook ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise KzError(f"{path}: a JSON codebook needs a 'codes' list")
    return [_entry(item, path, f"code {i + 1}") for i, item in enumerate(data["codes"])]


def _entry(item: object, path: Path, where: str) -> CodeEntry:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise KzError(f"{path}: {where} needs a 'name'")
    if not isinstance(item.get("color"), str):
        raise KzError(f"{path}: {where} ('{item['name']}') needs a 'color'")
    children = item.get("children", [])
    return CodeEntry(
        name=item["name"], color=item["color"], description=str(item.get("description", "")),
        shortcut=item.get("shortcut"),
        children=tuple(_entry(c, path, f"{where}.{j + 1}") for j, c in enumerate(children)),
    )
