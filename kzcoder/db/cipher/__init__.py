"""Encrypted project files (SQLCipher 4): keys, and the one way every connection is made.

A plain project is opened with Python's ``sqlite3``, exactly as before. An encrypted one is
opened with ``sqlcipher3`` (SQLite with SQLCipher built in): every page of the file, its
``-wal`` and every copy made through SQLite is AES-256 encrypted and authenticated (HMAC-SHA512).

Key derivation is SQLCipher 4's own: PBKDF2-HMAC-SHA512, 256 000 iterations, over the 16 random
bytes at the start of the file (its salt, the only plaintext in it). kzcoder derives the key
once per opening (``derive``, ~0.1 s) and gives every connection the raw key, so that opening
another connection (the pool, a backup, a checkpoint) costs nothing; the file still opens with
the passphrase in any SQLCipher 4 tool (``PRAGMA key = 'passphrase'``).

Keys are held in this process only, by the file's real path, while it is in use; never on disk.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from kzcoder.core import passphrase as passphrase_source
from kzcoder.core.errors import PassphraseError

try:  # the binding is optional for plain projects (a source checkout without it still runs)
    import sqlcipher3
except ImportError:  # pragma: no cover - every supported installation carries it
    sqlcipher3 = None

from kzcoder.db.cipher.blob import CipherConnection
from kzcoder.db.open_files import read_head

SALT_BYTES = 16
KEY_BYTES = 32
#: SQLCipher 4's default work factor; docs/protection.md says what it costs an attacker
KDF_ITERATIONS = 256_000
PASSPHRASE_ENV = passphrase_source.PASSPHRASE_ENV
NEW_PASSPHRASE_ENV = passphrase_source.NEW_PASSPHRASE_ENV
_SQLITE_MAGIC = b"SQLite format 3\x00"
_NOTADB = 26  # SQLite's "file is not a database": what a wrong key gives

#: every error a connection of either kind raises
ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError,)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
if sqlcipher3 is not None:
    ERRORS += (sqlcipher3.Error,)
    INTEGRITY_ERRORS += (sqlcipher3.IntegrityError,)
    OPERATIONAL_ERRORS += (sqlcipher3.OperationalError,)
    DATABASE_ERRORS += (sqlcipher3.DatabaseError,)

_lock = threading.Lock()
_keys: dict[str, bytes] = {}  # real path -> raw key + salt (48 bytes)


def set_passphrase_source(source: Callable[[Path], str | None] | None) -> None:
    """Where a passphrase comes from when an encrypted project is opened (see
    ``core.passphrase``)."""
    passphrase_source.set_source(source)


def available() -> bool:
    """Whether this installation can open encrypted projects."""
    return sqlcipher3 is not None


def derive(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key for *passphrase* with *salt*: PBKDF2-HMAC-SHA512, 256 000 rounds."""
    if not passphrase:
        raise PassphraseError("the passphrase is empty")
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS,
                               KEY_BYTES)


def new_key(passphrase: str) -> bytes:
    """A raw key and a fresh salt for a new encrypted file (48 bytes: key, then salt)."""
    salt = secrets.token_bytes(SALT_BYTES)
    return derive(passphrase, salt) + salt


def _name(path: str | Path) -> str:
    return os.path.realpath(path)


def register(path: str | Path, raw_key: bytes) -> None:
    """Remember *raw_key* (key + salt) for the file at *path* in this process."""
    with _lock:
        _keys[_name(path)] = raw_key


def forget(path: str | Path) -> None:
    """Drop the key held for *path* (nothing if none)."""
    with _lock:
        _keys.pop(_name(path), None)


def key_for(path: str | Path) -> bytes | None:
    """The raw key held for the file at *path*, or None (a plain file, or not unlocked)."""
    with _lock:
        return _keys.get(_name(path))


def looks_encrypted(head: bytes, size: int) -> bool:
    """Whether a file of *size* bytes that starts with *head* may be an SQLCipher database:
    its first 16 bytes are not SQLite's header (they are the salt), and it is whole pages
    (SQLCipher's are 4096 bytes; any file that is not whole 512-byte pages is something else)."""
    return (len(head) == SALT_BYTES and head != _SQLITE_MAGIC
            and size >= 1024 and size % 512 == 0)


def unlock(path: Path, salt: bytes, *, passphrase: str | None = None) -> None:
    """Find the passphrase of the encrypted file *path* (whose first bytes are *salt*), check
    it, and hold its key. PassphraseError (one line) when none is given or it is wrong; the
    file is only read."""
    if key_for(path) is not None:
        return
    if sqlcipher3 is None:
        raise PassphraseError(f"{path}: encrypted, or not a kzcoder project file; this "
                              "installation cannot open encrypted projects (no sqlcipher3)")
    passphrase = passphrase if passphrase is not None else passphrase_source.ask(path)
    if not passphrase:
        raise PassphraseError(f"{path}: encrypted (or not a kzcoder project file); give its "
                              f"passphrase ({PASSPHRASE_ENV} or --passphrase-file)")
    raw_key = derive(passphrase, salt) + salt
    if not key_opens(path, raw_key):
        raise PassphraseError(f"{path}: wrong passphrase (or not a kzcoder project file)")
    register(path, raw_key)


def key_opens(path: Path, raw_key: bytes) -> bool:
    """Whether *raw_key* decrypts the file at *path*. Read-only first (nothing is changed);
    a file a killed program left half-written cannot be read so, and is then opened for
    writing, which rolls its journal back as any opening would (only the right key can)."""
    for mode in ("ro", "rw"):
        try:
            connection = connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True,
                                 key=raw_key)
            try:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                connection.close()
        except ERRORS as exc:
            if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == _NOTADB:
                return False
            continue
        return True
    return False


def connect(target: str | Path, *, key: bytes | None = None, uri: bool = False,
            **options: object) -> sqlite3.Connection:
    """A DB-API connection on *target* (a path, or a ``file:`` URI with ``uri=True``), like
    ``sqlite3.connect(target, uri=uri, **options)``: plain SQLite unless a key is held for the
    file (or given as *key*), then SQLCipher with that key."""
    path = _path_of(target, uri)
    key = key if key is not None else (key_for(path) if path is not None else None)
    if key is None:
        return sqlite3.connect(target, uri=uri, **options)
    connection = sqlcipher3.connect(str(target), uri=uri, factory=CipherConnection, **options)
    try:
        apply_key(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def apply_key(connection: sqlite3.Connection, key: bytes) -> None:
    """Key a fresh SQLCipher connection: quiet logging, the raw key, temporary tables in
    memory (never in an unencrypted temporary file)."""
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    connection.execute("PRAGMA temp_store = MEMORY")


def _path_of(target: str | Path, uri: bool) -> Path | None:
    text = str(target)
    if text == ":memory:" or not text:
        return None
    if uri and text.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        return Path(unquote(urlsplit(text).path))
    return Path(text)


def unlock_if_encrypted(path: Path) -> None:
    """Hold the key of *path* if it is an encrypted file (asking the passphrase source), so
    that copies and checks made through ``connect`` can read it. Nothing for a plain file, a
    missing one, or one already unlocked or open here."""
    if key_for(path) is not None:
        return
    try:
        head = read_head(Path(path), SALT_BYTES)
        if head is not None and looks_encrypted(head, Path(path).stat().st_size):
            unlock(Path(path), head)
    except OSError:
        return
