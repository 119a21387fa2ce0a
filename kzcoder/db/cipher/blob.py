"""Incremental blob I/O for SQLCipher connections, which ``sqlcipher3`` does not offer.

kzcoder streams originals and long texts through ``Connection.blobopen`` (Python's sqlite3).
On an encrypted project the same calls reach ``CipherConnection.blobopen``: reads go a piece at
a time through ``substr``; writes are gathered and stored in one ``UPDATE`` when the blob is
closed (the value was sized with ``zeroblob`` first, as with SQLite's own blobs).
"""

from __future__ import annotations

try:
    from sqlcipher3 import Connection as _Base
except ImportError:  # pragma: no cover - see kzcoder.db.cipher
    import sqlite3

    _Base = sqlite3.Connection


class CipherConnection(_Base):
    """A SQLCipher connection with ``blobopen`` (see the module docstring)."""

    def blobopen(self, table: str, column: str, row: int, /, *, readonly: bool = False,
                 name: str = "main") -> Blob:
        """Open the value at *table*.*column*, *row* as a file-like blob."""
        return Blob(self, f'"{name}"."{table}"', f'"{column}"', row, readonly=readonly)


class Blob:
    """Sequential read or write of one value, like ``sqlite3.Blob`` for what kzcoder uses."""

    def __init__(self, db: CipherConnection, table: str, column: str, row: int, *,
                 readonly: bool) -> None:
        self._db, self._table, self._column, self._row = db, table, column, row
        self._readonly = readonly
        found = db.execute(f"SELECT length(CAST({column} AS BLOB)) FROM {table} "
                           "WHERE rowid = ?", (row,)).fetchone()
        if found is None:
            raise ValueError(f"no row {row} in {table}")
        self._size = found[0] or 0
        self._position = 0
        self._written: list[bytes] = []

    def __len__(self) -> int:
        return self._size

    def read(self, length: int = -1) -> bytes:
        """Up to *length* bytes from the current position (all that is left if negative)."""
        left = self._size - self._position
        length = left if length < 0 else min(length, left)
        if length <= 0:
            return b""
        piece = self._db.execute(
            f"SELECT substr(CAST({self._column} AS BLOB), ?, ?) FROM {self._table} "
            "WHERE rowid = ?", (self._position + 1, length, self._row)).fetchone()[0]
        self._position += len(piece)
        return bytes(piece)

    def write(self, data: bytes | memoryview) -> None:
        """Write *data* at the current position (it must fit the value's size)."""
        if self._readonly:
            raise ValueError("the blob was opened read-only")
        data = bytes(data)
        if self._position + len(data) > self._size:
            raise ValueError("data would go past the end of the blob")
        self._written.append(data)
        self._position += len(data)

    def close(self) -> None:
        """Store what was written (zero bytes after it, as the zeroblob had)."""
        if self._written:
            value = b"".join(self._written)
            value += bytes(self._size - len(value))
            self._written = []
            self._db.execute(f"UPDATE {self._table} SET {self._column} = ? WHERE rowid = ?",
                             (value, self._row))

    def __enter__(self) -> Blob:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        if kind is None:
            self.close()
        self._written = []
