"""Import a REFI-QDA project archive (``.qdpx``) into a new kzcoder project.

The archive is checked whole before anything is read (``exchange.refi.archive``: paths that
escape, links, zip bombs) and its XML parsed without DTDs or entities; a hostile or unreadable
archive is refused in one line and nothing is written anywhere. The project is then built as
``Project.create`` builds any (a hidden file beside the target, renamed when complete): if
anything fails, nothing is left at the target.

What kzcoder cannot hold, or had to change to hold it, is listed in the report, which is
returned and saved beside the new project as ``NAME.kzc.import-report.txt``. docs/refi-qda.md
says what is read from where.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from kzcoder.core.colors import distinct_colors
from kzcoder.core.errors import KzError
from kzcoder.db import open_files, snapshot
from kzcoder.db.models import utc_now
from kzcoder.db.queries import documents as document_q
from kzcoder.db.queries import journal as journal_q
from kzcoder.db.queries import memos as memo_q
from kzcoder.db.queries import refi as q
from kzcoder.exchange.refi.archive import SafeArchive
from kzcoder.exchange.refi.extra import NAME as EXTRA_NAME
from kzcoder.exchange.refi.extra import Extra, read_extra
from kzcoder.exchange.refi.memos import richest, split_code_description
from kzcoder.exchange.refi.model import Code, ParsedProject, Set
from kzcoder.exchange.refi.positions import decode_source
from kzcoder.exchange.refi.reader import parse_qde
from kzcoder.exchange.refi.writer import derived_guid, xsd_datetime
from kzcoder.services.codebook.editing import SHORTCUT_KEYS
from kzcoder.services.project import HISTORY_LABEL, PROJECT_SUFFIX, Project
from kzcoder.services.refi.sources import SourceImporter, unique_name

Progress = Callable[[int, int, str], object]
REPORT_SUFFIX = ".import-report.txt"


@dataclass
class RefiImportReport:
    """What an import made of an archive: counts, selections remapped, things changed to fit,
    and what was not imported (each one line). ``path`` is where the report was saved."""

    source: Path
    project: Path
    origin: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("documents", "codes", "codings", "coders", "memos", "attributes", "originals",
         "journal", "code sets", "document sets", "annotations"), 0))
    remapped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    path: Path | None = None
    #: the same kind of change in many documents: kind -> its section, its words, and
    #: [(document, count)]; ``summarise`` makes one line of each (see ``tally``)
    tallies: dict[str, tuple[str, str, list[tuple[str, int]]]] = field(default_factory=dict)
    #: one line per document of each tallied kind: in the saved report, not on the terminal
    details: list[str] = field(default_factory=list)

    def tally(self, section: str, words: str, document: str, count: int) -> None:
        """Count *count* things that happened in *document*; *words* says what, with
        ``{n}`` for the number (the same words make one line for all documents)."""
        self.tallies.setdefault(words, (section, words, []))[2].append((document, count))

    def summarise(self) -> None:
        """One line per tallied kind into its section (naming the document when there is
        one, else how many documents), and the per-document lines into ``details``."""
        for section, words, found in self.tallies.values():
            total = sum(count for _document, count in found)
            head = f"document '{found[0][0]}'" if len(found) == 1 else \
                f"{len(found):,} documents"
            getattr(self, section).append(f"{head}: {words.format(n=f'{total:,}')}")
            if len(found) > 1:
                self.details += [f"document '{document}': {words.format(n=f'{count:,}')}"
                                 for document, count in found]
        self.tallies = {}

    def summary_lines(self) -> list[str]:
        """A count, then one line per remapping, change, warning and thing not imported."""
        c = self.counts
        lines = [f"imported {c['documents']} document(s), {c['codes']} code(s), "
                 f"{c['codings']} coding(s) by {c['coders']} coder(s), {c['memos']} memo(s), "
                 f"{c['attributes']} attribute value(s) and {c['originals']} original file(s) "
                 f"from {self.source.name}" + (f" ({self.origin})" if self.origin else "")]
        if c["journal"] or c["code sets"] or c["document sets"] or c["annotations"]:
            lines.append(f"and {c['annotations']} annotation(s), {c['journal']} journal "
                         f"entry(ies), {c['code sets']} code set(s) and "
                         f"{c['document sets']} document set(s)")
        lines += [f"remapped: {line}" for line in self.remapped]
        lines += [f"changed: {line}" for line in self.changed]
        lines += [f"warning: {line}" for line in self.warnings]
        lines += [f"not imported: {line}" for line in self.not_imported]
        if not self.not_imported:
            lines.append("everything in the file was imported")
        return lines

    def text(self) -> str:
        """The report as saved: a title, the summary lines, then each document's part of
        what the summary counts."""
        details = "".join(f"{line}\n" for line in self.details)
        return (f"Import of {self.source} into {self.project.name}\n\n"
                + "\n".join(self.summary_lines()) + "\n"
                + (f"\nIn detail:\n{details}" if details else ""))


def report_path(project_path: str | Path) -> Path:
    """Where the report of an import into *project_path* is saved."""
    path = Path(project_path)
    return path.with_name(path.name + REPORT_SUFFIX)


def import_qdpx(source_path: str | Path, new_project_path: str | Path, *,
                progress: Progress | None = None) -> RefiImportReport:
    """Create the project *new_project_path* from the REFI-QDA archive *source_path*; returns
    the report (also saved beside the project, see ``report_path``).

    KzError, leaving nothing at the target and writing nothing elsewhere, if the target exists
    or cannot be made, or the archive is hostile or cannot be read. *progress(done, total,
    name)* is called per source; False stops the import and nothing is created.
    """
    source = Path(source_path).expanduser().absolute()
    target = Path(new_project_path).expanduser().absolute()
    if target.suffix.lower() != PROJECT_SUFFIX:
        raise KzError(f"{target.name}: a project file name must end in {PROJECT_SUFFIX}")
    if target.exists() or target.is_symlink():
        raise KzError(f"{target}: already exists; choose another name")
    if not target.parent.is_dir():
        raise KzError(f"{target.parent}: no such folder")
    if open_files.is_open_here(source):  # never read: closing it would drop SQLite's locks
        raise KzError(f"{source.name}: is an open kzcoder project, not a REFI-QDA archive")
    with SafeArchive(source) as archive:
        qde = archive.qde()  # streamed: never whole in memory beside what is read from it
        parsed = parse_qde(archive.pieces(qde), source.name)
        extra = None
        if parsed.origin.lower().startswith("kzcoder") and (
                member := archive.member(EXTRA_NAME)) is not None:
            extra = read_extra(archive.read(member))
        work = _Import(archive, parsed, extra, source, target, progress)
        try:
            Project.create(target, fill=work.fill).close()
        finally:
            work.sources.cleanup()
    report = work.report
    report.summarise()
    _save(report, report_path(target))
    return report


def _save(report: RefiImportReport, path: Path) -> None:
    try:  # the report of this import replaces one of an earlier import of the same name
        snapshot.write_beside(path, lambda temporary: temporary.write_text(
            report.text(), encoding="utf-8"), overwrite=True)
        report.path = path
    except (OSError, KzError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        report.warnings.append(f"the report could not be saved at {path} ({reason})")


class _Import:
    """One import: the archive's records into the project being built."""

    def __init__(self, archive: SafeArchive, parsed: ParsedProject, extra: Extra | None,
                 source: Path, target: Path, progress: Progress | None) -> None:
        self.archive, self.parsed, self.extra = archive, parsed, extra
        self.target, self.progress = target, progress
        self.report = RefiImportReport(source, target, parsed.origin)
        self.report.not_imported.extend(parsed.skipped)
        self.sources = SourceImporter(self, archive, parsed, extra)
        self.codes: dict[str, int] = {}
        self.coders: dict[str, int] = {}
        self.coder_names: set[str] = set()
        self.used_notes: set[str] = set()
        self.memo_times: dict[str, str] = {}  # stored owner GUID -> its memo's modification
        self._unknown_coder: int | None = None

    def fill(self, project: Project) -> None:
        parsed = self.parsed
        with project.unit() as session:
            session.info[HISTORY_LABEL] = ("imported the REFI-QDA project "
                                           f"{self.report.source.name}")
            memo = richest(parsed.description, *self.notes_text(parsed.notes))
            self.report.counts["memos"] += bool(memo)
            q.set_project(session, name=parsed.name or self.report.source.stem, memo=memo,
                          created=xsd_datetime(parsed.created) or utc_now())
            self.user_names = dict(parsed.users)
            kzcoder = parsed.origin.lower().startswith("kzcoder")
            for guid, name in parsed.users:
                if kzcoder and guid == derived_guid("user", name).lower():
                    continue  # an author of journal entries who is no coder (refi.exporting)
                if guid not in self.coders:
                    self._add_coder(session, guid, name)
            self._codebook(session)
            by_source = self._cases()
            total = len(parsed.sources) + 1
            for number, text_source in enumerate(parsed.sources):
                self._tell(number, total, text_source.name)
                self.sources.add(session, text_source, by_source.get(text_source.guid, []))
            self._tell(total - 1, total, "")
            self._sets(session)
            self._loose_notes(session)
            q.insert_guid_forms(session, parsed.guid_forms.items())
            memo_q.insert_memo_times(session, self.memo_times.items())
        self._tell(total, total, "")

    def _tell(self, done: int, total: int, name: str) -> None:
        if self.progress is not None and self.progress(done, total, name) is False:
            raise KzError("import stopped; no project was created")

    # --- coders ---------------------------------------------------------------------------

    def _add_coder(self, session: Session, guid: str, name: str) -> int:
        shown = unique_name(name.strip() or f"user {guid[:8]}", self.coder_names)
        if name.strip() and shown != name.strip():
            self.report.changed.append(f"coder '{name}' is called '{shown}' (another user has "
                                       "that name)")
        self.coders[guid] = q.insert_coder(session, guid, shown)
        self.report.counts["coders"] += 1
        return self.coders[guid]

    def coder(self, session: Session, guid: str) -> int:
        """The coder of a coding by the user *guid* (one named after it when the file does
        not list it; one "unknown coder" for codings that name nobody)."""
        if guid in self.coders:
            return self.coders[guid]
        if guid:
            self.report.changed.append(f"user {guid} made codings but is not among the users; "
                                       "added as a coder")
            return self._add_coder(session, guid, "")
        if self._unknown_coder is None:
            self.report.changed.append("some codings name no user; they are by 'unknown coder'")
            self._unknown_coder = self._add_coder(session, str(uuid.uuid4()), "unknown coder")
        return self._unknown_coder

    # --- codes ----------------------------------------------------------------------------

    def _codebook(self, session: Session) -> None:
        self._colors = distinct_colors({c.color for c in _walk(self.parsed.codes) if c.color})
        self._keys: set[str] = set()
        for position, code in enumerate(self.parsed.codes):
            self._code(session, code, None, position, set())

    def _code(self, session: Session, code: Code, parent_id: int | None, position: int,
              siblings: set[str]) -> None:
        name = unique_name(code.name or "(unnamed code)", siblings)
        if name != code.name:
            self.report.changed.append(f"code '{code.name}' is called '{name}' (no name, or a "
                                       "sibling has it)")
        guid = code.guid
        if guid in self.codes:
            self.report.changed.append(f"code '{name}': its GUID is used twice; given a new one")
            guid = str(uuid.uuid4())
        shortcut = self.extra.shortcuts.get(code.guid) if self.extra else None
        if shortcut not in SHORTCUT_KEYS or shortcut in self._keys:
            shortcut = None
        if shortcut:
            self._keys.add(shortcut)
        definition, described = split_code_description(code.description)
        memo = richest(described, *self.notes_text(code.notes))
        self.note_time(guid, code.notes)
        self.report.counts["memos"] += bool(memo)
        code_id = q.insert_code(session, guid=guid, parent_id=parent_id, name=name,
                                color=code.color or next(self._colors),
                                description=definition, memo=memo, shortcut=shortcut,
                                position=position, codable=code.codable)
        self.codes.setdefault(code.guid, code_id)
        self.report.counts["codes"] += 1
        children: set[str] = set()
        for number, child in enumerate(code.children):
            self._code(session, child, code_id, number, children)

    # --- notes and cases ------------------------------------------------------------------

    def notes_text(self, guids: list[str]) -> list[str]:
        """The texts of the notes *guids* (counted as memos; marked as used)."""
        texts = []
        for guid in guids:
            note = self.parsed.all_notes.get(guid)
            if note is None:
                self.report.not_imported.append(f"a note {guid} that is referred to but not in "
                                                "the file")
                continue
            self.used_notes.add(guid)
            text = note.content
            if text is None and note.path:
                member = self.archive.find(note.path)
                # as written: a memo's line endings are its own (no positions point into it)
                text = (decode_source(self.archive.read(member), member.filename).raw
                        if member is not None else None)
            if text is None:
                self.report.not_imported.append(f"note '{note.name}': its text is not in the "
                                                "archive")
                continue
            texts.append(text)
        return texts

    def note_time(self, owner: str, *note_lists: list[str]) -> None:
        """Keep when the memo of *owner* (its stored GUID) was last changed: the latest
        ``modifiedDateTime`` of its notes, if any has one."""
        times = [xsd_datetime(note.modified) for notes in note_lists for guid in notes
                 if (note := self.parsed.all_notes.get(guid)) is not None and note.modified]
        if any(times):
            self.memo_times[owner] = max(t for t in times if t)

    def _loose_notes(self, session: Session) -> None:
        """Notes nothing kzcoder holds refers to are free memos: the journal's entries."""
        titles = {entry.title for entry in journal_q.entries(session)}
        for guid, note in self.parsed.all_notes.items():
            if guid in self.used_notes:
                continue
            texts = self.notes_text([guid])
            if not texts:
                continue
            title = unique_name(note.name.strip().replace("\n", " ") or "(untitled)", titles)
            journal_q.insert_entry(session, guid=guid, title=title, text=texts[0],
                                   author=self.user_names.get(note.user, ""),
                                   created=xsd_datetime(note.created) or utc_now(),
                                   modified=xsd_datetime(note.modified))
            self.report.counts["journal"] += 1
        coded = sum(n.codings for n in self.parsed.all_notes.values())
        if coded:
            self.report.not_imported.append(f"{coded} coding(s) inside notes")

    def _sets(self, session: Session) -> None:
        """Code sets (members that are codes) kept; document sets handed to
        ``keep_document_sets``; notes in sets are not kept as members."""
        names: set[str] = set()
        documents: list[Set] = []
        member_notes = 0
        for item in self.parsed.sets:
            member_notes += len(item.notes)
            codes = [self.codes[guid] for guid in item.codes if guid in self.codes]
            if len(codes) < len(item.codes):
                self.report.not_imported.append(
                    f"set '{item.name}': {len(item.codes) - len(codes)} member code(s) that "
                    "are not in the codebook")
            if codes or not item.sources:
                name = unique_name(item.name or "(unnamed set)", names)
                q.insert_code_set(session, guid=self.sources.unique_guid(item.guid),
                                  name=name, description=item.description, code_ids=codes)
                self.report.counts["code sets"] += 1
            if item.sources:
                documents.append(item)
        kept = keep_document_sets(session, documents, self.report)
        self.report.counts["document sets"] += kept
        if member_notes:
            self.report.not_imported.append(f"{member_notes} note(s) as members of sets "
                                            "(the notes themselves are in the journal)")

    def _cases(self) -> dict[str, list[tuple[str, str]]]:
        """Source GUID -> the variable values of the cases it belongs to."""
        by_source: dict[str, list[tuple[str, str]]] = {}
        for case in self.parsed.cases:
            for source in case.sources:
                by_source.setdefault(source, []).extend(case.values)
            dropped = f"; its {case.other_refs} code or selection reference(s) are not kept" \
                if case.other_refs else ""
            self.report.not_imported.append(
                f"case '{case.name or case.guid}' (kzcoder has no cases): its "
                f"{len(case.values)} variable value(s) went to its {len(case.sources)} "
                f"source(s){dropped}")
        return by_source


def _walk(codes: list[Code]):  # noqa: ANN202 - Iterator[Code]
    for code in codes:
        yield code
        yield from _walk(code.children)


def keep_document_sets(session: Session, sets: list[Set], report: RefiImportReport) -> int:
    """Keep the document sets (``Set``\\ s with ``MemberSource``\\ s) of an import as static
    document sets, their members found by GUID; returns how many were kept. A member that is
    not a kept document is left out and counted in the report."""
    from kzcoder.services.analysis.sets import add_imported_set

    by_guid = {guid.lower(): document_id
               for document_id, guid in document_q.document_guids(session).items()}
    missing = 0
    for item in sets:
        members = [by_guid[g.lower()] for g in item.sources if g.lower() in by_guid]
        missing += len(item.sources) - len(members)
        add_imported_set(session, item.name, members, item.guid.lower())
    if missing:
        report.not_imported.append(f"{missing} member(s) of document sets that name no "
                                   "imported document")
    return len(sets)
