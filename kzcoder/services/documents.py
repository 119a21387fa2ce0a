"""Documents: import from files and folders, list, look up, read."""

from __future__ import annotations

import hashlib
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
