"""Reading the other project of a merge, without ever writing it (``services.merge`` merges).

- A ``.kzc`` is copied first through SQLite's online backup (``db.snapshot``, as a backup is
  made) into a private temporary folder, and only that copy is opened: the other project may
  be open in this or another program and being written to; the copy is one consistent state of
  it (its write-ahead log included) and taking it neither locks it for long nor touches its
  file or its ``-wal``. The copy is opened as any project (an older schema is upgraded, in the
  copy), so the merge reads records of this kzcoder's schema.
- A server project (a ``postgresql://`` URL) is cloned (``server.publishing.clone``: one
  REPEATABLE READ, read-only transaction) into a ``.kzc`` in the same private folder, read the
  same way: the server is only read, whatever its schema, and the merge reads one state of it
  while others keep coding.
- A ``.qdpx`` goes through the REFI-QDA import (``refi.importing.import_qdpx``) into a temporary
  project in the same private folder, read the same way. An import into a temporary project,
  rather than the parsed XML in memory, because everything the import does to put another
  program's archive into kzcoder's terms (positions remapped onto the stored text, notes
  joined into memos, GUIDs normalised, originals checked, users without names) is then done
  exactly once, the same way as by ``kzcoder import-project``; the merge itself only ever
  reads projects. What the import reported as not imported or changed is passed on.

The folder and everything in it are deleted when the merge ends, whatever happens; one left
by a merge that was killed (its process gone) is deleted when the next merge starts.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.core.merge_records import OtherProject
from kzcoder.db import snapshot
from kzcoder.db.backends.location import ServerLocation, parse_location
from kzcoder.db.engine import read_revision
from kzcoder.db.queries import merge as q
from kzcoder.db.queries.originals import original_pieces
from kzcoder.services.project import PROJECT_SUFFIX, Project

QDPX_SUFFIX = ".qdpx"
#: the private temporary folders of merges: ``kzcoder-merge-PID-RANDOM``
MERGE_PREFIX = "kzcoder-merge-"


class OpenOther:
    """The other project as records, and its original files' bytes on demand (while the
    merge runs)."""

    def __init__(self, project: Project, records: OtherProject) -> None:
        self._project = project
        self.records = records

    def original(self, guid: str) -> tuple[str, str, int, list[bytes] | None] | None:
        """(file name, media type, size, pieces; None when the file is the stored text) of
        the original of the document *guid*, or None if it has none."""
        with self._project.unit(read=True) as session:
            row = q.original_row(session, guid)
            if row is None:
                return None
            document_id, file_name, media_type, size, same = row
            return (file_name, media_type, size,
                    None if same else list(original_pieces(session, document_id)))


def check_other(project_path: Path | ServerLocation,
                other: str | Path | ServerLocation) -> Path | ServerLocation:
    """*other* made absolute (or a server location) after the refusals that need no reading:
    missing, not a file, neither a ``.kzc`` nor a ``.qdpx``, the project itself (KzError, one
    line)."""
    other = parse_location(other)
    if isinstance(other, ServerLocation):
        if isinstance(project_path, ServerLocation) and _same_database(project_path, other):
            raise KzError(f"{other.shown()}: is the project itself; nothing to merge")
        return other
    if not other.exists():
        raise KzError(f"{other}: no such file")
    if not other.is_file():
        raise KzError(f"{other}: not a file")
    if other.suffix.lower() not in (PROJECT_SUFFIX, QDPX_SUFFIX):
        raise KzError(f"{other.name}: not a kzcoder project ({PROJECT_SUFFIX}) or a REFI-QDA "
                      f"project ({QDPX_SUFFIX}); nothing was merged")
    if not isinstance(project_path, Path):  # a server project: a file cannot be it
        return other
    if other == project_path or (project_path.exists() and other.samefile(project_path)):
        raise KzError(f"{other.name}: is the project itself; nothing to merge")
    return other


def _same_database(one: ServerLocation, other: ServerLocation) -> bool:
    def key(location: ServerLocation) -> tuple[object, ...]:
        url = location.url
        return ((url.host or "localhost").lower(), url.port or 5432, url.database)

    return key(one) == key(other)


@contextmanager
def open_other(project_path: Path | ServerLocation,
               other: str | Path | ServerLocation) -> Iterator[OpenOther]:
    """The other project read as explained in the module docstring."""
    other = check_other(project_path, other)
    if isinstance(other, ServerLocation):
        remove_stale_copies()
        with tempfile.TemporaryDirectory(prefix=f"{MERGE_PREFIX}{os.getpid()}-") as folder:
            from kzcoder.services.server.publishing import clone

            copy = Path(folder) / "other.kzc"
            clone(other, copy)
            with _read_copy(copy, other.name, ()) as opened:
                yield opened
        return
    if other.suffix.lower() == PROJECT_SUFFIX:
        read_revision(other)  # a kzcoder project, or one line saying what it is
    remove_stale_copies()
    with tempfile.TemporaryDirectory(prefix=f"{MERGE_PREFIX}{os.getpid()}-") as folder:
        copy = Path(folder) / "other.kzc"
        notes: tuple[str, ...] = ()
        if other.suffix.lower() == PROJECT_SUFFIX:
            snapshot.snapshot(other, copy)
        else:
            from kzcoder.services.refi.importing import import_qdpx  # only for a .qdpx

            report = import_qdpx(other, copy)
            notes = tuple(f"reading {other.name}: {line}" for line in
                          (*report.changed, *report.warnings,
                           *(f"not read: {n}" for n in report.not_imported)))
        with _read_copy(copy, other.name, notes) as opened:
            yield opened


@contextmanager
def _read_copy(copy: Path, source: str, notes: tuple[str, ...]) -> Iterator[OpenOther]:
    with Project.open(copy) as opened:
        with opened.unit(read=True) as session:
            records = OtherProject(
                source=source, memo=q.project_memo(session),
                coders=tuple(q.other_coders(session)), codes=tuple(q.other_codes(session)),
                documents=tuple(q.other_documents(session)),
                codings=tuple(q.other_codings(session)), notes=notes,
                journal=tuple(q.other_journal(session)),
                annotations=tuple(q.other_annotations(session)),
                code_sets=tuple(q.other_code_sets(session)))
        _check_texts(source, records)
        yield OpenOther(opened, records)


def _check_texts(source: str, records: OtherProject) -> None:
    """KzError unless each document's stored SHA-256 is that of its text: a document whose
    identity lies (edited by hand, or forged) would be matched or added wrongly."""
    for document in records.documents:
        if hashlib.sha256(document.text.encode("utf-8")).hexdigest() != document.sha256:
            raise KzError(f"{source}: document '{document.name}' is "
                          "damaged or forged (its stored SHA-256 is not that of its text); "
                          "nothing was merged")


def remove_stale_copies(folder: Path | None = None) -> list[Path]:
    """Delete the temporary copies merges left in *folder* (the system's temporary folder)
    when they were killed: ``kzcoder-merge-PID-…`` whose process is gone. Returns them."""
    removed: list[Path] = []
    if os.name != "posix":  # Windows: a folder in use cannot be deleted anyway
        return removed
    with contextlib.suppress(OSError):
        for entry in Path(folder or tempfile.gettempdir()).glob(f"{MERGE_PREFIX}*"):
            pid = entry.name[len(MERGE_PREFIX):].partition("-")[0]
            if entry.is_dir() and not entry.is_symlink() and pid.isdigit() \
                    and entry.stat().st_uid == os.getuid() and not _alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
