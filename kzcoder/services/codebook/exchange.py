"""The codebook in and out: REFI-QDA ``.qdc``, CSV and Markdown; and the import of a codebook
(``.qdc``, a project's ``.qde``/``.qdpx``, or kzcoder's CSV) into a project that may already
have codes — matched by GUID, then by path of names, never overwritten."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kzcoder import __version__
from kzcoder.core.changes import Changed, Changes
from kzcoder.core.colors import color_for_new_code
from kzcoder.core.errors import KzError
from kzcoder.core.export_records import join_code_path
from kzcoder.core.records import CodeInfo
from kzcoder.db.models import new_guid
from kzcoder.db.queries import codes as code_q
from kzcoder.db.queries import raw
from kzcoder.db.queries import removals as removal_q
from kzcoder.db.snapshot import check_output, write_beside
from kzcoder.exchange.codebook.json_file import CodeEntry
from kzcoder.exchange.codebook.qdc import normalise_guid, qdc_bytes, read_codebook_file
from kzcoder.exchange.codebook.tables import csv_text, markdown_text, read_csv
from kzcoder.services.codebook.editing import SHORTCUT_KEYS
from kzcoder.services.project import Project
from kzcoder.services.undoable import Command

FORMATS = {".qdc": "qdc", ".csv": "csv", ".md": "md"}
IMPORTABLE = (".qdc", ".qde", ".qdpx", ".csv")


def codebook_entries(project: Project) -> list[CodeEntry]:
    """The project's codebook as a tree of entries, with each code's codings and documents."""
    with project.unit(read=True) as session:
        codes = code_q.all_codes(session)
        counts = {code_id: (n, docs) for code_id, n, docs in raw(session).execute(
            "SELECT code_id, count(*), count(DISTINCT document_id) FROM codings "
            "GROUP BY code_id")}
    children: dict[int | None, list[CodeInfo]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)

    def entry(code: CodeInfo) -> CodeEntry:
        codings, documents = counts.get(code.id, (0, 0))
        return CodeEntry(name=code.name, color=code.color, description=code.description,
                         shortcut=code.shortcut, guid=code.guid, codings=codings,
                         documents=documents, codable=code.codable,
                         children=tuple(entry(c) for c in children.get(code.id, [])))

    return [entry(c) for c in children.get(None, [])]


def export_codebook(project: Project, path: Path, fmt: str | None = None, *,
                    overwrite: bool = False) -> int:
    """Write the codebook to *path* as ``qdc``, ``csv`` or ``md`` (from the suffix if *fmt* is
    None); returns how many codes. Written beside *path* and renamed into place
    (``write_beside``): an existing *path* is replaced only with *overwrite*, and never an
    open project or its log."""
    path = check_output(path, overwrite=overwrite)
    fmt = fmt or FORMATS.get(path.suffix.lower())
    if fmt not in FORMATS.values():
        raise KzError(f"{path.name}: say which format (qdc, csv or md)")
    entries = codebook_entries(project)
    if fmt == "qdc":
        data = qdc_bytes(entries, origin=f"kzcoder {__version__}")
    elif fmt == "csv":
        data = ("\ufeff" + csv_text(entries)).encode("utf-8")  # BOM: Excel reads it as UTF-8
    else:
        data = markdown_text(entries, f"Codebook of {project.path.stem}").encode("utf-8")
    write_beside(path, lambda temporary: temporary.write_bytes(data), overwrite=overwrite)
    return sum(1 for _ in _flatten(entries))


def _flatten(entries):  # noqa: ANN001, ANN202
    for entry in entries:
        yield entry
        yield from _flatten(entry.children)


def read_codebook(path: Path) -> list[CodeEntry]:
    """The codebook in a ``.qdc``, ``.qde``, ``.qdpx`` or CSV file (KzError if unreadable)."""
    path = Path(path)
    if path.suffix.lower() not in IMPORTABLE:
        raise KzError(f"{path.name}: not a codebook kzcoder reads (accepted: "
                      f"{', '.join(IMPORTABLE)})")
    return read_csv(path) if path.suffix.lower() == ".csv" else read_codebook_file(path)


@dataclass(frozen=True, slots=True)
class CodebookImport:
    """What an import did: one line per code added, matched or skipped, and the codes it
    added (as they are, to take them out again on undo)."""

    added: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    codes: tuple[CodeInfo, ...] = field(default=())

    def summary_lines(self) -> list[str]:
        """The notes, then a count."""
        return [*self.notes, f"added {len(self.added)} code(s), matched {len(self.matched)} "
                             "already in the project"]


def import_codebook(project: Project, path: Path) -> Changed[CodebookImport]:
    """Add a codebook file's codes to the project in one unit of work. A code whose GUID, or
    else whose path of names, is already here is matched and left as it is (a difference is
    noted, never overwritten); the rest are added under their matched parents, with a colour
    of their own when the file gives none and their key when it is free."""
    entries = read_codebook(path)
    with project.unit() as session:
        existing = code_q.all_codes(session)
        by_guid = {normalise_guid(c.guid): c for c in existing}
        by_path: dict[tuple[str, ...], CodeInfo] = {}
        names = {c.id: c for c in existing}
        for code in existing:
            by_path[_path_of(code, names)] = code
        used_keys = {c.shortcut for c in existing if c.shortcut}
        report = _Importer(session, by_guid, by_path, used_keys, existing)
        for entry in entries:
            report.visit(entry, None, ())
        result = CodebookImport(tuple(report.added), tuple(report.matched), tuple(report.notes),
                                tuple(code_q.code_info(code_q.code_by_id(session, i))
                                      for i in report.added_ids))
    return Changed(result, Changes(codes=frozenset(c.id for c in result.codes),
                                   code_tree=bool(result.codes)))


def _path_of(code: CodeInfo, by_id: dict[int, CodeInfo]) -> tuple[str, ...]:
    path = [code.name]
    while code.parent_id is not None:
        code = by_id[code.parent_id]
        path.append(code.name)
    return tuple(reversed(path))


class _Importer:
    def __init__(self, session, by_guid, by_path, used_keys, existing) -> None:  # noqa: ANN001
        self.session, self.by_guid, self.by_path = session, by_guid, by_path
        self.used_keys = used_keys
        # to give a code the file leaves uncoloured a colour apart from its parent's and
        # siblings': every code's colour, and the colours of each code's children
        self.color_of = {c.id: c.color for c in existing}
        self.children_colors: dict[int | None, list[str]] = {}
        for code in existing:
            self.children_colors.setdefault(code.parent_id, []).append(code.color)
        self.used_colors = set(self.color_of.values())
        self.added: list[str] = []
        self.matched: list[str] = []
        self.notes: list[str] = []
        self.added_ids: list[int] = []

    def visit(self, entry: CodeEntry, parent_id: int | None, path: tuple[str, ...]) -> None:
        here = (*path, entry.name)
        shown = join_code_path(here)
        found = self.by_guid.get(entry.guid) if entry.guid else None
        how = "GUID"
        if found is None:
            found, how = self.by_path.get(here), "path"
        if found is not None:
            self.matched.append(f"{shown} (by {how})")
            if found.name != entry.name:
                self.notes.append(f"kept '{found.name}': the file calls it '{entry.name}' "
                                  f"(same GUID)")
            code_id = found.id
        else:
            code_id = self._add(entry, parent_id, shown)
            self.added.append(shown)
        for child in entry.children:
            self.visit(child, code_id, here)

    def _add(self, entry: CodeEntry, parent_id: int | None, shown: str) -> int:
        guid = entry.guid if entry.guid and entry.guid not in self.by_guid else new_guid()
        # the parent and its last siblings: a palette of 20 cannot keep apart from hundreds
        family = ([self.color_of[parent_id], *self.children_colors.get(parent_id, [])[-8:]]
                  if parent_id is not None else [])
        color = entry.color or color_for_new_code(self.used_colors, family)
        shortcut = entry.shortcut
        if shortcut is not None and (shortcut not in SHORTCUT_KEYS or shortcut in
                                     self.used_keys):
            self.notes.append(f"'{shown}': key {shortcut} is taken or not 1-9; left without one")
            shortcut = None
        if shortcut:
            self.used_keys.add(shortcut)
        code_id = raw(self.session).execute(
            "INSERT INTO codes (guid, parent_id, name, color, description, shortcut, position, "
            "codable) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (guid, parent_id, entry.name, color, entry.description, shortcut,
             code_q.next_position(self.session, parent_id), entry.codable)).lastrowid
        self.by_guid[guid] = None  # taken
        self.color_of[code_id] = color
        self.children_colors.setdefault(parent_id, []).append(color)
        self.used_colors.add(color)
        self.added_ids.append(code_id)
        return code_id


def remove_imported(project: Project, codes: tuple[CodeInfo, ...]) -> Changes:
    """Take out the codes an import added (they have no codings yet: undo comes first)."""
    with project.unit() as session:
        removal_q.delete_codes(session, [c.id for c in reversed(codes)])
    return Changes(codes=frozenset(c.id for c in codes), code_tree=True)


def reinsert_imported(project: Project, codes: tuple[CodeInfo, ...]) -> Changes:
    """Put them back exactly (redo)."""
    with project.unit() as session:
        for code in codes:
            removal_q.insert_code(session, code)
    return Changes(codes=frozenset(c.id for c in codes), code_tree=True)


@dataclass
class ImportCodebook(Command):
    """Import a codebook file (undo takes out what it added)."""

    path: Path
    result: CodebookImport | None = field(default=None, init=False)
    text: str = "Import codebook"

    def do(self, project: Project) -> Changes:
        if self.result is None:
            changed = import_codebook(project, self.path)
            self.result = changed.value
            return changed.changes
        return reinsert_imported(project, self.result.codes)

    def undo(self, project: Project) -> Changes:
        assert self.result is not None
        return remove_imported(project, self.result.codes)
