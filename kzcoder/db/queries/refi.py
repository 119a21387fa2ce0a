"""Queries for REFI-QDA projects: everything an export reads, everything an import into a new
project writes, with the GUIDs and times the file gives.

Through the DB-API connection of the unit (``raw``): an export reads and an import writes
100,000 codings at a time, where SQLAlchemy's row handling would cost several times SQLite's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session

from kzcoder.db.history import tracking as history
from kzcoder.db.queries import is_postgres, raw, search_chunks


def project_row(session: Session) -> tuple[str, str, str, str]:
    """(guid, name, memo, created) of the project."""
    return raw(session).execute(
        "SELECT guid, name, memo, created FROM project ORDER BY id LIMIT 1").fetchone()


def set_project(session: Session, *, name: str, memo: str, created: str) -> None:
    """Give the project its name, memo and creation time."""
    raw(session).execute("UPDATE project SET name = ?, memo = ?, created = ?",
                         (name, memo, created))


def coders(session: Session) -> list[tuple[int, str, str]]:
    """(id, guid, name) of every coder, in id order."""
    return raw(session).execute("SELECT id, guid, name FROM coders ORDER BY id").fetchall()


def codes(session: Session) -> list[tuple]:
    """(id, guid, parent_id, name, color, description, memo, shortcut, codable) of every
    code, siblings in their order."""
    return raw(session).execute(
        "SELECT id, guid, parent_id, name, color, description, memo, shortcut, codable "
        "FROM codes ORDER BY position, id").fetchall()


def documents(session: Session) -> list[tuple]:
    """(id, guid, name, memo, created, source_encoding) of every document, in id order."""
    return raw(session).execute(
        "SELECT id, guid, name, memo, created, source_encoding FROM documents "
        "ORDER BY id").fetchall()


def attributes(session: Session) -> dict[int, list[tuple[str, str]]]:
    """Document id -> its (name, value) attributes, sorted by name."""
    found: dict[int, list[tuple[str, str]]] = {}
    for document_id, name, value in raw(session).execute(
            "SELECT document_id, name, value FROM document_attributes "
            "ORDER BY document_id, name"):
        found.setdefault(document_id, []).append((name, value))
    return found


def originals(session: Session) -> dict[int, tuple[str, str, int, str, bool]]:
    """Document id -> (file name, media type, size, SHA-256, same as the stored text)."""
    return {row[0]: (row[1], row[2], row[3], row[4], bool(row[5])) for row in raw(session).execute(
        "SELECT document_id, file_name, media_type, size, sha256, data IS NULL "
        "FROM original_files")}


def all_codings(session: Session) -> Iterator[tuple]:
    """(document_id, guid, code_id, coder_id, start, end, memo, created) of every coding, by
    document, then by span (``start``, ``end``, id)."""
    yield from raw(session).execute(
        'SELECT document_id, guid, code_id, coder_id, start, "end", memo, created '
        'FROM codings ORDER BY document_id, start, "end", id')


def insert_coder(session: Session, guid: str, name: str) -> int:
    """A new coder; its id."""
    return raw(session).execute("INSERT INTO coders (guid, name) VALUES (?, ?)",
                                (guid, name)).lastrowid


def insert_code(session: Session, *, guid: str, parent_id: int | None, name: str, color: str,
                description: str, memo: str, shortcut: str | None, position: int,
                codable: bool = True) -> int:
    """A new code; its id."""
    return raw(session).execute(
        "INSERT INTO codes (guid, parent_id, name, color, description, memo, shortcut, "
        "position, codable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (guid, parent_id, name, color, description, memo, shortcut, position,
         codable)).lastrowid


def insert_document(session: Session, *, guid: str, name: str, text: str, encoding: str,
                    memo: str, created: str, attributes: Iterable[tuple[str, str]]) -> int:
    """A new document with its attributes; its id."""
    data = text.encode("utf-8")
    db = raw(session)
    # SQLite stores the bytes as TEXT; PostgreSQL's CAST of bytea to text would store their
    # hex spelling ('\\xd090...'), so there they are decoded on the server
    stored = "convert_from(?, 'UTF8')" if is_postgres(session) else "CAST(? AS TEXT)"
    document_id = db.execute(
        "INSERT INTO documents (guid, name, text, length, sha256, source_encoding, memo, "
        f"created) VALUES (?, ?, {stored}, ?, ?, ?, ?, ?)",
        (guid, name, data, len(text), hashlib.sha256(data).hexdigest(), encoding, memo,
         created)).lastrowid
    if not is_postgres(session):
        search_chunks.index_documents(db, [document_id])
    history.note(db, "documents", [document_id])
    db.executemany("INSERT INTO document_attributes (document_id, name, value) VALUES (?, ?, ?)",
                   [(document_id, key, value) for key, value in attributes])
    return document_id


def insert_original(session: Session, document_id: int, *, file_name: str, media_type: str,
                    size: int, pieces: Iterable[bytes] | None) -> str:
    """Keep a document's original file from *pieces* (None: the file is the stored text in
    UTF-8, not stored twice); returns the SHA-256 of what was stored. *size* is what the
    pieces declare; ValueError if they hold another number of bytes."""
    db = raw(session)
    columns = "document_id, file_name, media_type, size, sha256, data"
    if pieces is None:
        text = db.execute("SELECT text, sha256 FROM documents WHERE id = ?",
                          (document_id,)).fetchone()
        db.execute(f"INSERT INTO original_files ({columns}) VALUES (?, ?, ?, ?, ?, NULL)",
                   (document_id, file_name, media_type, len(text[0].encode("utf-8")), text[1]))
        return text[1]
    rowid = db.execute(f"INSERT INTO original_files ({columns}) VALUES (?, ?, ?, ?, '', "
                       "zeroblob(?))",
                       (document_id, file_name, media_type, size, size)).lastrowid
    digest, copied = hashlib.sha256(), 0
    with db.blobopen("original_files", "data", rowid) as blob:
        for piece in pieces:
            if copied + len(piece) > size:
                raise ValueError("more bytes than declared")
            blob.write(piece)
            digest.update(piece)
            copied += len(piece)
    if copied != size:
        raise ValueError("fewer bytes than declared")
    db.execute("UPDATE original_files SET sha256 = ? WHERE rowid = ?",
               (digest.hexdigest(), rowid))
    return digest.hexdigest()


def insert_codings(session: Session, rows: Iterable[tuple]) -> None:
    """Many codings ``(guid, document_id, code_id, coder_id, start, end, memo, created)``."""
    raw(session).executemany(
        'INSERT INTO codings (guid, document_id, code_id, coder_id, start, "end", memo, '
        "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def guid_forms(session: Session) -> dict[str, str]:
    """Stored GUID -> the form it was imported in (only those not in upper case)."""
    return dict(raw(session).execute("SELECT guid, form FROM guid_forms"))


def insert_guid_forms(session: Session, forms: Iterable[tuple[str, str]]) -> None:
    """Remember the imported form of GUIDs ``(stored GUID, form)``."""
    forms = list(dict(forms).items())  # portable SQL: no INSERT OR REPLACE on a server
    db = raw(session)
    db.executemany("DELETE FROM guid_forms WHERE guid = ?", [(guid,) for guid, _ in forms])
    db.executemany("INSERT INTO guid_forms (guid, form) VALUES (?, ?)", forms)


def code_sets(session: Session) -> list[tuple[str, str, str, list[str]]]:
    """(guid, name, description, member code GUIDs) of every code set, by name."""
    db = raw(session)
    found = []
    for set_id, guid, name, description in db.execute(
            "SELECT id, guid, name, description FROM code_sets ORDER BY name"):
        members = [row[0] for row in db.execute(
            "SELECT codes.guid FROM code_set_members JOIN codes ON codes.id = code_id "
            "WHERE set_id = ? ORDER BY codes.position, codes.id", (set_id,))]
        found.append((guid, name, description, members))
    return found


def insert_code_set(session: Session, *, guid: str, name: str, description: str,
                    code_ids: Iterable[int]) -> int:
    """A new code set with its member codes; its id."""
    db = raw(session)
    set_id = db.execute("INSERT INTO code_sets (guid, name, description) VALUES (?, ?, ?)",
                        (guid, name, description)).lastrowid
    db.executemany("INSERT INTO code_set_members (set_id, code_id) VALUES (?, ?)",
                   [(set_id, code_id) for code_id in dict.fromkeys(code_ids)])
    return set_id
