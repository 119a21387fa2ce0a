"""The tamper-evident history: listing it, and verifying a project against it.

Every unit of work appends its entry as it commits (``Project.unit``, see ``db.history``);
nothing here changes a project.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kzcoder.core.history import Entry
from kzcoder.db import snapshot
from kzcoder.db.history import reading
from kzcoder.db.queries import raw
from kzcoder.services.project import Project

_WHAT = {"project": "the project's name or memo", "documents": "document",
         "document_attributes": "attribute", "original_files": "original file of document",
         "codes": "code", "coders": "coder", "codings": "coding"}


_CHANGED = {"codings": "its span, code, coder or memo was changed",
            "documents": "its name, text or memo was changed",
            "original_files": "its name, type, size or checksum was changed"}


def list_history(project: Project, *, document: int | None = None,
                 coding: int | None = None) -> list[Entry]:
    """The history, oldest first; with *document* or *coding*, only the entries that changed
    that document (its name, text, attributes, original) or that coding."""
    with project.unit() as session:
        db = raw(session)
        if document is None and coding is None:
            return reading.entries(db)
        keys: list[tuple[str, str]] = []
        if coding is not None:
            keys.append(("codings", json.dumps([coding])))
        if document is not None:
            keys += [("documents", json.dumps([document])),
                     ("original_files", json.dumps([document]))]
        clauses = " OR ".join("(tbl = ? AND key = ?)" for _ in keys)
        params = [value for pair in keys for value in pair]
        if document is not None:  # an attribute's key is [document, name]
            clauses += " OR (tbl = 'document_attributes' AND key LIKE ?)"
            params.append(f"[{int(document)},%")
        wanted = {row[0] for row in db.execute(
            f"SELECT DISTINCT entry_id FROM history_rows WHERE {clauses}", params)}
        return [entry for entry in reading.entries(db) if entry.id in wanted]


@dataclass
class Verification:
    """What ``verify`` found: the head hash, how many entries, and every problem (one line
    each; empty: the project is exactly what its history says)."""

    head: str
    entries: int
    problems: list[str] = field(default_factory=list)
    #: where the --head HASH asked about is in the chain (1-based), or None
    head_position: int | None = None


def verify(path: str | Path, *, head: str | None = None) -> Verification:
    """Check the project at *path*: SQLite's integrity check, the chain (each entry's hash
    and link), every tracked row against the state the history ends in, every document's
    text and every kept original against their SHA-256, and, with *head*, that the chain
    holds that hash. KzError if the project cannot be opened."""
    path = Path(path).expanduser().absolute()
    with Project.open(path) as project:
        problems = [f"integrity check: {p}" for p in snapshot.integrity_problems(path)[:5]]
        with project.unit() as session:
            db = raw(session)
            chain, expected = reading.chain_problems(db)
            problems += chain
            problems += _state_problems(expected, reading.current_state(db))
            problems += [f"document {i} '{name}': its text was changed outside kzcoder"
                         for i, name in reading.text_mismatches(db)]
            problems += [f"document {i}: its original file '{name}' was changed outside "
                         "kzcoder" for i, name in reading.original_mismatches(db)]
            entries = reading.entries(db)
    found = Verification(entries[-1].hash if entries else "", len(entries), problems)
    if head is not None:
        positions = {entry.hash: number for number, entry in enumerate(entries, start=1)}
        found.head_position = positions.get(head.strip().lower())
        if found.head_position is None:
            found.problems.append(f"the history does not hold {head}: it is not this "
                                  "project's history, or it was rewritten")
    return found


def _state_problems(expected: dict[tuple[str, str], str],
                    current: dict[tuple[str, str], str]) -> list[str]:
    problems = []
    for table, key in sorted(expected.keys() | current.keys()):
        what = f"{_WHAT[table]} {_shown(key)}"
        was, now = expected.get((table, key)), current.get((table, key))
        if was == now:
            continue
        if was is None:
            problems.append(f"{what}: not in the history (added outside kzcoder)")
        elif now is None:
            problems.append(f"{what}: removed outside kzcoder")
        else:
            problems.append(f"{what}: {_CHANGED.get(table, 'changed')} outside kzcoder")
    return problems


def _shown(key: str) -> str:
    values = json.loads(key)
    return " ".join(str(v) for v in values)
