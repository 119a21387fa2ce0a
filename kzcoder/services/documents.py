"""Documents: import from files and folders, list, look up, read, edit their details."""

from __future__ import annotations

import datetime
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import DocumentInfo, ImportReport, Refusal
from kzcoder.db import open_files
from kzcoder.db.models import Document
from kzcoder.db.queries import documents as q
from kzcoder.db.queries import originals
from kzcoder.exchange import readers
from kzcoder.exchange.manifest import MANIFEST_NAME, read_manifest
from kzcoder.services.folder_walk import walk_folder
from kzcoder.services.project import Project

# progress(done, total, current file name) -> False to stop early
Progress = Callable[[int, int, str], bool | None]


def text_sha256(text: str) -> str:
    """The identity of a document's stored text (the same text in any encoding is one document)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


FoundFiles = list[tuple[Path, dict[str, str]]]


def collect_files(paths: Iterable[Path]) -> tuple[FoundFiles, list[Refusal]]:
    """Expand files and folders into (file, attributes) pairs, in a stable order.

    Attributes come from a ``manifest.csv`` beside the file. Folders are walked recursively;
    hidden entries are passed over, any other file of a type no reader takes is refused.
    """
    manifests = _Manifests()
    found: FoundFiles = []
    for path in paths:
        path = Path(path)
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as exc:  # e.g. a folder on the way that may not be entered
            manifests.refused.append(Refusal(path, f"{path}: {_unreadable(exc)}"))
            continue
        if is_dir:
            _walk(path, found, manifests)
        elif open_files.is_open_here(path):  # never read: that would drop its locks
            manifests.refused.append(Refusal(path, f"{path.name}: is an open kzcoder project, "
                                                   "not a document"))
        elif is_file:
            found.append((path, manifests.attributes(path)))
        else:
            manifests.refused.append(Refusal(path, f"{path}: no such file or folder"))
    return found, manifests.refused


def _unreadable(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc})"


class _Manifests:
    """Reads each folder's manifest once; a bad manifest is refused, its folder still imported."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, dict[str, dict[str, str]]] = {}
        self.refused: list[Refusal] = []

    def attributes(self, file: Path) -> dict[str, str]:
        folder = file.parent
        if folder not in self._by_folder:
            manifest_path = folder / MANIFEST_NAME
            self._by_folder[folder] = {}
            try:
                if manifest_path.is_file():
                    self._by_folder[folder] = read_manifest(manifest_path)
            except KzError as exc:
                self.refused.append(Refusal(manifest_path, str(exc)))
            except OSError as exc:
                self.refused.append(Refusal(manifest_path, f"{manifest_path}: "
                                                           f"{_unreadable(exc)}"))
        return self._by_folder[folder].get(file.name, {})


def _walk(folder: Path, found: FoundFiles, manifests: _Manifests) -> None:
    """Files under *folder* (``folder_walk``: links only to files inside it); a folder or
    entry that cannot be read is refused, the walk goes on with the others; a folder with no
    document at all is said to be empty."""
    before = len(found), len(manifests.refused)
    for entry, reason in walk_folder(folder):
        if reason is not None:
            manifests.refused.append(Refusal(entry, reason))
        elif readers.is_accepted(entry):
            found.append((entry, manifests.attributes(entry)))
        else:
            manifests.refused.append(Refusal(entry, f"{entry.name}: not a supported document "
                                                    f"(accepted: {readers.describe_accepted()})"))
    if (len(found), len(manifests.refused)) == before:
        manifests.refused.append(Refusal(folder, f"{folder}: no documents found"))


def import_paths(project: Project, paths: Iterable[Path], *,
                 progress: Progress | None = None) -> Changed[ImportReport]:
    """Import documents from files and folders, each file read by the reader the registry
    picks (``kzcoder.exchange.readers``); a manifest's attributes win over those a reader
    found in the file.

    The file itself is kept as the document's original (``services.originals``), in the
    same unit of work; a file that changes while it is imported is refused.

    Each file goes in with a unit of work of its own (one commit): an import that is stopped,
    fails or is killed keeps every file it finished, and no file is ever half-written. A file
    that is empty, binary or unreadable, or a folder that cannot be listed, is refused with a
    reason naming it; the others still go in. A file whose stored text is already in the
    project is skipped and reported. A reader's warnings about a file that went in (an
    encoding that was a guess) are listed in the report's ``warnings``. If the project refuses
    a change (disk full, locked, read-only), the import stops there: the files before it stay
    in; that file, and how many were not tried, are refused.

    *progress(done, total, name)* is called before each file, when the first *done* files are
    finished (in the project, skipped or refused), and once at the end; False stops.

    Memory: a file's text is held once as ``str`` and once as UTF-8 while it is hashed, then
    only as UTF-8 while SQLite stores it (SQLite itself takes two copies of a value it stores).
    """
    files, refused = collect_files(paths)
    duplicates: list[Refusal] = []
    warnings: list[Refusal] = []
    infos: list[DocumentInfo] = []
    for done, (path, attributes) in enumerate(files):
        if progress is not None and progress(done, len(files), path.name) is False:
            break
        try:
            reader = readers.reader_for(path)
            readers.check_size(reader, path)
            original = _Original(path, reader.media_type, *_file_identity(path))
            decoded = readers.read_with(reader, path)
        except KzError as exc:
            refused.append(Refusal(path, str(exc)))
            continue
        stored, length = decoded.text.encode("utf-8"), len(decoded.text)
        new = _NewDocument(path.stem, stored, length, hashlib.sha256(stored).hexdigest(),
                           decoded.encoding, {**decoded.attributes, **attributes}, original)
        file_warnings = decoded.warnings
        del decoded, stored  # the text lives on only in *new*, as UTF-8
        try:
            added = _add_document(project, new)
        except originals.ChangedMeanwhile:
            refused.append(Refusal(path, f"{path.name}: not imported: the file changed while it "
                                         "was being imported; import it again"))
            continue
        except (sqlite3.IntegrityError, IntegrityError):
            refused.append(Refusal(path, f"{path.name}: not imported: another program added a "
                                         "document of that name or text meanwhile; import it "
                                         "again"))
            continue
        except KzError as exc:
            refused.append(Refusal(path, f"{path.name}: not imported: {exc}"))
            if rest := len(files) - done - 1:
                refused.append(Refusal(files[done + 1][0], f"{rest} more file(s) not imported: "
                                                           f"the import stopped at {path.name}"))
            break
        finally:
            del new
        if isinstance(added, str):
            duplicates.append(Refusal(path, f"{path.name}: already in the project as "
                                            f"'{added}'"))
        else:
            infos.append(added)
            warnings.extend(Refusal(path, warning) for warning in file_warnings)
    if progress is not None:
        progress(len(files), len(files), "")
    report = ImportReport(tuple(infos), tuple(duplicates), tuple(refused), tuple(warnings))
    return Changed(report, Changes(documents=frozenset(d.id for d in infos),
                                   document_list=bool(infos)))


@dataclass(frozen=True, slots=True)
class _Original:
    path: Path
    media_type: str
    size: int
    sha256: str  # of the file's bytes


def _file_identity(path: Path) -> tuple[int, str]:
    """The size and SHA-256 of the file at *path*, read a piece at a time."""
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as file:
            while piece := file.read(originals.PIECE):
                digest.update(piece)
                size += len(piece)
    except OSError as exc:
        raise KzError(f"{path.name}: {_unreadable(exc)}") from exc
    return size, digest.hexdigest()


@dataclass(slots=True)
class _NewDocument:
    stem: str
    stored: bytes  # the stored text, UTF-8
    length: int  # in code points
    sha256: str
    encoding: str
    attributes: dict[str, str]
    original: _Original


def _add_document(project: Project, new: _NewDocument) -> DocumentInfo | str:
    """Add *new* in a unit of work of its own; returns its record, or the name of the document
    that has its text already. A long text is staged first and *new* lets go of it, so that
    SQLite holds the only copies while it stores it (``queries.documents.stage_text``)."""
    with project.unit() as session:
        owner = q.text_owner(session, new.sha256)
        if owner is not None:
            return owner
        name = _free_name(new.stem, q.names_from(session, new.stem).__contains__)
        text: bytes | q.StagedText = new.stored
        if len(new.stored) >= q.STAGE_FROM:
            text = q.stage_text(session, new.stored)
            new.stored = b""
        info = q.insert_document(session, name=name, text=text, length=new.length,
                                 sha256=new.sha256, encoding=new.encoding,
                                 attributes=new.attributes)
        kept = new.original
        originals.insert_original(session, info.id, kept.path, media_type=kept.media_type,
                                  sha256=kept.sha256, size=kept.size,
                                  same_as_text=kept.sha256 == new.sha256)
        return info


def _free_name(stem: str, taken: Callable[[str], bool]) -> str:
    name, number = stem, 2
    while taken(name):
        name = f"{stem} ({number})"
        number += 1
    return name


def list_documents(project: Project, ids: Iterable[int] | None = None) -> list[DocumentInfo]:
    """Every document (or those among *ids*), in import order, with its attributes (not its
    text)."""
    with project.unit(read=True) as session:
        if ids is None:
            return q.all_documents(session)
        return q.documents_by_id(session, list(ids))


def find_document(session: Session, ref: str | int) -> Document:
    """The document *ref* means: ``id:N``, ``name:TEXT``, or a bare name or id (refused when
    it names one document and numbers another); an int is an id (the GUI passes ids).
    KzError if there is none (see ``services.references``)."""
    from kzcoder.services import references  # here: the rest of this module is not about it

    return references.resolve(ref, "document",
                              named=lambda name: q.documents_named(session, name),
                              numbered=lambda number: q.document_by_id(session, number))


def get_document(project: Project, ref: str | int) -> DocumentInfo:
    """Look a document up by reference (``id:N``, ``name:TEXT``, a bare name or id)."""
    with project.unit(read=True) as session:
        return q.document_info(find_document(session, ref))


def document_text(project: Project, document_id: int) -> str:
    """The stored text of a document (kept for a while by the project: texts never change)."""
    with project.unit(read=True) as session:
        identity = q.text_identity(session, document_id)
        if identity is None:
            raise KzError(f"no document numbered {document_id}")
        text = project.texts.get(identity)
        if text is None:
            text = q.document_text(session, document_id)
            project.texts.put(identity, text, len(text))
    return text


#: the attribute holding a document's date of publication (see check_published)
PUBLISHED = "published"
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def check_published(value: str) -> str:
    """*value* stripped if it is a date of publication kzcoder accepts, else KzError.

    Accepted: an ISO 8601 calendar date ``YYYY-MM-DD``, or, when only the month or the year is
    known, ``YYYY-MM`` or ``YYYY`` (all three sort correctly as text). Refused: anything else,
    including dates that do not exist (``2022-13-40``, ``2023-02-29``). An empty value is
    returned as it is (it means "no date").
    """
    value = value.strip()
    if not value:
        return value
    match = _PARTIAL_DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = match.groups()
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise KzError(f"published date '{value}' is not a date: use YYYY-MM-DD, YYYY-MM or "
                      "YYYY") from None
    return value


def update_document(project: Project, document: str | int, *, name: str | None = None,
                    set_attributes: dict[str, str] | None = None,
                    unset: Iterable[str] = ()) -> Changed[tuple[DocumentInfo, DocumentInfo]]:
    """Rename a document and set or remove its attributes in one unit of work; returns
    (before, after).

    *document* is an exact name or an id (as for find_document). A name is stripped and must
    be non-empty and not another document's. Attribute names are stripped and must be
    non-empty; values are stripped, and an empty value removes the attribute, as *unset* does
    (removing one the document does not have is no error). ``published`` must pass
    check_published. A name both set and unset is refused. KzError, changing nothing, on any
    refusal.
    """
    wanted, dropped = _checked_change(set_attributes, unset)
    with project.unit() as session:
        row = find_document(session, document)
        before = q.document_info(row)
        # every check before any assignment: a query would flush a half-made change
        if name is not None:
            name = _check_name(session, name, row.id)
        after = _apply(session, row, name, _changed(before.attributes, wanted, dropped))
    return Changed((before, after), Changes(documents=frozenset({after.id})))


def update_documents(project: Project, document_ids: Iterable[int], *,
                     set_attributes: dict[str, str] | None = None,
                     unset: Iterable[str] = ()) -> Changed[list[tuple[DocumentInfo,
                                                                      DocumentInfo]]]:
    """Set or remove the same attributes of several documents (by id) in one unit of work,
    as ``update_document`` does for one; returns (before, after) of each, in the order given.
    KzError, changing nothing, if any document is missing or any value refused."""
    wanted, dropped = _checked_change(set_attributes, unset)
    ids = list(dict.fromkeys(document_ids))
    with project.unit() as session:
        rows = []
        for document_id in ids:
            row = q.document_by_id(session, document_id)
            if row is None:
                raise KzError(f"no document numbered {document_id}")
            rows.append(row)
        pairs = []
        for row in rows:
            before = q.document_info(row)
            pairs.append((before, _apply(session, row, None,
                                         _changed(before.attributes, wanted, dropped))))
    return Changed(pairs, Changes(documents=frozenset(ids)))


def restore_documents(project: Project, infos: Iterable[DocumentInfo]) -> Changed[None]:
    """``restore_document`` for several documents in one unit of work (an undo of
    ``update_documents``)."""
    infos = list(infos)
    with project.unit() as session:
        for info in infos:
            row = q.document_by_id(session, info.id)
            if row is None:
                raise KzError(f"no document numbered {info.id}")
            _apply(session, row, _check_name(session, info.name, row.id), dict(info.attributes))
    return Changed(None, Changes(documents=frozenset(info.id for info in infos)))


def _checked_change(set_attributes: dict[str, str] | None,
                    unset: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """The attributes to set and to remove, cleaned and checked (KzError if refused)."""
    wanted = {_clean_key(k): v.strip() for k, v in (set_attributes or {}).items()}
    dropped = {_clean_key(k) for k in unset}
    if both := sorted(dropped & {k for k, v in wanted.items() if v}):
        raise KzError(f"attribute '{both[0]}' is both set and unset")
    if PUBLISHED in wanted:
        check_published(wanted[PUBLISHED])
    return wanted, dropped


def _changed(attributes: dict[str, str], wanted: dict[str, str],
             dropped: set[str]) -> dict[str, str]:
    result = {k: v for k, v in attributes.items() if k not in dropped}
    for key, value in wanted.items():
        if value:
            result[key] = value
        else:
            result.pop(key, None)
    return result


def restore_document(project: Project, info: DocumentInfo) -> Changed[tuple[DocumentInfo,
                                                                           DocumentInfo]]:
    """Give document ``info.id`` exactly ``info``'s name and attributes again (what an undo
    does): attributes it has now that *info* lacks are removed. Values are stored as they are,
    unchecked: they were the document's. KzError if the document is gone or another one took
    the name meanwhile. Returns (before, after)."""
    with project.unit() as session:
        row = q.document_by_id(session, info.id)
        if row is None:
            raise KzError(f"no document numbered {info.id}")
        before = q.document_info(row)
        name = _check_name(session, info.name, row.id)
        after = _apply(session, row, name, dict(info.attributes))
    return Changed((before, after), Changes(documents=frozenset({after.id})))


def _apply(session: Session, row: Document, name: str | None,
           attributes: dict[str, str]) -> DocumentInfo:
    if name is not None and name != row.name:
        row.name = name
    q.replace_attributes(session, row, attributes)
    return q.document_info(row)


def _check_name(session: Session, name: str, document_id: int) -> str:
    name = name.strip()
    if not name:
        raise KzError("a document needs a name")
    if q.name_taken(session, name, other_than=document_id):
        raise KzError(f"a document named '{name}' already exists")
    return name


def _clean_key(key: str) -> str:
    key = key.strip()
    if not key:
        raise KzError("an attribute needs a name")
    return key
