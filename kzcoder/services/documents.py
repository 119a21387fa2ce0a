"""Documents: import from files and folders, list, look up, read, edit their details."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import DocumentInfo, ImportReport, Refusal
from kzcoder.db.models import Document
from kzcoder.db.queries import documents as q
from kzcoder.exchange import readers
from kzcoder.exchange.manifest import MANIFEST_NAME, read_manifest
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
        if path.is_dir():
            _walk(path, found, manifests)
        elif path.is_file():
            found.append((path, manifests.attributes(path)))
        else:
            manifests.refused.append(Refusal(path, f"{path}: no such file or folder"))
    return found, manifests.refused


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
            if manifest_path.is_file():
                try:
                    self._by_folder[folder] = read_manifest(manifest_path)
                except KzError as exc:
                    self.refused.append(Refusal(manifest_path, str(exc)))
        return self._by_folder[folder].get(file.name, {})


def _walk(folder: Path, found: FoundFiles, manifests: _Manifests) -> None:
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name == MANIFEST_NAME:
            continue
        if entry.is_dir():
            _walk(entry, found, manifests)
        elif readers.is_accepted(entry):
            found.append((entry, manifests.attributes(entry)))
        else:
            manifests.refused.append(Refusal(entry, f"{entry.name}: not a supported document "
                                                    f"(accepted: {readers.describe_accepted()})"))


def import_paths(project: Project, paths: Iterable[Path], *,
                 progress: Progress | None = None) -> Changed[ImportReport]:
    """Import documents from files and folders in one unit of work, each file read by the
    reader the registry picks (``kzcoder.exchange.readers``); a manifest's attributes win over
    those a reader found in the file.

    A file that is empty, binary or unreadable is refused with a reason naming it; the others
    still go in. A file whose stored text is already in the project is skipped and reported.
    *progress* is called before each file (and once at the end); returning False stops.
    """
    files, refused = collect_files(paths)
    duplicates: list[Refusal] = []
    imported: list[Document] = []
    with project.unit() as session:
        known_hashes = q.known_texts(session)
        taken_names = set(known_hashes.values())
        for done, (path, attributes) in enumerate(files):
            if progress is not None and progress(done, len(files), path.name) is False:
                break
            try:
                decoded = readers.read_document(path)
            except KzError as exc:
                refused.append(Refusal(path, str(exc)))
                continue
            digest = text_sha256(decoded.text)
            if digest in known_hashes:
                duplicates.append(Refusal(
                    path, f"{path.name}: already in the project as '{known_hashes[digest]}'"))
                continue
            name = _free_name(path.stem, taken_names)
            taken_names.add(name)
            known_hashes[digest] = name
            imported.append(q.add_document(session, name=name, text=decoded.text,
                                           sha256=digest, encoding=decoded.encoding,
                                           attributes={**decoded.attributes, **attributes}))
        infos = tuple(q.document_info(d) for d in imported)
    if progress is not None:
        progress(len(files), len(files), "")
    report = ImportReport(infos, tuple(duplicates), tuple(refused))
    return Changed(report, Changes(documents=frozenset(d.id for d in infos),
                                   document_list=bool(infos)))


def _free_name(stem: str, taken: set[str]) -> str:
    name, number = stem, 2
    while name in taken:
        name = f"{stem} ({number})"
        number += 1
    return name


def list_documents(project: Project, ids: Iterable[int] | None = None) -> list[DocumentInfo]:
    """Every document (or those among *ids*), in import order, with its attributes (not its
    text)."""
    with project.unit() as session:
        if ids is None:
            return q.all_documents(session)
        return q.documents_by_id(session, list(ids))


def find_document(session: Session, ref: str | int) -> Document:
    """The document named exactly *ref*, else the one whose id is *ref*; KzError if none.

    An int is taken as an id straight away (the GUI passes ids; the command line, strings).
    """
    if isinstance(ref, int) and (document := q.document_by_id(session, ref)) is not None:
        return document
    named = q.documents_named(session, str(ref))
    document = named[0] if named else None
    if document is None and str(ref).isdigit():
        document = q.document_by_id(session, int(ref))
    if document is None:
        raise KzError(f"no document named or numbered '{ref}'")
    return document


def get_document(project: Project, ref: str | int) -> DocumentInfo:
    """Look a document up by exact name or id."""
    with project.unit() as session:
        return q.document_info(find_document(session, ref))


def document_text(project: Project, document_id: int) -> str:
    """The stored text of a document (kept for a while by the project: texts never change)."""
    with project.unit() as session:
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
    wanted = {_clean_key(k): v.strip() for k, v in (set_attributes or {}).items()}
    dropped = {_clean_key(k) for k in unset}
    if both := sorted(dropped & {k for k, v in wanted.items() if v}):
        raise KzError(f"attribute '{both[0]}' is both set and unset")
    if PUBLISHED in wanted:
        check_published(wanted[PUBLISHED])
    with project.unit() as session:
        row = find_document(session, document)
        before = q.document_info(row)
        # every check before any assignment: a query would flush a half-made change
        if name is not None:
            name = _check_name(session, name, row.id)
        attributes = {k: v for k, v in before.attributes.items() if k not in dropped}
        for key, value in wanted.items():
            if value:
                attributes[key] = value
            else:
                attributes.pop(key, None)
        after = _apply(session, row, name, attributes)
    return Changed((before, after), Changes(documents=frozenset({after.id})))


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
