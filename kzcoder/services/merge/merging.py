"""Merging another project (``.kzc`` or REFI-QDA ``.qdpx``) into this one: nothing is lost,
nothing of ours is overwritten, and merging the same file again changes nothing.

How things are matched (the first rule that applies):

- coders: by GUID, then by name (one of ours already matched by GUID is not taken by name);
  a coder unknown here is added with its GUID (and a free name), with all its codings;
- codes: by GUID, then by path of names (a name among the children of the matched parent;
  one of ours matched by GUID by another code is not taken); new codes arrive under their
  matched parent, after its children, in their order, with their key if it is free;
- documents: by GUID when the stored text is the same, else by identical stored text
  (SHA-256). A document whose GUID is ours but whose text differs is never re-mapped onto
  ours: it is added as a new document under a new GUID (unless its text is already here), and
  reported;
- codings: by GUID. One that is here with other content (span, code, coder or memo edited on
  one side) keeps ours and is reported with both versions; the rest are added with their GUID,
  coder, memo and creation time;
- journal entries: by title and creation time (then by GUID and creation time: an entry added
  under another title because its own was taken here). Same key, other text: ours kept,
  reported. A new entry whose title is taken here arrives under a free one ("title (2)");
- annotations: by document (as matched above), span and text; the rest are added;
- code sets: by name; a new set arrives with its member codes mapped as the codes were; a set
  here gets the member codes it lacks (a description that differs: ours kept, reported).

Conflicts keep ours and are reported: a code or coder named differently (ours kept), a code
placed under another parent, an attribute with another value. Memos of the project, a
document or a code: ours if non-empty, else theirs; both non-empty and different: reported.
Matched documents get the attributes they lack. A merge adds and never removes: a coding
removed on one side only is back after the merge (there is no common ancestor to tell a
removal from an addition).

The other project is only read (``merge.read``). The merge is one unit of work: a failure or a
stop leaves the project as it was. ``MergeProject`` is the undoable command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from kzcoder.core.changes import Changed, Changes
from kzcoder.db.backends.location import ServerLocation, parse_location
from kzcoder.db.queries import merge as q
from kzcoder.services.merge.match import KINDS, NEW, Matcher, Progress
from kzcoder.services.merge.read import open_other
from kzcoder.services.project import HISTORY_LABEL, Project
from kzcoder.services.undoable import Command

__all__ = ["KINDS", "MergeAdded", "MergeProject", "MergeReport", "merge", "merge_project",
           "put_back", "take_out"]


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did. ``added``/``matched``: counts per kind (``KINDS``; ``memos`` added are
    memos that arrived, on new documents and codes or onto an empty memo of ours; matched are
    the same on both sides). ``lines``: one line per thing added, matched other than by GUID,
    or kept ours against theirs."""

    source: str
    added: Mapping[str, int]
    matched: Mapping[str, int]
    lines: tuple[str, ...] = ()
    originals: int = 0  # original files that arrived with new documents

    @property
    def changed(self) -> bool:
        """Whether the merge changed the project."""
        return any(self.added.values())

    def summary_lines(self) -> list[str]:
        """Two counts (added, matched), then the lines."""
        def counts(numbers: Mapping[str, int]) -> str:
            return ", ".join(f"{numbers.get(kind, 0)} {kind}" for kind in KINDS)

        lines = [f"merged {self.source}: added {counts(self.added)}"
                 + (f" (and {self.originals} original file(s))" if self.originals else ""),
                 f"matched {counts(self.matched)}", *self.lines]
        if not self.changed:
            lines.append("nothing changed: everything in it was already here")
        return lines


@dataclass(frozen=True, slots=True)
class MergeAdded:
    """Exactly what a merge added or changed here (ids), for its undo: rows added, in the
    order they were added; attributes added to documents that were here; memos changed
    ``(table, id or None for the project, before, after)``."""

    coders: tuple[int, ...] = ()
    codes: tuple[int, ...] = ()
    documents: tuple[int, ...] = ()
    attributes: tuple[tuple[int, str], ...] = ()
    codings: tuple[int, ...] = ()
    memos: tuple[tuple[str, int | None, str, str], ...] = ()
    journal: tuple[int, ...] = ()
    annotations: tuple[int, ...] = ()
    code_sets: tuple[int, ...] = ()
    code_set_members: tuple[tuple[int, int], ...] = ()  # (set id, code id), new sets' too


def merge_project(project: Project, other_path: str | Path | ServerLocation, *,
                  progress: Progress | None = None) -> Changed[MergeReport]:
    """Merge the project or REFI-QDA archive at *other_path* (or the server project at a
    ``postgresql://`` URL) into *project* (see the module docstring), in one unit of work.
    KzError, nothing changed, if it is missing, is neither a ``.kzc`` nor a ``.qdpx``, is
    the project itself, cannot be read, or *progress(done, total, name)* (told per document)
    returns False."""
    report, _added = merge(project, other_path, progress=progress)
    return Changed(report, Changes.everything() if report.changed else Changes())


def merge(project: Project, other_path: str | Path | ServerLocation, *,
          progress: Progress | None = None) -> tuple[MergeReport, MergeAdded]:
    """``merge_project``, also returning what it added (for ``MergeProject``)."""
    where = parse_location(other_path)
    with open_other(project.path, where) as other, project.unit() as session:
        session.info[HISTORY_LABEL] = f"merged {where.name}"
        work = Matcher(session, other, progress)
        work.run()
        return (MergeReport(work.theirs.source, MappingProxyType(dict(work.added)),
                            MappingProxyType(dict(work.matched)), tuple(work.lines),
                            work.originals),
                MergeAdded(*(tuple(work.new[kind]) for kind in NEW)))


# --- undo --------------------------------------------------------------------------------

_ORDER = ("coders", "codes", "documents", "original_files", "document_attributes",
          "added_attributes", "codings", "journal", "annotations", "code_sets",
          "code_set_members")


def take_out(project: Project, added: MergeAdded) -> dict[str, q.Rows]:
    """Undo a merge: take out exactly what it added (returned whole, every column, for
    ``put_back``) and give back the memos it changed, in one unit of work."""
    with project.unit() as session:
        session.info[HISTORY_LABEL] = "undid a merge"
        rows = {"code_set_members": q.take_code_set_members(session, added.code_set_members),
                "code_sets": q.take_rows(session, "code_sets", "id", added.code_sets),
                "annotations": q.take_rows(session, "annotations", "id", added.annotations),
                "journal": q.take_rows(session, "journal", "id", added.journal),
                "codings": q.take_rows(session, "codings", "id", added.codings),
                "added_attributes": q.take_attributes(session, added.attributes),
                "document_attributes": q.take_rows(session, "document_attributes",
                                                   "document_id", added.documents),
                "original_files": q.take_rows(session, "original_files", "document_id",
                                              added.documents),
                "documents": q.take_rows(session, "documents", "id", added.documents),
                # children before parents (a parent's deletion would take its children)
                "codes": q.take_rows(session, "codes", "id", added.codes[::-1]),
                "coders": q.take_rows(session, "coders", "id", added.coders)}
        for table, row_id, before, _after in reversed(added.memos):
            q.set_memo(session, table, row_id, before)
    return rows


def put_back(project: Project, added: MergeAdded, rows: Mapping[str, q.Rows]) -> None:
    """Redo a merge: put back what ``take_out`` took, under the same ids and GUIDs, and set
    the memos again, in one unit of work."""
    with project.unit() as session:
        session.info[HISTORY_LABEL] = "redid a merge"
        for name in _ORDER:
            table = "document_attributes" if name == "added_attributes" else name
            columns, values = rows[name]
            if name == "codes":  # parents (smaller ids, added first) before children
                values = sorted(values, key=lambda row: row[columns.index("id")])
            q.put_rows(session, table, (columns, values))
        for table, row_id, _before, after in added.memos:
            q.set_memo(session, table, row_id, after)


@dataclass
class MergeProject(Command):
    """Merge another project (undo takes out exactly what the merge added and gives back the
    memos it changed; redo puts it all back under the same ids and GUIDs)."""

    other: Path
    report: MergeReport | None = field(default=None, init=False)
    added: MergeAdded | None = field(default=None, init=False)
    taken: Mapping[str, q.Rows] | None = field(default=None, init=False, repr=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Merge {Path(self.other).name}"

    def do(self, project: Project) -> Changes:
        if self.added is None:
            self.report, self.added = merge(project, self.other)
            return Changes.everything() if self.report.changed else Changes()
        assert self.taken is not None
        put_back(project, self.added, self.taken)
        self.taken = None
        return Changes.everything()

    def undo(self, project: Project) -> Changes:
        assert self.added is not None
        self.taken = take_out(project, self.added)
        return Changes.everything()
