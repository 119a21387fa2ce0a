"""Export the whole project as a REFI-QDA project archive (``.qdpx``) that other programs
(ATLAS.ti, MAXQDA, NVivo, QualCoder...) import, and that ``refi.importing`` reads back into the
same project: same GUIDs, texts, spans, memos, coders, attributes and times.

docs/refi-qda.md says where each thing goes in the XML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from kzcoder import __version__
from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls
from kzcoder.core.refi_records import (
    RefiAnnotation,
    RefiCode,
    RefiCoding,
    RefiJournalEntry,
    RefiOriginal,
    RefiProjectInfo,
    RefiSet,
    RefiSource,
    RefiUser,
)
from kzcoder.db import open_files, snapshot
from kzcoder.db.queries import annotation as annotation_q
from kzcoder.db.queries import documents as document_q
from kzcoder.db.queries import journal as journal_q
from kzcoder.db.queries import memos as memo_q
from kzcoder.db.queries import originals as original_q
from kzcoder.db.queries import refi as q
from kzcoder.exchange.codebook.qdc import export_guid
from kzcoder.exchange.refi.archive import QdpxWriter
from kzcoder.exchange.refi.extra import NAME as EXTRA_NAME
from kzcoder.exchange.refi.extra import NVIVO, Extra, KeptOriginal, extra_bytes
from kzcoder.exchange.refi.positions import nvivo_copy
from kzcoder.exchange.refi.writer import QdeWriter, derived_guid, text_member, xml_safe
from kzcoder.services.project import Project

Progress = Callable[[int, int, str], object]
#: the programs an export can be made for (``--for``): how each counts positions
FOR_TOOLS = ("nvivo",)
_SUFFIX = re.compile(r"\.([A-Za-z0-9]{1,10})$")
_BY_MEDIA = {"application/pdf": "pdf", "text/html": "html", "application/rtf": "rtf",
             "application/epub+zip": "epub", "text/plain": "txt",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
             "application/vnd.oasis.opendocument.text": "odt"}


@dataclass(frozen=True, slots=True)
class RefiExport:
    """What an export wrote: the archive and how many of each thing it holds."""

    path: Path
    documents: int
    codes: int
    codings: int
    coders: int
    notes: int
    originals: int
    #: names XML cannot carry as they are ("code 'A\x1bB'"): written with U+FFFD in place of
    #: their control characters
    changed: tuple[str, ...] = ()

    def describe(self) -> str:
        """One short line: what the archive holds, and which names it had to change."""
        return (f"{self.documents:,} document(s), {self.codes:,} code(s), {self.codings:,} "
                f"coding(s), {self.notes:,} memo(s), {self.originals:,} original file(s)"
                + self._changes())

    def summary_lines(self) -> list[str]:
        """One line saying what went out."""
        return [f"exported {self.documents} document(s), {self.codes} code(s), "
                f"{self.codings} coding(s) by {self.coders} coder(s), {self.notes} memo(s) "
                f"and {self.originals} original file(s) to {self.path.name}{self._changes()}"]

    def _changes(self) -> str:
        if not self.changed:
            return ""
        shown = ", ".join(escape_controls(name) for name in self.changed[:3])
        more = f" and {len(self.changed) - 3} more" if len(self.changed) > 3 else ""
        return (f"; changed on export: {shown}{more} (control characters XML cannot carry "
                "were written as \ufffd)")


def export_qdpx(project: Project, path: str | Path, *, overwrite: bool = False,
                progress: Progress | None = None, for_tool: str = "") -> Changed[RefiExport]:
    """Write the project to *path* as a REFI-QDA ``.qdpx`` (valid against
    Project-mrt2019.xsd). It is written to a temporary file beside *path*, flushed and only
    then given its name: *path* is absent, untouched or complete. An existing *path* is
    replaced only with *overwrite*. The whole export reads one state of the project (one unit
    of work). *progress(done, total, name)* is called per document; False stops the export
    and nothing is written. *for_tool* "nvivo": each text is written with CRLF line endings
    and positions count its UTF-16 code units, as NVivo for Windows writes and reads them
    (``kzcoder.json`` says so, and kzcoder's import reads them back exactly). Returns what was
    written; the project does not change."""
    if for_tool not in ("", *FOR_TOOLS):
        raise KzError(f"'{for_tool}': an export can be made for {', '.join(FOR_TOOLS)}")
    dest = Path(path).expanduser().absolute()
    if not dest.parent.is_dir():
        raise KzError(f"{dest.parent}: no such folder")
    if dest.exists() and not overwrite:
        raise KzError(f"{dest}: already exists; choose another name")
    if open_files.is_open_here(dest) or dest == project.path:
        raise KzError(f"{dest}: is an open kzcoder project; choose another name")
    def write(temporary: Path) -> RefiExport:
        with temporary.open("r+b") as out:
            return _write(project, out, dest, progress, for_tool)

    result = snapshot.write_beside(dest, write, overwrite=overwrite)
    return Changed(result, Changes())


def _write(project: Project, out, dest: Path, progress: Progress | None,  # noqa: ANN001
           for_tool: str) -> RefiExport:
    archive = QdpxWriter(out)
    try:
        result = _write_members(project, archive, dest, progress, for_tool)
    except BaseException:
        archive.abandon()
        raise
    archive.close()
    _tell(progress, result.documents + 1, result.documents + 1, "")
    return result


def _write_members(project: Project, archive: QdpxWriter, dest: Path,
                   progress: Progress | None, for_tool: str) -> RefiExport:
    with project.unit(read=True) as session:
        _guid, name, memo, created = q.project_row(session)
        info = RefiProjectInfo(name or project.path.stem, memo, created,
                               f"kzcoder {__version__}")
        coder_rows = q.coders(session)
        users = [RefiUser(g, n) for _i, g, n in coder_rows]
        journal = _journal(session, users)
        annotations = annotation_q.by_document(session)
        user_of = {user.name: user.guid for user in users}
        for items in annotations.values():  # every author among the users before they go out
            for item in items:
                _user(users, user_of, item.author)
        coder_guids = {i: g for i, g, _n in coder_rows}
        code_rows = q.codes(session)
        code_guids = {row[0]: row[1] for row in code_rows}
        codes = _code_tree(code_rows)
        attributes = q.attributes(session)
        originals = q.originals(session)
        sources = [_source(row, attributes.get(row[0], ()), originals.get(row[0]))
                   for row in q.documents(session)]
        variables = sorted({n for pairs in attributes.values() for n, _v in pairs})
        extra = Extra({}, {s.guid: s.encoding for s in sources if s.encoding},
                      {row[1]: row[7] for row in code_rows if row[7]},
                      NVIVO if for_tool == "nvivo" else "")
        sets = [RefiSet(guid, name, description, tuple(members))
                for guid, name, description, members in q.code_sets(session)]
        sets += document_sets_for_export(session)
        rich: dict[int, str] = {}
        counted: dict[int, Callable[[int], int]] = {}
        for number, source in enumerate(sources):
            _tell(progress, number, len(sources) + 1, source.name)
            rich_member, to_nvivo = _ship_document(session, archive, source, extra)
            if rich_member:
                rich[source.id] = rich_member
            if to_nvivo is not None:
                counted[source.id] = to_nvivo
        _tell(progress, len(sources), len(sources) + 1, dest.name)
        with archive.open_member("project.qde") as stream:
            writer = QdeWriter(stream, info, q.guid_forms(session),
                               coder_rows[0][1] if coder_rows else "",
                               memo_q.memo_times(session))
            writer.start(users, codes, variables)
            by_document = groupby(q.all_codings(session), key=lambda row: row[0])
            pending = next(by_document, None)
            variable_guids = {n: derived_guid("variable", n) for n in variables}
            for source in sources:
                codings: Iterator[RefiCoding] = iter(())
                if pending is not None and pending[0] == source.id:
                    codings = (RefiCoding(g, s, e, code_guids[c], coder_guids[k], when, m)
                               for _d, g, c, k, s, e, m, when in pending[1])
                    if source.id in counted:
                        codings = _counted(codings, counted[source.id])
                    pending = None
                to_nvivo = counted.get(source.id)
                notes = [RefiAnnotation(
                    a.guid, to_nvivo(a.start) if to_nvivo else a.start,
                    to_nvivo(a.end) if to_nvivo else a.end, a.text,
                    _user(users, user_of, a.author), a.created)
                    for a in annotations.get(source.id, ())]
                writer.source(source, codings, rich.get(source.id), variable_guids, notes)
                if pending is None:
                    pending = next(by_document, None)
            writer.finish(journal, sets)
        for member, text in writer.note_files:
            archive.write_bytes(member, text.encode("utf-8", "surrogatepass"))
    archive.write_bytes(EXTRA_NAME, extra_bytes(extra))
    counts = writer.counts
    changed = tuple(f"{kind} '{name}'" for kind, name in (
        ("project", info.name), *(("coder", u.name) for u in users),
        *(("code", row[3]) for row in code_rows), *(("document", s.name) for s in sources),
        *(("attribute", n) for n in variables)) if not xml_safe(name))
    return RefiExport(dest, counts["documents"], len(code_rows), counts["codings"],
                      len(coder_rows), counts["notes"], len(extra.originals), changed)


def _tell(progress: Progress | None, done: int, total: int, name: str) -> None:
    if progress is not None and progress(done, total, name) is False:
        raise KzError("export stopped; nothing was written")


def _code_tree(rows: list[tuple]) -> list[RefiCode]:
    children: dict[int | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[2], []).append(row)

    def code(row: tuple) -> RefiCode:
        code_id, guid, _parent, name, color, description, memo, shortcut, codable = row
        return RefiCode(guid, name, color, description or "", memo or "", shortcut,
                        tuple(code(child) for child in children.get(code_id, ())),
                        bool(codable))

    return [code(row) for row in children.get(None, ())]


def _journal(session, users: list[RefiUser]) -> list[RefiJournalEntry]:  # noqa: ANN001
    """The journal's entries (their authors among *users*: see ``_user``)."""
    by_name = {user.name: user.guid for user in users}
    return [RefiJournalEntry(entry.guid, entry.title, entry.text, entry.author, entry.created,
                             entry.modified, _user(users, by_name, entry.author))
            for entry in journal_q.entries(session)]


def _user(users: list[RefiUser], by_name: dict[str, str], name: str) -> str:
    """The GUID of the user called *name* ("" for none); one who is no coder (an author of
    journal entries or annotations) joins *users* under a GUID derived from the name, the
    same every time, so that a note can name its ``User``."""
    if not name:
        return ""
    found = by_name.get(name)
    if found is None:
        found = by_name[name] = derived_guid("user", name).lower()
        users.append(RefiUser(found, name))
    return found


def document_sets_for_export(session) -> list[RefiSet]:  # noqa: ANN001 - Session
    """The document sets as ``Set``\\ s of ``MemberSource``: a static set's members, a
    dynamic one's members now (REFI-QDA has no saved filters: its conditions go in the
    description)."""
    from kzcoder.services.analysis.sets import sets_in

    guid_of = document_q.document_guids(session)
    return [RefiSet(s.guid, s.name,
                    "kzcoder filter: " + "; ".join(s.conditions) if s.conditions else "",
                    sources=tuple(guid_of[d] for d in s.documents))
            for s in sets_in(session)]


def _source(row: tuple, attributes, original) -> RefiSource:  # noqa: ANN001
    document_id, guid, name, memo, created, encoding = row
    kept = RefiOriginal(*original) if original is not None else None
    return RefiSource(document_id, guid, name, created or "", memo or "", tuple(attributes),
                      encoding or "", kept)


def _counted(codings: Iterator[RefiCoding], to_nvivo: Callable[[int], int]
             ) -> Iterator[RefiCoding]:
    for coding in codings:
        yield coding._replace(start=to_nvivo(coding.start), end=to_nvivo(coding.end))


def _ship_document(session, archive: QdpxWriter, source: RefiSource,  # noqa: ANN001
                   extra: Extra) -> tuple[str, Callable[[int], int] | None]:
    """Write the document's text and original file. Returns the original's member when it is
    the rich text ("" when there is none, or it is plain text: see ``exchange.refi.extra``)
    and, for NVivo, the map of the text's positions to NVivo's."""
    text = document_q.document_text(session, source.id) or ""
    to_nvivo = None
    if extra.positions == NVIVO:
        if "\r" in text:
            raise KzError(f"document '{source.name}' holds a carriage return; it cannot be "
                          "written for NVivo exactly (its line endings become CRLF)")
        text, to_nvivo = nvivo_copy(text)
    archive.write_bytes(text_member(source.guid), text.encode("utf-8", "surrogatepass"))
    original = source.original
    if original is None:
        return "", to_nvivo
    if original.same_as_text:
        extra.originals[source.guid] = KeptOriginal(original, "")
        return "", to_nvivo
    plain = original.media_type == "text/plain"
    suffix = _suffix(original)
    member = (f"sources/{export_guid(source.guid)}.original.txt" if plain
              else f"sources/{export_guid(source.guid)}.{suffix}")
    archive.write_pieces(member, original_q.original_pieces(session, source.id),
                         original.size, original.media_type)
    extra.originals[source.guid] = KeptOriginal(original, member)
    return "" if plain else member, to_nvivo


def _suffix(original: RefiOriginal) -> str:
    match = _SUFFIX.search(original.file_name)
    if match:
        return match.group(1).lower()
    return _BY_MEDIA.get(original.media_type, "bin")
