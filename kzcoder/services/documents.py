"""Documents: import from files and folders, list, look up, read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kzcoder.core.errors import KzError
from kzcoder.db.models import Document, DocumentAttribute
from kzcoder.exchange.manifest import MANIFEST_NAME, read_manifest
from kzcoder.exchange.text_reader import TEXT_SUFFIXES, read_text_file
from kzcoder.services.dto import Changed, Changes, DocumentInfo, ImportReport, Refusal
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
    hidden entries are passed over, any other file that is not ``.txt``/``.md`` is refused.
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
        elif entry.suffix.lower() in TEXT_SUFFIXES:
            found.append((entry, manifests.attributes(entry)))
        else:
            manifests.refused.append(Refusal(entry, f"{entry.name}: not a .txt or .md file"))


def import_paths(project: Project, paths: Iterable[Path], *,
                 progress: Progress | None = None) -> Changed[ImportReport]:
    """Import plain-text files and folders in one unit of work.

    A file that is empty, binary or unreadable is refused with a reason naming it; the others
    still go in. A file whose stored text is already in the project is skipped and reported.
    """
    files, refused = collect_files(paths)
    duplicates: list[Refusal] = []
    imported: list[Document] = []
    with project.unit() as session:
        known_hashes = dict(session.execute(select(Document.sha256, Document.name)).all())
        taken_names = set(session.scalars(select(Document.name)))
        for done, (path, attributes) in enumerate(files):
            if progress is not None and progress(done, len(files), path.name) is False:
                break
            try:
                decoded = read_text_file(path)
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
            document = Document(name=name, text=decoded.text, length=len(decoded.text),
                                sha256=digest, source_encoding=decoded.encoding)
            document.attributes = [DocumentAttribute(name=k, value=v)
                                   for k, v in attributes.items()]
            imported.append(document)
        session.add_all(imported)
        session.flush()
        infos = tuple(_info(d) for d in imported)
    if progress is not None:
        progress(len(files), len(files), "")
    report = ImportReport(infos, tuple(duplicates), tuple(refused))
    return Changed(report, Changes(documents=frozenset(d.id for d in infos)))


def _free_name(stem: str, taken: set[str]) -> str:
    name, number = stem, 2
    while name in taken:
        name = f"{stem} ({number})"
        number += 1
    return name


def _info(document: Document) -> DocumentInfo:
    return DocumentInfo(id=document.id, guid=document.guid, name=document.name,
                        length=document.length, memo=document.memo,
                        attributes={a.name: a.value for a in document.attributes})


def list_documents(project: Project) -> list[DocumentInfo]:
    """Every document, in import order, with its attributes (not its text)."""
    with project.unit() as session:
        rows = session.scalars(select(Document).options(
            selectinload(Document.attributes)).order_by(Document.id))
        return [_info(d) for d in rows]


def find_document(session: Session, ref: str | int) -> Document:
    """The document named exactly *ref*, else the one whose id is *ref*; KzError if none.

    An int is taken as an id straight away (the GUI passes ids; the command line, strings).
    """
    if isinstance(ref, int) and (document := session.get(Document, ref)) is not None:
        return document
    document = session.scalar(select(Document).where(Document.name == str(ref)))
    if document is None and str(ref).isdigit():
        document = session.get(Document, int(ref))
    if document is None:
        raise KzError(f"no document named or numbered '{ref}'")
    return document


def get_document(project: Project, ref: str | int) -> DocumentInfo:
    """Look a document up by exact name or id."""
    with project.unit() as session:
        return _info(find_document(session, ref))


def document_text(project: Project, document_id: int) -> str:
    """The stored text of a document."""
    with project.unit() as session:
        raw = session.connection().connection.driver_connection  # a megabyte: no ORM on top
        row = raw.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
    text = row[0] if row else None
    if text is None:
        raise KzError(f"no document numbered {document_id}")
    return text
