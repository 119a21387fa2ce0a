"""Reshaping the codebook: move a code (reparent, reorder) and merge one code into another.
Each returns what it needs to be undone exactly, and has an undoable command."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodeInfo, CodingInfo
from kzcoder.db.queries import code_sets as code_set_q
from kzcoder.db.queries import code_tree as q
from kzcoder.db.queries import codes as code_q
from kzcoder.db.queries import codings as coding_q
from kzcoder.db.queries import removals as removal_q
from kzcoder.services import codings
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.codebook.versions import PLACE, check_seen
from kzcoder.services.project import Project
from kzcoder.services.undoable import Command

Places = dict[int, tuple[int | None, int]]  # code id -> (parent id, position)


def _descendants(session: Session, code_id: int) -> set[int]:
    inside = {code_id}
    for code in code_q.all_codes(session):  # parents before children
        if code.parent_id in inside:
            inside.add(code.id)
    return inside


def move_code(project: Project, code: str | int, parent: str | int | None,
              position: int | None = None, *,
              expected: CodeInfo | None = None) -> Changed[Places]:
    """Put *code* under *parent* (None: at the root), at *position* among its new siblings
    (None: last). Refused, changing nothing, under the code itself or one of its descendants,
    or beside a sibling of the same name, or (with *expected*, the code as the caller saw it)
    when it was renamed or moved meanwhile (``versions.StaleCode``). Returns the places it
    changed, as they were."""
    with project.unit() as session:
        row = find_code(session, code)
        check_seen(session, row, expected, PLACE)
        code_id, name, old_parent = row.id, row.name, row.parent_id
        parent_id = find_code(session, parent).id if parent is not None else None
        if parent_id is not None and parent_id in _descendants(session, code_id):
            raise KzError(f"'{name}' cannot move under itself or one of its sub-codes")
        if code_q.sibling_named(session, parent_id, name, other_than=code_id) is not None:
            raise KzError(f"a code named '{name}' already exists there")
        before = q.places(session, {old_parent, parent_id})
        order = [i for i in q.siblings_in_order(session, parent_id) if i != code_id]
        at = len(order) if position is None else max(0, min(position, len(order)))
        order.insert(at, code_id)
        after = {i: (parent_id, n) for n, i in enumerate(order)}
        if old_parent != parent_id:
            rest = [i for i in q.siblings_in_order(session, old_parent) if i != code_id]
            after.update({i: (old_parent, n) for n, i in enumerate(rest)})
        q.set_places(session, after)
        changed = {i: place for i, place in before.items() if after.get(i, place) != place}
        changed[code_id] = before[code_id]
    return Changed(changed, Changes(codes=frozenset(changed), code_tree=True))


def restore_places(project: Project, before: Places) -> Changes:
    """Give codes back the parents and positions they had."""
    with project.unit() as session:
        q.set_places(session, before)
    return Changes(codes=frozenset(before), code_tree=True)


@dataclass(frozen=True, slots=True)
class Merged:
    """What a merge changed, as it was: the source code, its codings, the target's codings it
    touched, the target before, and the places of the source's sub-codes."""

    source: CodeInfo
    target: CodeInfo
    source_codings: tuple[CodingInfo, ...]
    target_codings: tuple[CodingInfo, ...]
    places: Places
    collapsed: int
    set_members: tuple[tuple[int, int], ...] = ()  # the source's code set memberships
    target_sets: tuple[int, ...] = ()  # the sets the target joined in the source's place


def _join(first: str, second: str) -> str:
    parts = [p for p in (first.strip(), second.strip()) if p]
    return "\n\n".join(dict.fromkeys(parts))


def merge_codes(project: Project, source: str | int, target: str | int, *,
                expected: tuple[CodeInfo, CodeInfo] | None = None) -> Changed[Merged]:
    """Merge *source* into *target*: its codings become the target's (two that become the same
    — same document, span and coder — collapse into one, keeping the older GUID and both
    memos), its sub-codes move under the target, its description and memo are added to the
    target's, the target joins the code sets it was in, and it is deleted. One unit of work;
    refused, changing nothing, on a name clash among the sub-codes or a merge into its own
    sub-code, or (with *expected*, the two codes as the caller saw them) when either was
    renamed or moved meanwhile (``versions.StaleCode``)."""
    with project.unit() as session:
        a, b = find_code(session, source), find_code(session, target)
        if expected is not None:
            check_seen(session, a, expected[0], PLACE)
            check_seen(session, b, expected[1], PLACE)
        if a.id == b.id:
            raise KzError(f"'{a.name}' cannot be merged into itself")
        if b.id in _descendants(session, a.id):
            raise KzError(f"'{a.name}' cannot be merged into its own sub-code '{b.name}'")
        a_info, b_info = code_q.code_info(a), code_q.code_info(b)
        children = q.siblings_in_order(session, a.id)
        taken = {c.name for c in code_q.all_codes(session) if c.parent_id == b.id}
        for child in children:
            child_name = code_q.code_by_id(session, child).name
            if child_name in taken:
                raise KzError(f"'{b.name}' already has a sub-code named '{child_name}'; "
                              "rename one of them first")
        mine = q.codings_of_code(session, a.id)
        if mine and not b.codable:
            raise KzError(f"'{b.name}' is a category (not codable); the codings of '{a.name}' "
                          "cannot go to it")
        theirs = {(c.document_id, c.start, c.end, c.coder): c
                  for c in q.twins_of(session, a.id, b.id)}
        touched: list[CodingInfo] = []
        losers: list[int] = []
        survivors: list[CodingInfo] = []
        for coding in mine:
            twin = theirs.get((coding.document_id, coding.start, coding.end, coding.coder))
            if twin is None:
                continue
            older, newer = sorted((coding, twin), key=lambda c: (c.created, c.id))
            touched.append(twin)
            losers.append(newer.id)
            survivors.append(older._replace(code_id=b.id, memo=_join(older.memo, newer.memo)))
        removal_q.delete_codings(session, losers)
        q.recode_all(session, a.id, b.id)
        q.set_codings(session, survivors)
        places = q.places(session, {a.id, b.id})
        start = len(q.siblings_in_order(session, b.id))
        q.set_places(session, {child: (b.id, start + n) for n, child in enumerate(children)})
        q.set_description(session, b.id, _join(b_info.description, a_info.description))
        q.set_memo(session, b.id, _join(b_info.memo, a_info.memo))
        members = code_set_q.memberships(session, [a.id])
        had = {set_id for set_id, _ in code_set_q.memberships(session, [b.id])}
        joined = tuple(dict.fromkeys(s for s, _ in members if s not in had))
        code_set_q.restore_memberships(session, [(set_id, b.id) for set_id in joined])
        removal_q.delete_codes(session, [a.id])
        counts = coding_q.code_counts(session, {b.id})
    merged = Merged(a_info, b_info, tuple(mine), tuple(touched),
                    {i: p for i, p in places.items() if i in children}, len(losers), members,
                    joined)
    ids = {c.id for c in mine} | {c.id for c in touched}
    return Changed(merged, Changes(
        codings=frozenset(ids), coded_documents=frozenset(c.document_id for c in mine),
        code_counts=frozenset(counts), counts=counts,
        codes=frozenset({a.id, b.id, *children}), code_tree=True,
        memos=bool(merged.collapsed) or bool(a_info.memo), code_sets=bool(members)))


def unmerge(project: Project, merged: Merged) -> Changes:
    """Undo a merge exactly: the source code, its codings (ids, GUIDs, memos), the target's
    codings, description and memo, the sub-codes' places, its code set memberships."""
    originals = [*merged.source_codings, *merged.target_codings]
    with project.unit() as session:
        removal_q.insert_code(session, merged.source)
        present = q.existing_ids(session, [c.id for c in originals])
        q.set_codings(session, [c for c in originals if c.id in present])
        codings.reinsert(session, [c for c in originals if c.id not in present])
        q.set_places(session, merged.places)
        q.set_description(session, merged.target.id, merged.target.description)
        q.set_memo(session, merged.target.id, merged.target.memo)
        code_set_q.leave(session, merged.target.id, merged.target_sets)
        code_set_q.restore_memberships(session, merged.set_members)
    return Changes(codings=frozenset(c.id for c in originals),
                   coded_documents=frozenset(c.document_id for c in originals),
                   code_counts=frozenset({merged.source.id, merged.target.id}),
                   codes=frozenset({merged.source.id, merged.target.id, *merged.places}),
                   code_tree=True, memos=bool(merged.collapsed) or bool(merged.source.memo),
                   code_sets=bool(merged.set_members))


@dataclass
class MoveCode(Command):
    """Reparent or reorder a code."""

    code_id: int
    parent_id: int | None
    position: int | None = None
    #: the code as the user saw it (a redo expects it again: the undo put it back)
    seen: CodeInfo | None = None
    before: Places = field(default_factory=dict, init=False)
    text: str = "Move code"

    def do(self, project: Project) -> Changes:
        result = move_code(project, self.code_id, self.parent_id, self.position,
                           expected=self.seen)
        self.before = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        return restore_places(project, self.before)


@dataclass
class MergeCodes(Command):
    """Merge one code into another."""

    source_id: int
    target_id: int
    #: the two codes as the user saw them (a redo expects them again: the undo put them back)
    seen: tuple[CodeInfo, CodeInfo] | None = None
    merged: Merged | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return "Merge codes"

    def do(self, project: Project) -> Changes:
        result = merge_codes(project, self.source_id, self.target_id, expected=self.seen)
        self.merged = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.merged is not None
        return unmerge(project, self.merged)
