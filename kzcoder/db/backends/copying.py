"""Copying a whole project from one database to another (file to server: publish; server to
file: clone), row for row with the same ids and GUIDs, inside the caller's transactions.

The schema is the same on both sides (the same migrations), so every table of the models is
copied as it is, parents before children; codes are put in an order where a parent always
comes before its sub-codes (a code moved under a later one has a larger parent id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Connection, Table, func, insert, select, text

from kzcoder.db.models import Base

BATCH_ROWS = 1_000
BATCH_CODE_POINTS = 8_000_000  # documents: a batch is also cut by the size of its texts


def project_tables() -> list[Table]:
    """The tables a project is made of, parents first (the change logs are not copied: they
    describe changes to the database they happened in)."""
    return [table for table in Base.metadata.sorted_tables if table.name not in CHANGE_LOGS]


#: each backend's own record of changes, never copied: a server's events (its change feed)
#: and a file's hash-chained history, which the copy starts anew from the rows it receives
CHANGE_LOGS = frozenset({"events", "history", "history_rows"})


def copy_project(source: Connection, target: Connection,
                 progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of *source* into the empty tables of *target*; how many per table."""
    counts: dict[str, int] = {}
    for table in project_tables():
        copied = 0
        for batch in _batches(source, table):
            target.execute(insert(table), batch)
            copied += len(batch)
            if progress is not None:
                progress(table.name, copied)
        counts[table.name] = copied
    return counts


def _rows(source: Connection, table: Table) -> Iterator[dict]:
    if table.name == "codes":
        yield from _codes_parents_first(source, table)
        return
    order = list(table.primary_key.columns)
    result = source.execution_options(yield_per=BATCH_ROWS).execute(
        select(table).order_by(*order))
    for row in result.mappings():
        yield dict(row)


def _codes_parents_first(source: Connection, table: Table) -> Iterator[dict]:
    rows = [dict(row) for row in source.execute(select(table).order_by(table.c.id)).mappings()]
    placed: set[int] = set()
    while rows:
        ready = [row for row in rows if row["parent_id"] is None or row["parent_id"] in placed]
        if not ready:  # a cycle cannot be stored (the service refuses it): a damaged source
            raise ValueError("codes: the tree has a cycle")
        yield from ready
        placed.update(row["id"] for row in ready)
        rows = [row for row in rows if row["id"] not in placed]


def _batches(source: Connection, table: Table) -> Iterator[list[dict]]:
    batch: list[dict] = []
    size = 0
    for row in _rows(source, table):
        batch.append(row)
        size += len(row.get("text") or "") if table.name == "documents" else 0
        if len(batch) >= BATCH_ROWS or size >= BATCH_CODE_POINTS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def reset_sequences(target: Connection) -> None:
    """After rows came in with their own ids, make PostgreSQL's sequences continue after them."""
    for table in project_tables() + [Base.metadata.tables["events"]]:
        if "id" not in table.c or len(table.primary_key.columns) != 1:
            continue
        highest = target.execute(select(func.max(table.c.id))).scalar()
        target.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
                       {"t": table.name, "v": highest or 1, "called": highest is not None})
