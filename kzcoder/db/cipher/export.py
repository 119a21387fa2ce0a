"""Whole-file conversions with ``sqlcipher_export``: encrypt, decrypt, change the passphrase.

Each reads the source in one read transaction (consistent while it is open elsewhere) and
writes a new file that is checked and only then given its name (``snapshot.place``, never
replacing a file). No plaintext page of an encrypted source is written anywhere but to the
plain file ``decrypt`` was asked for.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.db import cipher, snapshot


def convert(source: Path, dest: Path, *, source_key: bytes | None,
            dest_key: bytes | None) -> Path:
    """Write *source* (with *source_key*, None: plain) to the new file *dest* (with
    *dest_key*, None: plain); KzError if *dest* exists, or the copy fails its check."""
    if cipher.sqlcipher3 is None:
        raise KzError("this installation cannot encrypt or decrypt (no sqlcipher3)")
    if dest.exists():
        raise snapshot.DestinationExists(f"{dest}: already exists; choose another name")
    temporary = snapshot.temporary_beside(dest)
    try:
        reader = cipher.sqlcipher3.connect(str(source), isolation_level=None,
                                           factory=cipher.CipherConnection)
        try:
            if source_key is not None:
                cipher.apply_key(reader, source_key)
            else:
                reader.execute("PRAGMA cipher_log_level = NONE")
            target_key = f"x'{dest_key.hex()}'" if dest_key is not None else ""
            reader.execute("ATTACH DATABASE ? AS target KEY ?", (str(temporary), target_key))
            reader.execute("BEGIN")
            reader.execute("SELECT sqlcipher_export('target')").fetchall()
            reader.execute("COMMIT")
            reader.execute("DETACH DATABASE target")
        except cipher.ERRORS as exc:
            raise KzError(f"{source}: could not be converted ({exc}); nothing was written"
                          ) from exc
        finally:
            reader.close()
        if dest_key is not None:
            cipher.register(temporary, dest_key)
        problems = snapshot.integrity_problems(temporary)
        if problems:
            raise KzError(f"{dest}: the converted copy failed its check ({problems[0]}); "
                          "nothing was written")
        with contextlib.suppress(OSError):
            os.chmod(temporary, source.stat().st_mode & 0o666)
        with open(temporary, "rb+") as handle:  # a file of our own, not open through SQLite
            os.fsync(handle.fileno())
        placed = snapshot.place(temporary, dest)
        if dest_key is not None:  # this process made it: it may open it without asking
            cipher.register(placed, dest_key)
        return placed
    finally:
        cipher.forget(temporary)
        for leftover in (temporary, *(snapshot.sidecar(temporary, s)
                                      for s in snapshot.SIDECARS)):
            leftover.unlink(missing_ok=True)
