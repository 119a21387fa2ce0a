"""Noticing what a unit of work changed, and appending it to the chain as the unit commits.

Each of kzcoder's connections gets TEMP triggers on the tracked tables (``core.history.TRACKED``)
that note the key of every row inserted, updated or deleted in ``temp.kz_touched``. They are
temporary, so they exist only in kzcoder's connections: a change made by another program (the
sqlite3 shell, a script) is noted nowhere, enters no entry, and ``verify`` then finds the row
differing from what the history says it is. The notes are part of the transaction: a unit that
rolls back leaves none.

``append`` runs once per unit, just before its commit, in the same transaction: it reads the
new state of each noted row, writes one entry (and its row hashes) after the head, and clears
the notes. A unit that changed nothing tracked writes nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from kzcoder.core.history import (
    GENESIS,
    TRACKED,
    RowChange,
    entry_hash,
    row_hash,
    row_key,
    rows_digest,
)

_NOTES = ("CREATE TEMP TABLE IF NOT EXISTS kz_touched (tbl TEXT NOT NULL, key TEXT NOT NULL, "
          "first_op TEXT NOT NULL, PRIMARY KEY (tbl, key))")


def _trigger(table: str, operation: str, row: str) -> str:
    keys, values = TRACKED[table]
    key = "json_array(" + ", ".join(f'{row}."{k}"' for k in keys) + ")"
    # an UPDATE of an untracked column (a document's text is pinned by its sha256) is not
    # noted: such a trigger would make SQLite load the whole row, text included
    event = operation.upper()
    if operation == "update":
        event += " OF " + ", ".join(f'"{c}"' for c in (*keys, *values))
    return (f"CREATE TEMP TRIGGER IF NOT EXISTS kz_note_{table}_{operation}_{row.lower()} "
            f"AFTER {event} ON main.\"{table}\" BEGIN "
            f"INSERT OR IGNORE INTO kz_touched (tbl, key, first_op) "
            f"VALUES ('{table}', {key}, '{operation}'); END")


#: no INSERT trigger on documents: SQLite would copy the rows of an ``INSERT ... SELECT`` into
#: a table with INSERT triggers aside first, a second copy of a long text (the import stages
#: texts so as to hold two copies at most). The three queries that insert documents note them
#: with ``note`` instead; tests/protection checks that import, REFI import and merge leave a
#: history that verifies.
_UNTRIGGERED = {("documents", "insert")}

_TRIGGERS = tuple(
    _trigger(table, operation, row)
    for table in TRACKED
    for operation, rows in (("insert", ("NEW",)), ("update", ("OLD", "NEW")),
                            ("delete", ("OLD",)))
    if (table, operation) not in _UNTRIGGERED
    for row in rows)


def install(dbapi_connection: sqlite3.Connection) -> None:
    """Give *dbapi_connection* the temporary triggers (idempotent; the project's schema must
    have the history, i.e. be at the head revision)."""
    for statement in (_NOTES, *_TRIGGERS):
        dbapi_connection.execute(statement)


def note(db: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
    """Note rows of *table* inserted by this transaction that no trigger notes (see
    ``_UNTRIGGERED``). Nothing on a server, whose change feed is its events."""
    if getattr(db, "is_server", False):
        return
    db.execute(_NOTES)
    db.executemany("INSERT OR IGNORE INTO kz_touched (tbl, key, first_op) "
                   "VALUES (?, ?, 'insert')", [(table, row_key([i])) for i in ids])


def _states(db: sqlite3.Connection, table: str,
            keyed: dict[str, list[object]]) -> dict[str, str | None]:
    # *keyed*: row_key -> the key's values
    key_columns, value_columns = TRACKED[table]
    columns = ", ".join(f'"{c}"' for c in value_columns)
    found: dict[str, str | None] = dict.fromkeys(keyed)
    if len(key_columns) == 1:
        # one query per 500 rows, not one per row: a merge of a big code changes 10,000
        named = {values[0]: name for name, values in keyed.items()}
        wanted = list(named)
        for first in range(0, len(wanted), _BATCH):
            batch = wanted[first:first + _BATCH]
            marks = ", ".join("?" * len(batch))
            for key, *row in db.execute(f'SELECT "{key_columns[0]}", {columns} FROM '
                                        f'main."{table}" WHERE "{key_columns[0]}" IN ({marks})',
                                        batch):
                found[named[key]] = row_hash(table, row)
        return found
    where = " AND ".join(f'"{c}" IS ?' for c in key_columns)
    for name, values in keyed.items():
        row = db.execute(f'SELECT {columns} FROM main."{table}" WHERE {where}',
                         values).fetchone()
        found[name] = None if row is None else row_hash(table, row)
    return found


_BATCH = 500  # below SQLite's smallest limit on bound parameters (999)


def all_states(db: sqlite3.Connection, table: str) -> dict[str, str]:
    """Every row of *table*: its key -> its state hash."""
    key_columns, value_columns = TRACKED[table]
    columns = ", ".join(f'"{c}"' for c in (*key_columns, *value_columns))
    split = len(key_columns)
    return {row_key(row[:split]): row_hash(table, row[split:])
            for row in db.execute(f'SELECT {columns} FROM main."{table}"')}


def _action(notes: list[tuple[str, str, str]], states: dict[tuple[str, str], str | None]
            ) -> str:
    counts: dict[tuple[str, str], int] = {}
    for table, key, first_op in notes:
        state = states[(table, key)]
        what = ("removed" if state is None else "added" if first_op == "insert"
                else "changed")
        counts[(what, table)] = counts.get((what, table), 0) + 1
    return "; ".join(f"{what} {n} {_NAMES[table][n != 1]}"
                     for (what, table), n in sorted(counts.items()))


_NAMES = {"project": ("project", "projects"), "documents": ("document", "documents"),
          "document_attributes": ("document attribute", "document attributes"),
          "original_files": ("original file", "original files"), "codes": ("code", "codes"),
          "coders": ("coder", "coders"), "codings": ("coding", "codings")}


_INTEGER_KEY = re.compile(r"\[-?[0-9]+\]")


def _parsed(key: str) -> tuple[str, list[object]]:
    """A noted key (SQLite's json_array) as (its ``row_key``, its values). The json_array of
    one integer is already row_key's text; other keys are re-encoded."""
    if _INTEGER_KEY.fullmatch(key):
        return key, [int(key[1:-1])]
    values = json.loads(key)
    return row_key(values), values


def append(db: sqlite3.Connection, *, coder: str, label: str = "") -> str | None:
    """Write one entry for what the current transaction changed (nothing if it changed
    nothing tracked); returns the new head hash, or None."""
    notes = db.execute("SELECT tbl, key, first_op FROM temp.kz_touched").fetchall()
    if not notes:
        return None
    by_table: dict[str, dict[str, list[object]]] = {}
    canonical: list[tuple[str, str, str]] = []
    for table, key, op in notes:
        name, values = _parsed(key)
        by_table.setdefault(table, {})[name] = values
        canonical.append((table, name, op))
    states: dict[tuple[str, str], str | None] = {}
    for table, keyed in by_table.items():
        for name, state in _states(db, table, keyed).items():
            states[(table, name)] = state
    rows: list[RowChange] = [(table, key, states[(table, key)]) for table, key, _ in canonical]
    action = label or _action(canonical, states)
    write_entry(db, coder=coder, action=action, rows=rows)
    db.execute("DELETE FROM temp.kz_touched")
    return head(db)


def write_entry(db: sqlite3.Connection, *, coder: str, action: str, rows: list[RowChange],
                time: str | None = None) -> str:
    """Append one entry after the head, with *rows*; returns its hash."""
    time = time or datetime.now(UTC).isoformat(timespec="microseconds")
    previous = head(db) or GENESIS
    digest = entry_hash(previous, time, coder, action, rows_digest(rows))
    entry_id = db.execute(
        "INSERT INTO history (time, coder, action, previous, hash, rows) "
        "VALUES (?, ?, ?, ?, ?, ?)", (time, coder, action, previous, digest, len(rows))
    ).lastrowid
    db.executemany("INSERT INTO history_rows (entry_id, tbl, key, state) VALUES (?, ?, ?, ?)",
                   [(entry_id, table, key, state) for table, key, state in rows])
    return digest


def head(db: sqlite3.Connection) -> str | None:
    """The newest entry's hash (None: the history is empty)."""
    row = db.execute("SELECT hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def begin(db: sqlite3.Connection, *, coder: str, action: str) -> str:
    """The first entry of a project's history: every tracked row as it is now (a project
    made before kzcoder kept a history starts its history from its state then)."""
    rows: list[RowChange] = []
    for table in TRACKED:
        rows += [(table, key, state) for key, state in all_states(db, table).items()]
    return write_entry(db, coder=coder, action=action, rows=rows)
