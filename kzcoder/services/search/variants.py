"""Name variants saved in the project: groups of spellings that search takes as one term."""

from __future__ import annotations

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.search.errors import SearchInputError
from kzcoder.db.queries import variants as q
from kzcoder.services.project import Project


def _clean(spelling: str) -> str:
    spelling = " ".join(spelling.split())
    if not spelling:
        raise SearchInputError("a name variant cannot be empty")
    return spelling


def variant_groups(project: Project) -> list[list[str]]:
    """The groups of spellings, each in the order its spellings were added."""
    with project.unit() as session:
        return list(q.variant_groups(session).values())


def add_variants(project: Project, spellings: list[str]) -> Changed[list[str]]:
    """Make *spellings* variants of one another: a new group, or the group(s) some of them are
    in already (joined into one). Returns the group as it is now; KzError when fewer than two
    spellings would be in it."""
    wanted = [_clean(s) for s in spellings]
    with project.unit() as session:
        rows = q.spelling_rows(session)
        by_fold = {spelling.casefold(): group for _id, group, spelling in rows}
        groups = sorted({by_fold[s.casefold()] for s in wanted if s.casefold() in by_fold})
        group = groups[0] if groups else q.new_group_id(session)
        for other in groups[1:]:
            q.move_group(session, other, group)
        new: list[str] = []
        for spelling in wanted:
            if spelling.casefold() not in by_fold:
                by_fold[spelling.casefold()] = group
                new.append(spelling)
        q.add_spellings(session, group, new)
        members = q.variant_groups(session).get(group, [])
        if len(members) < 2:
            raise SearchInputError("name variants need at least two different spellings")
        return Changed(members, Changes())


def remove_variant(project: Project, spelling: str) -> Changed[list[str]]:
    """Take *spelling* out of its group (a group left with one spelling goes too); returns the
    group as it was. KzError when no group has it."""
    wanted = _clean(spelling).casefold()
    with project.unit() as session:
        rows = q.spelling_rows(session)
        found = [(i, g) for i, g, s in rows if s.casefold() == wanted]
        if not found:
            raise SearchInputError(f"no name variant {spelling!r}")
        spelling_id, group = found[0]
        before = q.variant_groups(session)[group]
        q.remove_spelling(session, spelling_id)
        rest = [i for i, g, _s in rows if g == group and i != spelling_id]
        if len(rest) == 1:
            q.remove_spelling(session, rest[0])
        return Changed(before, Changes())
