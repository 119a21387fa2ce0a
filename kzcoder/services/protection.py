"""Encrypted projects: encrypt or decrypt a copy, change the passphrase, and where a
passphrase comes from (see ``kzcoder.db.cipher`` and docs/protection.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kzcoder.core.errors import KzError, PassphraseError
from kzcoder.db import cipher
from kzcoder.db import engine as db_engine
from kzcoder.db.cipher.export import convert
from kzcoder.db.open_files import is_open_here, read_head

PASSPHRASE_ENV = cipher.PASSPHRASE_ENV
NEW_PASSPHRASE_ENV = cipher.NEW_PASSPHRASE_ENV


def set_passphrase_source(source: Callable[[Path], str | None] | None) -> None:
    """Where the passphrase of an encrypted project comes from (``source(path)``; None: the
    ``KZCODER_PASSPHRASE`` environment variable only)."""
    cipher.set_passphrase_source(source)


def available() -> bool:
    """Whether this installation can open and write encrypted projects."""
    return cipher.available()


def is_encrypted(path: str | Path) -> bool:
    """Whether the file at *path* is an encrypted project (a file that does not start like
    SQLite; one held open here is encrypted when its key is held)."""
    path = Path(path).expanduser().absolute()
    if cipher.key_for(path) is not None:
        return True
    if not path.is_file():
        raise KzError(f"{path}: no such project file")
    try:
        head = read_head(path, cipher.SALT_BYTES)
    except OSError as exc:
        raise KzError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return head is not None and cipher.looks_encrypted(head, path.stat().st_size)


def unlock(path: str | Path, passphrase: str) -> None:
    """Check *passphrase* for the encrypted project *path* and hold its key for this process;
    PassphraseError when it is wrong."""
    path = Path(path).expanduser().absolute()
    if not is_encrypted(path):
        raise KzError(f"{path}: not encrypted")
    head = read_head(path, cipher.SALT_BYTES)
    if head is not None:  # None: open here, so its key is held already
        cipher.unlock(path, head, passphrase=passphrase)


def encrypt_copy(source: str | Path, dest: str | Path, passphrase: str) -> Path:
    """Write an encrypted copy of the plain project *source* to the new file *dest*."""
    source, dest = _paths(source, dest)
    if is_encrypted(source):
        raise KzError(f"{source}: already encrypted; 'kzcoder passphrase' changes its "
                      "passphrase, 'kzcoder decrypt' writes a plain copy")
    db_engine.read_revision(source)  # one line if it is not a project
    return convert(source, dest, source_key=None, dest_key=cipher.new_key(passphrase))


def decrypt_copy(source: str | Path, dest: str | Path) -> Path:
    """Write a plain copy of the encrypted project *source* to the new file *dest* (its
    passphrase from the passphrase source)."""
    source, dest = _paths(source, dest)
    if not is_encrypted(source):
        raise KzError(f"{source}: not encrypted; copy it with 'kzcoder backup -o'")
    db_engine.read_revision(source)  # unlocks it, or PassphraseError
    return convert(source, dest, source_key=cipher.key_for(source), dest_key=None)


def change_passphrase(path: str | Path, new_passphrase: str) -> None:
    """Re-encrypt the closed project *path* under *new_passphrase*, in place and in one
    transaction (a kill leaves the old passphrase or the new one, never a mix). Its backups
    keep the passphrase they were made with."""
    path = Path(path).expanduser().absolute()
    if not is_encrypted(path):
        raise KzError(f"{path}: not encrypted; 'kzcoder encrypt' writes an encrypted copy")
    db_engine.read_revision(path)  # unlocks it, or PassphraseError
    if is_open_here(path) or not db_engine.leave_wal(path):
        raise KzError(f"{path}: is open (in kzcoder or another program); close it first")
    salt = cipher.key_for(path)[cipher.KEY_BYTES:]
    new_key = cipher.derive(new_passphrase, salt)
    connection = db_engine.connect(path, "rw")
    try:
        connection.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    except cipher.ERRORS as exc:
        raise KzError(f"{path}: the passphrase was not changed ({exc})") from exc
    finally:
        connection.close()
    cipher.register(path, new_key + salt)
    if not cipher.key_opens(path, new_key + salt):  # pragma: no cover - SQLCipher's promise
        raise PassphraseError(f"{path}: the new passphrase does not open it; restore a backup")


def _paths(source: str | Path, dest: str | Path) -> tuple[Path, Path]:
    source = Path(source).expanduser().absolute()
    dest = Path(dest).expanduser().absolute()
    if not dest.parent.is_dir():
        raise KzError(f"{dest.parent}: no such folder")
    return source, dest
