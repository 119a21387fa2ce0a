"""Reading the history back: its entries, and checking the chain and the state it ends in
against the project as it is (``services.history.verify`` words the findings)."""

from __future__ import annotations

import hashlib
import sqlite3

from kzcoder.core.history import GENESIS, TRACKED, Entry, entry_hash, rows_digest
from kzcoder.db.history.tracking import all_states

PIECE = 1 << 20


def entries(db: sqlite3.Connection) -> list[Entry]:
    """Every entry, oldest first."""
    return [Entry(*row) for row in db.execute(
        "SELECT id, time, coder, action, previous, hash, rows FROM history ORDER BY id")]


def entry_rows(db: sqlite3.Connection, entry_id: int) -> list[tuple[str, str, str | None]]:
    """The row changes of one entry: (table, key, state hash or None)."""
    return db.execute("SELECT tbl, key, state FROM history_rows WHERE entry_id = ?",
                      (entry_id,)).fetchall()


def chain_problems(db: sqlite3.Connection) -> tuple[list[str], dict[tuple[str, str], str]]:
    """What is wrong with the chain itself (an entry whose hash does not match what it holds,
    or that does not follow the one before), and the state of every row the history ends in
    ((table, key) -> state hash; removed rows are left out)."""
    problems: list[str] = []
    expected: dict[tuple[str, str], str | None] = {}
    previous = GENESIS
    rows_of: dict[int, list[tuple[str, str, str | None]]] = {}
    for entry_id, table, key, state in db.execute(
            "SELECT entry_id, tbl, key, state FROM history_rows ORDER BY rowid"):
        rows_of.setdefault(entry_id, []).append((table, key, state))
    for entry in entries(db):
        rows = rows_of.pop(entry.id, [])
        if entry.previous != previous:
            problems.append(f"history entry {entry.id} ({entry.time}) does not follow the "
                            "entry before it (an entry was removed, inserted or reordered)")
        recomputed = entry_hash(entry.previous, entry.time, entry.coder, entry.action,
                                rows_digest(rows))
        if recomputed != entry.hash or len(rows) != entry.rows:
            problems.append(f"history entry {entry.id} ({entry.time}) was changed: its hash "
                            "does not match what it holds")
        previous = entry.hash
        for table, key, state in rows:
            expected[(table, key)] = state
    for entry_id in rows_of:
        problems.append(f"history rows of a missing entry {entry_id}")
    return problems, {k: v for k, v in expected.items() if v is not None}


def current_state(db: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every tracked row as it is now: (table, key) -> state hash."""
    found: dict[tuple[str, str], str] = {}
    for table in TRACKED:
        found.update({(table, key): state for key, state in all_states(db, table).items()})
    return found


def text_mismatches(db: sqlite3.Connection) -> list[tuple[int, str]]:
    """Documents whose stored text is not the text their SHA-256 column names."""
    found = []
    for document_id, name, text, sha in db.execute(
            "SELECT id, name, text, sha256 FROM documents ORDER BY id"):
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
            found.append((document_id, name))
    return found


def original_mismatches(db: sqlite3.Connection) -> list[tuple[int, str]]:
    """Kept original files whose bytes are not those their SHA-256 and size name (one kept as
    the stored text is checked as that text's UTF-8)."""
    found = []
    rows = db.execute("SELECT o.document_id, o.file_name, o.size, o.sha256, o.data IS NULL "
                      "FROM original_files o ORDER BY o.document_id").fetchall()
    for document_id, file_name, size, sha, as_text in rows:
        digest, length = hashlib.sha256(), 0
        if as_text:
            text = db.execute("SELECT text FROM documents WHERE id = ?",
                              (document_id,)).fetchone()[0]
            data = text.encode("utf-8")
            digest.update(data)
            length = len(data)
        else:
            offset = 1
            while True:
                piece = db.execute("SELECT substr(data, ?, ?) FROM original_files "
                                   "WHERE document_id = ?", (offset, PIECE, document_id)
                                   ).fetchone()[0]
                if not piece:
                    break
                digest.update(piece)
                length += len(piece)
                offset += len(piece)
        if digest.hexdigest() != sha or length != size:
            found.append((document_id, file_name))
    return found
