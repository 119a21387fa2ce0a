"""Original files: the bytes each document was imported from, kept in the project and given
back byte for byte (``kzcoder original``; exports that ship sources)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import BinaryIO

from kzcoder.core.errors import KzError
from kzcoder.core.records import OriginalInfo
from kzcoder.db import snapshot
from kzcoder.db.queries import originals as q
from kzcoder.services.documents import find_document
from kzcoder.services.project import Project


def original_info(project: Project, document: str | int) -> OriginalInfo:
    """What is kept of *document*'s original file (a reference as for ``find_document``);
    KzError if the document has none (it was imported before kzcoder kept originals)."""
    with project.unit(read=True) as session:
        row = find_document(session, document)
        info = q.original_info(session, row.id)
        if info is None:
            raise KzError(f"document '{row.name}' has no original file kept (it was imported "
                          "before kzcoder kept them)")
    return info


def save_original(project: Project, document: str | int, dest: str | Path, *,
                  overwrite: bool = False) -> OriginalInfo:
    """Write *document*'s original file to *dest* (``-`` for standard output), byte for byte.

    The bytes are checked against the SHA-256 taken at import before the file gets its name;
    it is written beside *dest* and renamed into place, so *dest* is either absent, untouched
    or complete. An existing *dest* is replaced only with *overwrite*. KzError on any refusal.
    """
    info = original_info(project, document)
    if str(dest) == "-":
        _write_checked(project, info, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return info
    dest = Path(dest).absolute()
    if not dest.parent.is_dir():
        raise KzError(f"{dest.parent}: no such folder")
    if dest.exists() and not overwrite:
        raise KzError(f"{dest}: already exists; choose another name")
    def write(temporary: Path) -> None:
        with temporary.open("wb") as out:
            _write_checked(project, info, out)

    snapshot.write_beside(dest, write, overwrite=overwrite)
    return info


def _write_checked(project: Project, info: OriginalInfo, out: BinaryIO) -> None:
    digest, size = hashlib.sha256(), 0
    with project.unit(read=True) as session:
        for piece in q.original_pieces(session, info.document_id):
            digest.update(piece)
            size += len(piece)
            out.write(piece)
    if size != info.size or digest.hexdigest() != info.sha256:
        raise KzError(f"{info.file_name}: the kept original does not match its SHA-256; the "
                      "project may be damaged: restore it from a backup")
