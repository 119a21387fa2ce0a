"""Pseudonymised copies: a new project with every term replaced in document texts, names,
attributes and memos, every coding shifted to cover the same words, and a key file
(replacement -> term, with counts) written apart with owner-only permissions.

The copy is built as a new project (``Project.create``), so nothing of the source's pages,
free pages, journal, backups or history is in it: its history begins with the pseudonymised
content, and it keeps no original files (they hold the terms; ``verify`` of the copy passes).
Search indexes and other derived data are not copied either (the copy builds its own).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.core.pseudonymise import OffsetMap, Pseudonymiser, TermsError, read_terms_csv
from kzcoder.db.queries import documents as document_queries
from kzcoder.db.queries import refi as q
from kzcoder.services.project import PROJECT_SUFFIX, Project


@dataclass(frozen=True)
class PseudonymisedCopy:
    """What ``pseudonymise`` wrote: the project, the key file, and per term its count."""

    project: Path
    key: Path
    counts: dict[str, int]
    documents: int
    codings: int


def project_variants(project: Project) -> list[list[str]]:
    """The project's name variants (``kzcoder variants``): each variant of a term in the terms
    file is replaced as the term is."""
    from kzcoder.services.search.variants import variant_groups

    return variant_groups(project)


def load_terms(path: str | Path, *, variants: Iterable[Sequence[str]] = (),
               ignore_case: bool = False) -> Pseudonymiser:
    """The pseudonymiser for the terms file at *path* (see ``core.pseudonymise``);
    TermsError for a file that is not a usable terms CSV."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TermsError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return Pseudonymiser.from_rows(read_terms_csv(data, str(path)), variants=variants,
                                   ignore_case=ignore_case)


def preview(project: Project, pseudonymiser: Pseudonymiser) -> dict[str, int]:
    """How many times each term occurs in the project's texts, names, attributes and memos
    (nothing is written): what a pseudonymised copy would replace."""
    counter = Pseudonymiser(dict(pseudonymiser.replacements), pseudonymiser.ignore_case)
    with project.unit() as session:
        for value in _all_strings(session):
            counter.text(value)
    return dict(counter.counts)


def pseudonymise(source: str | Path, dest: str | Path, key: str | Path,
                 pseudonymiser: Pseudonymiser) -> PseudonymisedCopy:
    """Write the pseudonymised copy of the project *source* to the new project *dest* and the
    key to the new file *key*. TermsError (nothing written) if *dest* or *key* exists."""
    source, dest, key = (Path(p).expanduser().absolute() for p in (source, dest, key))
    for path in (dest, key):
        if path.exists() or path.is_symlink():
            raise TermsError(f"{path}: already exists; choose another name")
    if dest.suffix.lower() != PROJECT_SUFFIX:
        raise TermsError(f"{dest.name}: a project file name must end in {PROJECT_SUFFIX}")
    if key.resolve() == dest.resolve():
        raise TermsError(f"{key}: the key file must not be the project")
    with Project.open(source) as project, project.unit() as session:
        content = _read(session)
    copied: dict[str, int] = {}

    def fill(new: Project) -> None:
        copied.update(_write(new, content, pseudonymiser))

    Project.create(dest, fill=fill).close()
    try:
        _write_key(key, pseudonymiser)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return PseudonymisedCopy(dest, key, dict(pseudonymiser.counts), copied["documents"],
                             copied["codings"])


@dataclass
class _Content:
    project: tuple
    coders: list[tuple]
    codes: list[tuple]
    documents: list[tuple]
    texts: dict[int, str]
    attributes: dict[int, list[tuple[str, str]]]
    codings: list[tuple]


def _read(session) -> _Content:  # noqa: ANN001 - sqlalchemy Session
    documents = q.documents(session)
    return _Content(q.project_row(session), q.coders(session), q.codes(session), documents,
                    {row[0]: document_queries.document_text(session, row[0])
                     for row in documents},
                    q.attributes(session), list(q.all_codings(session)))


def _all_strings(session) -> Iterable[str]:  # noqa: ANN001 - sqlalchemy Session
    content = _read(session)
    yield from content.project[1:3]
    for _id, _guid, name in content.coders:
        yield name
    for row in content.codes:
        yield from (row[3], row[5], row[6])
    for row in content.documents:
        yield from (row[2], row[3], content.texts[row[0]])
    for pairs in content.attributes.values():
        for name, value in pairs:
            yield from (name, value)
    for row in content.codings:
        yield row[6]


def _write(project: Project, content: _Content, p: Pseudonymiser) -> dict[str, int]:
    _guid, name, memo, created = content.project
    with project.unit() as session:
        q.set_project(session, name=p.text(name), memo=p.text(memo), created=created)
        coders = {old: q.insert_coder(session, guid, p.text(coder_name))
                  for old, guid, coder_name in content.coders}
        codes: dict[int, int] = {}
        pending = list(content.codes)
        position = 0
        while pending:  # parents before their children
            ready = [row for row in pending if row[2] is None or row[2] in codes]
            if not ready:
                raise KzError("the codebook's tree has a loop; it was not copied")
            for (old, guid, parent, code_name, color, description, code_memo, key,
                 codable) in ready:
                codes[old] = q.insert_code(
                    session, guid=guid, parent_id=codes.get(parent) if parent else None,
                    name=p.text(code_name), color=color, description=p.text(description),
                    memo=p.text(code_memo), shortcut=key, position=position,
                    codable=bool(codable))
                position += 1
            pending = [row for row in pending if row[0] not in codes]
        documents: dict[int, int] = {}
        maps: dict[int, OffsetMap] = {}
        seen_texts: dict[str, str] = {}
        for old, guid, doc_name, doc_memo, doc_created, encoding in content.documents:
            new_text, edits = p.replace(content.texts[old])
            new_name = p.text(doc_name)
            if new_text in seen_texts:
                raise KzError(f"documents '{seen_texts[new_text]}' and '{new_name}' have the "
                              "same text once pseudonymised; nothing was written")
            seen_texts[new_text] = new_name
            documents[old] = q.insert_document(
                session, guid=guid, name=new_name, text=new_text, encoding=encoding,
                memo=p.text(doc_memo), created=doc_created,
                attributes=[(p.text(a), p.text(v)) for a, v in content.attributes.get(old, [])])
            maps[old] = OffsetMap(edits)
        rows = []
        for document, guid, code, coder, start, end, coding_memo, coding_created in \
                content.codings:
            moved = maps[document]
            rows.append((guid, documents[document], codes[code], coders[coder],
                         moved.start(start), moved.end(end), p.text(coding_memo),
                         coding_created))
        q.insert_codings(session, rows)
    return {"documents": len(documents), "codings": len(rows)}


def _write_key(key: Path, p: Pseudonymiser) -> None:
    """KEY.csv: replacement, term, count; created owner-only (0600), never replacing a file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["replacement", "term", "count"])
    for term, replacement in p.replacements.items():
        writer.writerow([replacement, term, p.counts.get(term, 0)])
    try:
        handle = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise TermsError(f"{key}: already exists; choose another name") from None
    except OSError as exc:
        raise KzError(f"{key}: cannot be written ({exc.strerror or exc})") from exc
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())
        out.flush()
        os.fsync(out.fileno())
