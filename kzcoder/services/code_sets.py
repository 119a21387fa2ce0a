"""Code sets: named groups of codes apart from the code tree (MAXQDA's and ATLAS.ti's code
groups; REFI-QDA's ``Set`` of ``MemberCode``). Names are unique; a code may be in many sets.
Each change is one unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from kzcoder.core.analysis.tree import code_paths
from kzcoder.core.changes import Changed, Changes
from kzcoder.core.code_set import CodeSetInfo
from kzcoder.core.errors import KzError
from kzcoder.db.queries import code_sets as q
from kzcoder.db.queries import codes as code_q
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.project import Project

_CHANGED = Changes(code_sets=True)


def list_code_sets(project: Project) -> list[CodeSetInfo]:
    """Every code set, by name."""
    with project.unit(read=True) as session:
        return _infos(session)


def get_code_set(project: Project, name: str) -> CodeSetInfo:
    """The set called *name*; KzError if there is none."""
    with project.unit(read=True) as session:
        return _find(session, name)


def add_code_set(project: Project, name: str, codes: Sequence[str | int], *,
                 description: str = "") -> Changed[CodeSetInfo]:
    """A new set of the codes *codes* (references as ``kzcoder code`` takes them: ``id:N``,
    ``name:TEXT``, a bare name or id); KzError, adding nothing, on an empty or taken name or
    a code that is not there."""
    name = _clean_name(name)
    with project.unit() as session:
        if q.set_named(session, name) is not None:
            raise KzError(f"a code set named '{name}' already exists; choose another name "
                          "or remove it first")
        ids = [find_code(session, ref).id for ref in codes]
        q.insert_set(session, guid=str(uuid.uuid4()), name=name,
                     description=description.strip(), code_ids=ids)
        return Changed(_find(session, name), _CHANGED)


def set_codes(project: Project, name: str, codes: Sequence[str | int]
              ) -> Changed[tuple[CodeSetInfo, CodeSetInfo]]:
    """Make *codes* the members of the set *name*; returns (before, after)."""
    with project.unit() as session:
        before = _find(session, name)
        q.set_members(session, before.id, [find_code(session, ref).id for ref in codes])
        return Changed((before, _find(session, name)), _CHANGED)


def remove_code_set(project: Project, name: str) -> Changed[CodeSetInfo]:
    """Remove the set *name* (its codes stay); returns it as it was. KzError if none."""
    with project.unit() as session:
        found = _find(session, name)
        q.delete_set(session, found.id)
    return Changed(found, _CHANGED)


def restore_code_set(project: Project, code_set: CodeSetInfo) -> Changes:
    """Put back a removed set under its id and GUID, with those of its codes still here
    (an undo)."""
    with project.unit() as session:
        present = {c.id for c in code_q.all_codes(session)}
        q.insert_set(session, guid=code_set.guid, name=code_set.name,
                     description=code_set.description, set_id=code_set.id,
                     code_ids=[c for c in code_set.codes if c in present])
    return _CHANGED


def _infos(session: Session, only: Iterable[str] | None = None) -> list[CodeSetInfo]:
    paths = code_paths(code_q.all_codes(session))
    wanted = None if only is None else set(only)
    return [CodeSetInfo(set_id, guid, name, description, tuple(ids),
                        tuple(" / ".join(paths[i]) for i in ids))
            for set_id, guid, name, description, ids in q.all_sets(session)
            if wanted is None or name in wanted]


def _find(session: Session, name: str) -> CodeSetInfo:
    found = _infos(session, [name.strip()])
    if not found:
        raise KzError(f"no code set named '{name.strip()}'")
    return found[0]


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise KzError("a code set needs a name")
    if any(ch in name for ch in "\r\n"):
        raise KzError("a code set's name is one line")
    return name
