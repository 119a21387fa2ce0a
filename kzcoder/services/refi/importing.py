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

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from kzcoder.core.colors import distinct_colors
from kzcoder.core.errors import KzError
from kzcoder.db import open_files
from kzcoder.db.models import utc_now
from kzcoder.db.queries import refi as q
from kzcoder.exchange.refi.archive import SafeArchive
from kzcoder.exchange.refi.extra import NAME as EXTRA_NAME
from kzcoder.exchange.refi.extra import Extra, read_extra
from kzcoder.exchange.refi.model import Code, ParsedProject
from kzcoder.exchange.refi.positions import decode_source
from kzcoder.exchange.refi.reader import parse_qde
from kzcoder.exchange.refi.writer import xsd_datetime
from kzcoder.services.codebook.editing import SHORTCUT_KEYS
from kzcoder.services.project import HISTORY_LABEL, PROJECT_SUFFIX, Project
from kzcoder.services.refi.sources import SourceImporter, join_memos, unique_name

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
        ("documents", "codes", "codings", "coders", "memos", "attributes", "originals"), 0))
    remapped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    path: Path | None = None

    def summary_lines(self) -> list[str]:
        """A count, then one line per remapping, change, warning and thing not imported."""
        c = self.counts
        lines = [f"imported {c['documents']} document(s), {c['codes']} code(s), "
                 f"{c['codings']} coding(s) by {c['coders']} coder(s), {c['memos']} memo(s), "
                 f"{c['attributes']} attribute value(s) and {c['originals']} original file(s) "
                 f"from {self.source.name}" + (f" ({self.origin})" if self.origin else "")]
        lines += [f"remapped: {line}" for line in self.remapped]
        lines += [f"changed: {line}" for line in self.changed]
        lines += [f"warning: {line}" for line in self.warnings]
        lines += [f"not imported: {line}" for line in self.not_imported]
        if not self.not_imported:
            lines.append("everything in the file was imported")
        return lines

    def text(self) -> str:
        """The report as saved: a title, then the summary lines."""
        return (f"Import of {self.source} into {self.project.name}\n\n"
                + "\n".join(self.summary_lines()) + "\n")


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
        parsed = parse_qde(archive.read(archive.qde()), source.name)
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
    _save(report, report_path(target))
    return report


def _save(report: RefiImportReport, path: Path) -> None:
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        partial.write_text(report.text(), encoding="utf-8")
        os.replace(partial, path)
        report.path = path
    except OSError as exc:
        partial.unlink(missing_ok=True)
        report.warnings.append(f"the report could not be saved at {path} "
                               f"({exc.strerror or exc})")


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
        self._unknown_coder: int | None = None

    def fill(self, project: Project) -> None:
        parsed = self.parsed
        with project.unit() as session:
            session.info[HISTORY_LABEL] = f"imported the REFI-QDA project {self.report.source.name}"
            memo = join_memos(parsed.description, *self.notes_text(parsed.notes))
            self.report.counts["memos"] += bool(memo)
            q.set_project(session, name=parsed.name or self.report.source.stem, memo=memo,
                          created=xsd_datetime(parsed.created) or utc_now())
            for guid, name in parsed.users:
                if guid not in self.coders:
                    self._add_coder(session, guid, name)
            self._codebook(session)
            by_source = self._cases()
            total = len(parsed.sources) + 1
            for number, text_source in enumerate(parsed.sources):
                self._tell(number, total, text_source.name)
                self.sources.add(session, text_source, by_source.get(text_source.guid, []))
            self._tell(total - 1, total, "")
            self._loose_notes()
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
        self._categories = 0
        for position, code in enumerate(self.parsed.codes):
            self._code(session, code, None, position, set())
        if self._categories:
            self.report.changed.append(f"{self._categories} code(s) marked not codable (folders "
                                       "or categories in the other program) are ordinary codes")

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
        self._categories += not code.codable
        memo = join_memos(*self.notes_text(code.notes))
        self.report.counts["memos"] += bool(memo)
        code_id = q.insert_code(session, guid=guid, parent_id=parent_id, name=name,
                                color=code.color or next(self._colors),
                                description=code.description, memo=memo, shortcut=shortcut,
                                position=position)
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

    def _loose_notes(self) -> None:
        loose = [n for g, n in self.parsed.all_notes.items() if g not in self.used_notes]
        if loose:
            names = ", ".join(f"'{n.name}'" for n in loose[:20]) + (" …" if len(loose) > 20
                                                                  else "")
            self.report.not_imported.append(
                f"{len(loose)} note(s) attached to nothing kzcoder holds (free memos, or notes "
                f"on cases, sets, links or graphs): {names}")
        coded = sum(n.codings for n in self.parsed.all_notes.values())
        if coded:
            self.report.not_imported.append(f"{coded} coding(s) inside notes")

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
