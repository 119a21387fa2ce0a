"""The tamper-evident history's hashes: of a row's state, and of an entry in the chain.

Every unit of work that changes a project appends one entry: when, who, what (a short action,
and for every row it changed the hash of that row's new state, or None for a removed row), and
the hash of the entry before it. An entry's hash covers all of that, so changing anything in
an entry, removing one, or reordering them changes every hash after it: the head hash, put in a
paper or an archive record, pins the whole history and, through the row hashes, the state of
every coding, document, original file, code and coder it ends in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: the hash of the entry before the first
GENESIS = "0" * 64

#: what each tracked table's row is keyed by, and which of its columns its state is. A
#: document's text is pinned by its SHA-256 column (verify checks the text against it), an
#: original file by its SHA-256 and size (verify checks its bytes).
TRACKED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "project": (("id",), ("guid", "name", "memo")),
    "documents": (("id",), ("guid", "name", "sha256", "length", "memo")),
    "document_attributes": (("document_id", "name"), ("value",)),
    "original_files": (("document_id",), ("file_name", "media_type", "size", "sha256")),
    "codes": (("id",), ("guid", "parent_id", "name", "color", "description", "memo",
                        "shortcut")),
    "coders": (("id",), ("guid", "name")),
    "codings": (("id",), ("guid", "document_id", "code_id", "coder_id", "start", "end",
                          "memo")),
}

RowChange = tuple[str, str, "str | None"]  # table, key (JSON array), state hash (None: gone)


# json.dumps with options builds an encoder per call; a merge hashes tens of thousands of rows
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def row_key(values: Sequence[object]) -> str:
    """The key of a row in a history entry: its primary key's values as a JSON array (the
    same text as SQLite's ``json_array`` of them)."""
    return _COMPACT.encode(list(values))


def row_hash(table: str, values: Sequence[object]) -> str:
    """SHA-256 (hex) of a row's state: its table and the values of its tracked columns."""
    return hashlib.sha256(_COMPACT.encode([table, list(values)]).encode("utf-8")).hexdigest()


def rows_digest(rows: Iterable[RowChange]) -> str:
    """SHA-256 (hex) over an entry's row changes, in their canonical (sorted) order."""
    digest = hashlib.sha256()
    for table, key, state in sorted(rows, key=lambda row: (row[0], row[1])):
        digest.update(f"{table}\t{key}\t{state or '-'}\n".encode())
    return digest.hexdigest()


def entry_hash(previous: str, time: str, coder: str, action: str, rows_sha: str) -> str:
    """SHA-256 (hex) of one entry: the previous entry's hash and everything this one holds."""
    text = json.dumps({"previous": previous, "time": time, "coder": coder, "action": action,
                       "rows": rows_sha}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One entry of the history: when, who, what, and its place in the chain."""

    id: int
    time: str
    coder: str
    action: str
    previous: str
    hash: str
    #: how many rows it changed
    rows: int
