"""Removals that undo exactly: several codings at once (one undo step), and a code with its
sub-codes and all their codings. Everything comes back under its own ids and GUIDs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes, coding_changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodeInfo, CodingInfo
from kzcoder.db.queries import code_sets as code_set_q
from kzcoder.db.queries import code_tree
from kzcoder.db.queries import codes as code_q
from kzcoder.db.queries import codings as coding_q
from kzcoder.db.queries import removals as q
from kzcoder.services import codings
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.codebook.versions import PLACE, check_seen
from kzcoder.services.project import Project
from kzcoder.services.undoable import Command


@dataclass(frozen=True, slots=True)
class RemovedCodes:
    """The codes removed as they were (parents first), every coding of them, and the places
    (parent, position) of sub-codes that were lifted up one level instead."""

    codes: tuple[CodeInfo, ...]
    codings: tuple[CodingInfo, ...]
    lifted: dict[int, tuple[int | None, int]] = field(default_factory=dict)
    #: (set_id, code_id) of the code sets the removed codes were in
    set_members: tuple[tuple[int, int], ...] = ()

    @property
    def documents(self) -> int:
        """How many documents the codings were in."""
        return len({c.document_id for c in self.codings})


def _gone(infos: Iterable[CodingInfo]) -> Changes:
    infos = list(infos)
    return coding_changes({c.id: None for c in infos}, {c.document_id for c in infos}, {})


def remove_codings(project: Project, coding_ids: Iterable[int]) -> Changed[tuple[CodingInfo, ...]]:
    """Delete several codings in one unit of work; returns them as they were. KzError, and
    nothing removed, if one of them does not exist."""
    ids = list(dict.fromkeys(coding_ids))
    with project.unit() as session:
        found = coding_q.codings_by_id(session, ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise KzError(f"no coding numbered {missing[0]}")
        q.delete_codings(session, ids)
        infos = tuple(found[i] for i in ids)
        counts = coding_q.code_counts(session, {c.code_id for c in infos})
    return Changed(infos, _gone(infos) | Changes(code_counts=frozenset(counts), counts=counts))


def restore_codings(project: Project, infos: Iterable[CodingInfo]) -> Changes:
    """Put removed codings back exactly (ids, GUIDs, coders, memos, creation times), in one
    unit of work."""
    infos = tuple(infos)
    with project.unit() as session:
        codings.reinsert(session, infos)
        counts = coding_q.code_counts(session, {c.code_id for c in infos})
    return _back(infos) | Changes(code_counts=frozenset(counts), counts=counts)


def _back(infos: tuple[CodingInfo, ...]) -> Changes:
    """Codings that are there again: views read their segments when they need them."""
    return Changes(codings=frozenset(c.id for c in infos),
                   coded_documents=frozenset(c.document_id for c in infos))


def code_subtree(project: Project, code: str | int) -> tuple[CodeInfo, ...]:
    """The code and its descendants, parents first."""
    with project.unit(read=True) as session:
        return _subtree(code_q.all_codes(session), find_code(session, code).id)


def _subtree(every: list[CodeInfo], root: int) -> tuple[CodeInfo, ...]:
    inside = {root}
    for code in every:  # parents come before children
        if code.parent_id in inside:
            inside.add(code.id)
    return tuple(c for c in every if c.id in inside)


def code_usage(project: Project, code: str | int) -> tuple[int, int]:
    """(codings, documents) of a code and its sub-codes: what deleting it takes away."""
    with project.unit(read=True) as session:
        tree = _subtree(code_q.all_codes(session), find_code(session, code).id)
        ids = q.codings_of_codes(session, [c.id for c in tree])
        found = coding_q.codings_by_id(session, ids)
    return len(found), len({c.document_id for c in found.values()})


def delete_code(project: Project, code: str | int, *, lift_children: bool = False,
                expected: CodeInfo | None = None) -> Changed[RemovedCodes]:
    """Delete a code and all its codings in one unit of work, with its sub-codes (or, with
    *lift_children*, moving them up one level, after the code's own place); returns what was
    removed, so that it can be restored exactly. With *expected* (the code as the caller saw
    it) refused, changing nothing, when it was renamed or moved meanwhile
    (``codebook.versions.StaleCode``)."""
    with project.unit() as session:
        root = find_code(session, code)
        check_seen(session, root, expected, PLACE)
        lifted: dict[int, tuple[int | None, int]] = {}
        if lift_children:
            lifted = _lift_children(session, root.id, root.parent_id, root.name)
        tree = _subtree(code_q.all_codes(session), root.id)
        found = coding_q.codings_by_id(session, q.codings_of_codes(session, [c.id for c in tree]))
        infos = tuple(sorted(found.values(), key=lambda c: c.id))
        members = code_set_q.memberships(session, [c.id for c in tree])
        q.delete_codings(session, [c.id for c in infos])
        q.delete_codes(session, [c.id for c in reversed(tree)])
    removed = RemovedCodes(tree, infos, lifted, members)
    return Changed(removed, _gone(infos) | Changes(
        codes=frozenset(c.id for c in tree) | frozenset(lifted), code_tree=True))


def _lift_children(session: Session, code_id: int, parent_id: int | None,
                   name: str) -> dict[int, tuple[int | None, int]]:
    """Move a code's sub-codes to its parent, just after it; returns every place changed, as
    it was. Refused on a name clash one level up."""
    children = code_tree.siblings_in_order(session, code_id)
    for child in children:
        child_name = code_q.code_by_id(session, child).name
        if code_q.sibling_named(session, parent_id, child_name) is not None:
            raise KzError(f"a code named '{child_name}' already exists beside '{name}'; "
                          "rename one of them first")
    before = code_tree.places(session, {code_id, parent_id})
    order = code_tree.siblings_in_order(session, parent_id)
    at = order.index(code_id) + 1
    order[at:at] = children
    code_tree.set_places(session, {i: (parent_id, n) for n, i in enumerate(order)})
    return {i: place for i, place in before.items() if i != code_id}


def restore_codes(project: Project, removed: RemovedCodes) -> Changes:
    """Put a deleted code's subtree and its codings back exactly, in one unit of work."""
    with project.unit() as session:
        for code in removed.codes:
            q.insert_code(session, code)
        if removed.lifted:
            code_tree.set_places(session, removed.lifted)
        codings.reinsert(session, removed.codings)
        code_set_q.restore_memberships(session, removed.set_members)
    return _back(removed.codings) | Changes(
        codes=frozenset(c.id for c in removed.codes) | frozenset(removed.lifted),
        code_tree=True)


@dataclass
class RemoveCodings(Command):
    """Remove several codings as one undo step."""

    coding_ids: tuple[int, ...]
    removed: tuple[CodingInfo, ...] = field(default=(), init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        count = len(self.coding_ids)
        return "Remove coding" if count == 1 else f"Remove {count} codings"

    def do(self, project: Project) -> Changes:
        result = remove_codings(project, self.coding_ids)
        self.removed = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        return restore_codings(project, self.removed)


@dataclass
class DeleteCode(Command):
    """Delete a code with its sub-codes and codings (undo brings all of it back)."""

    code_id: int
    name: str = ""
    lift_children: bool = False
    #: the code as the user saw it (a redo expects it again: the undo put it back)
    seen: CodeInfo | None = None
    removed: RemovedCodes | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Delete code {self.name}" if self.name else "Delete code"

    def do(self, project: Project) -> Changes:
        result = delete_code(project, self.code_id, lift_children=self.lift_children,
                             expected=self.seen)
        self.removed = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.removed is not None
        return restore_codes(project, self.removed)
