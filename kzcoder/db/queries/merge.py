"""Queries of a merge (``services.merge``): reading another project whole, by GUID; the rows
of this one a merge compares against; and taking out and putting back exactly the rows a merge
added (its undo and redo).

Through the DB-API connection of the unit (``raw``), for two reasons: a merge reads and writes
every coding of two projects (SQLAlchemy's row handling would cost several times SQLite's), and
undo/redo must give back every column of a row as it was (ids, GUIDs, blobs of original files),
which ``SELECT *`` and an INSERT naming the same columns do whatever the schema adds later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from kzcoder.core.merge_records import (
    OtherAnnotation,
    OtherCode,
    OtherCoder,
    OtherCodeSet,
    OtherCoding,
    OtherDocument,
    OtherJournalEntry,
)
from kzcoder.db.history import tracking as history
from kzcoder.db.queries import chunks, is_postgres, raw, search_chunks

#: the tables undo and redo touch, and the memo columns a merge may set (never from input)
TABLES = ("coders", "codes", "documents", "document_attributes", "original_files", "codings",
          "journal", "annotations", "code_sets")
MEMO_TABLES = ("project", "documents", "codes")


# --- the other project, whole --------------------------------------------------------------

def other_coders(session: Session) -> list[OtherCoder]:
    return [OtherCoder(*row) for row in raw(session).execute(
        "SELECT guid, name FROM coders ORDER BY id")]


def other_codes(session: Session) -> list[OtherCode]:
    """Every code, parents before children, siblings by position."""
    rows = raw(session).execute(
        "SELECT id, guid, parent_id, name, color, description, memo, shortcut, codable "
        "FROM codes ORDER BY position, id").fetchall()
    guids = {row[0]: row[1] for row in rows}
    children: dict[int | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[2], []).append(row)
    found: list[OtherCode] = []

    def visit(parent: int | None) -> None:
        for code_id, guid, parent_id, name, color, description, memo, shortcut, codable in \
                children.get(parent, []):
            found.append(OtherCode(guid, guids.get(parent_id, ""), name, color,
                                   description or "", memo or "", shortcut, bool(codable)))
            visit(code_id)

    visit(None)
    return found


def other_documents(session: Session) -> list[OtherDocument]:
    db = raw(session)
    attributes: dict[int, list[tuple[str, str]]] = {}
    for document_id, name, value in db.execute(
            "SELECT document_id, name, value FROM document_attributes ORDER BY document_id, "
            "name"):
        attributes.setdefault(document_id, []).append((name, value))
    originals = {row[0] for row in db.execute("SELECT document_id FROM original_files")}
    return [OtherDocument(guid, name, text, sha256, encoding or "utf-8", memo or "",
                          created or "", tuple(attributes.get(i, ())), i in originals)
            for i, guid, name, text, sha256, encoding, memo, created in db.execute(
                "SELECT id, guid, name, text, sha256, source_encoding, memo, created "
                "FROM documents ORDER BY id")]


def other_codings(session: Session) -> list[OtherCoding]:
    return [OtherCoding(*row) for row in raw(session).execute(
        'SELECT c.guid, d.guid, k.guid, u.guid, c.start, c."end", c.memo, c.created '
        "FROM codings c JOIN documents d ON d.id = c.document_id "
        "JOIN codes k ON k.id = c.code_id JOIN coders u ON u.id = c.coder_id "
        "ORDER BY d.id, c.start, c.\"end\", c.id")]


def other_journal(session: Session) -> list[OtherJournalEntry]:
    return [OtherJournalEntry(*row) for row in raw(session).execute(
        "SELECT guid, title, text, author, created, modified FROM journal "
        "ORDER BY created, id")]


def other_annotations(session: Session) -> list[OtherAnnotation]:
    return [OtherAnnotation(*row) for row in raw(session).execute(
        'SELECT a.guid, d.guid, a.start, a."end", a.text, a.author, a.created '
        "FROM annotations a JOIN documents d ON d.id = a.document_id "
        'ORDER BY d.id, a.start, a."end", a.id')]


def other_code_sets(session: Session) -> list[OtherCodeSet]:
    db = raw(session)
    return [OtherCodeSet(guid, name, description or "", tuple(
        row[0] for row in db.execute(
            "SELECT codes.guid FROM code_set_members JOIN codes ON codes.id = code_id "
            "WHERE set_id = ? ORDER BY codes.position, codes.id", (set_id,))))
        for set_id, guid, name, description in db.execute(
            "SELECT id, guid, name, description FROM code_sets ORDER BY name").fetchall()]


def project_memo(session: Session) -> str:
    row = raw(session).execute("SELECT memo FROM project ORDER BY id LIMIT 1").fetchone()
    return (row[0] or "") if row else ""


def original_row(session: Session, guid: str) -> tuple[int, str, str, int, bool] | None:
    """(document id, file name, media type, size, same as the text) of the original of the
    document *guid*, or None."""
    row = raw(session).execute(
        "SELECT o.document_id, o.file_name, o.media_type, o.size, o.data IS NULL "
        "FROM original_files o JOIN documents d ON d.id = o.document_id WHERE d.guid = ?",
        (guid,)).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3], bool(row[4]))


# --- this project, to compare against -----------------------------------------------------

def coders(session: Session) -> list[tuple[int, str, str]]:
    """(id, guid, name) of every coder."""
    return raw(session).execute("SELECT id, guid, name FROM coders ORDER BY id").fetchall()


def codes(session: Session) -> list[tuple]:
    """(id, guid, parent_id, name, memo, shortcut, position) of every code."""
    return raw(session).execute(
        "SELECT id, guid, parent_id, name, memo, shortcut, position FROM codes "
        "ORDER BY position, id").fetchall()


def documents(session: Session) -> list[tuple]:
    """(id, guid, name, sha256, memo) of every document (no text)."""
    return raw(session).execute(
        "SELECT id, guid, name, sha256, memo FROM documents ORDER BY id").fetchall()


def attributes(session: Session) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for document_id, name, value in raw(session).execute(
            "SELECT document_id, name, value FROM document_attributes"):
        found.setdefault(document_id, {})[name] = value
    return found


def codings(session: Session) -> dict[str, tuple]:
    """GUID -> (id, document_id, code_id, coder_id, start, end, memo) of every coding."""
    return {row[1]: (row[0], *row[2:]) for row in raw(session).execute(
        'SELECT id, guid, document_id, code_id, coder_id, start, "end", memo FROM codings')}


def journal(session: Session) -> list[tuple[int, str, str, str, str]]:
    """(id, guid, title, created, text) of every journal entry."""
    return raw(session).execute(
        "SELECT id, guid, title, created, text FROM journal ORDER BY id").fetchall()


def annotations(session: Session) -> list[tuple[int, str, int, int, int, str]]:
    """(id, guid, document_id, start, end, text) of every annotation."""
    return raw(session).execute(
        'SELECT id, guid, document_id, start, "end", text FROM annotations ORDER BY id'
    ).fetchall()


def code_sets(session: Session) -> dict[str, tuple[int, str, str, set[int]]]:
    """name -> (id, guid, description, member code ids) of every code set."""
    db = raw(session)
    found = {name: (set_id, guid, description or "", set())
             for set_id, guid, name, description in db.execute(
                 "SELECT id, guid, name, description FROM code_sets").fetchall()}
    by_id = {row[0]: row[3] for row in found.values()}
    for set_id, code_id in db.execute("SELECT set_id, code_id FROM code_set_members"):
        by_id[set_id].add(code_id)
    return found


def used_guids(session: Session, table: str) -> set[str]:
    """The GUIDs of *table* (one of ``TABLES`` with a GUID)."""
    if table not in TABLES:
        raise ValueError(f"not a table of a merge: {table}")
    return {row[0] for row in raw(session).execute(f"SELECT guid FROM {table}")}  # noqa: S608


def insert_journal_entry(session: Session, row: tuple[str, str, str, str, str, str]) -> int:
    """A journal entry ``(guid, title, text, author, created, modified)``; its id."""
    return raw(session).execute(
        "INSERT INTO journal (guid, title, text, author, created, modified) "
        "VALUES (?, ?, ?, ?, ?, ?)", row).lastrowid


def insert_annotation(session: Session, row: tuple[str, int, int, int, str, str, str]) -> int:
    """An annotation ``(guid, document_id, start, end, text, author, created)``; its id."""
    return raw(session).execute(
        'INSERT INTO annotations (guid, document_id, start, "end", text, author, created) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)", row).lastrowid


def insert_code_set(session: Session, guid: str, name: str, description: str) -> int:
    """An empty code set; its id."""
    return raw(session).execute(
        "INSERT INTO code_sets (guid, name, description) VALUES (?, ?, ?)",
        (guid, name, description)).lastrowid


def insert_code_set_members(session: Session, rows: Iterable[tuple[int, int]]) -> None:
    """Code set memberships ``(set_id, code_id)``."""
    raw(session).executemany("INSERT INTO code_set_members (set_id, code_id) VALUES (?, ?)",
                             rows)


def take_code_set_members(session: Session, keys: Sequence[tuple[int, int]]) -> Rows:
    """The memberships ``(set_id, code_id)`` whole, then deleted."""
    db = raw(session)
    found = []
    for set_id, code_id in keys:
        found += db.execute("SELECT set_id, code_id FROM code_set_members WHERE set_id = ? "
                            "AND code_id = ?", (set_id, code_id)).fetchall()
        db.execute("DELETE FROM code_set_members WHERE set_id = ? AND code_id = ?",
                   (set_id, code_id))
    return ("set_id", "code_id"), found


def insert_attributes(session: Session, rows: Iterable[tuple[int, str, str]]) -> None:
    """Add ``(document_id, name, value)`` attributes."""
    raw(session).executemany(
        "INSERT INTO document_attributes (document_id, name, value) VALUES (?, ?, ?)", rows)


def insert_codings(session: Session, rows: Iterable[tuple]) -> list[int]:
    """Insert codings ``(guid, document_id, code_id, coder_id, start, end, memo, created)``
    one by one; their ids, in order."""
    db = raw(session)
    return [db.execute('INSERT INTO codings (guid, document_id, code_id, coder_id, start, '
                       '"end", memo, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', row).lastrowid
            for row in rows]


def set_memo(session: Session, table: str, row_id: int | None, memo: str) -> None:
    """Set the memo of a row of *table* (one of ``MEMO_TABLES``; the project when *row_id*
    is None)."""
    if table not in MEMO_TABLES:
        raise ValueError(f"no memo in {table!r}")
    if row_id is None:
        raw(session).execute("UPDATE project SET memo = ?", (memo,))
    else:
        raw(session).execute(f"UPDATE {table} SET memo = ? WHERE id = ?",  # noqa: S608
                             (memo, row_id))


# --- rows taken out and put back exactly (undo, redo) --------------------------------------

Rows = tuple[tuple[str, ...], list[tuple]]  # column names, rows


def take_rows(session: Session, table: str, column: str, values: Sequence[int]) -> Rows:
    """Every column of the rows of *table* whose *column* is among *values*, in rowid order
    (on a server, key order), then deleted."""
    if table not in TABLES or column not in ("id", "document_id"):
        raise ValueError(f"not a table or key of a merge: {table}.{column}")
    db = raw(session)
    order = "rowid"
    if is_postgres(session):  # no rowid there: the key, in which the rows were inserted
        from kzcoder.db.models import Base

        order = ", ".join(f'"{c.name}"' for c in Base.metadata.tables[table].primary_key)
    names: tuple[str, ...] = ()
    found: list[tuple] = []
    for chunk in chunks(list(values)):
        marks = ",".join("?" * len(chunk))
        cursor = db.execute(f"SELECT * FROM {table} WHERE {column} IN ({marks}) "  # noqa: S608
                            f"ORDER BY {order}", chunk)
        names = tuple(d[0] for d in cursor.description)
        found += cursor.fetchall()
        db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)  # noqa: S608
    return names, found


def take_attributes(session: Session, keys: Sequence[tuple[int, str]]) -> Rows:
    """The attributes ``(document_id, name)`` whole, then deleted."""
    db = raw(session)
    found = []
    for document_id, name in keys:
        found += db.execute("SELECT document_id, name, value FROM document_attributes "
                            "WHERE document_id = ? AND name = ?", (document_id, name)).fetchall()
        db.execute("DELETE FROM document_attributes WHERE document_id = ? AND name = ?",
                   (document_id, name))
    return ("document_id", "name", "value"), found


def put_rows(session: Session, table: str, rows: Rows) -> None:
    """Insert rows taken by ``take_rows`` back exactly (every column, ids included)."""
    if table not in (*TABLES, "code_set_members"):
        raise ValueError(f"not a table of a merge: {table}")
    names, values = rows
    if not values:
        return
    columns = ", ".join(f'"{name}"' for name in names)
    raw(session).executemany(
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))})",  # noqa: S608
        values)
    if table == "documents":
        ids = [row[names.index("id")] for row in values]
        if not is_postgres(session):
            search_chunks.index_documents(raw(session), ids)
        history.note(raw(session), "documents", ids)
